//! `cargo book`: render the book and serve it on a local URL.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Render "Async from Scratch" with mdBook and serve it on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "cargo book")]
struct Args {
    /// Port to serve on; a free one is picked if it is busy.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Only build the book (into target/book), do not serve it.
    #[arg(long)]
    no_serve: bool,
    /// Never use the network (also on with `cargo --offline book` or
    /// CARGO_NET_OFFLINE=true): install the quiz preprocessor from cargo's
    /// download cache.
    #[arg(long, alias = "frozen")]
    offline: bool,
    /// The repository root (defaults to the one this tool was built from).
    #[arg(long, hide = true)]
    root: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let root = args.root.unwrap_or_else(book::repo_root);
    // Installed once into .tools/, with its own progress lines.
    book::quiz::preprocessor::ensure_installed_offline(args.offline)?;
    eprintln!("cargo book: rendering the book (mdBook, with the quiz preprocessor)");
    let built = book::render::build_book(&root, None)?;
    if !built.diagnostics.is_empty() {
        for event in &built.diagnostics {
            eprintln!("mdBook: {event}");
        }
        anyhow::bail!(
            "the book has {} problem(s) (above); fix them, `cargo test -p async-from-scratch --test book` says more",
            built.diagnostics.len()
        );
    }
    println!(
        "Built \"{}\" into {}",
        built.title,
        book::relative(&root, &built.html_dir)
    );
    if args.no_serve {
        return Ok(());
    }
    let listener = book::serve::bind(args.port)?;
    let port = listener.local_addr()?.port();
    if port != args.port {
        println!("Port {} is busy; using {port} instead.", args.port);
    }
    println!(
        "Serving \"{}\" at http://127.0.0.1:{port}/ (Ctrl-C to stop)",
        built.title
    );
    let prefix = book::render::site_prefix(&root);
    book::serve::serve(listener, &built.html_dir, &prefix)
}
