//! `cargo run -p completion --bin uring-echo -- --addr 127.0.0.1:0`: the
//! TCP echo server on io_uring.
//!
//! Same command-line contract as every server in the book: prints
//! `listening on <address>` once bound, then echoes until it is killed.

use std::net::TcpListener as StdListener;
use std::num::NonZeroUsize;
use std::process::ExitCode;

use clap::Parser;
use completion::{Runtime, TcpListener, server};
use udp_echo::cli;

// ANCHOR: main
/// A TCP echo server on io_uring: every byte a client sends comes back to
/// it, in order, on one task per connection.
#[derive(Parser, Debug)]
#[command(name = "uring-echo", version)]
struct Args {
    #[command(flatten)]
    listen: cli::Listen,
    /// Bytes of buffer per connection: the most one read takes.
    #[arg(long, value_name = "BYTES", default_value_t = NonZeroUsize::new(server::BUFFER_SIZE).unwrap())]
    buffer_size: NonZeroUsize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let addr = args.listen.addr;
        let listener = StdListener::bind(addr).map_err(|e| cli::bind_error("TCP", addr, e))?;
        let mut runtime = Runtime::new().map_err(|e| {
            anyhow::anyhow!(
                "cannot start io_uring ({e}); the readiness-based server is `cargo run -p tcp-echo`"
            )
        })?;
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            cli::announce(listener.local_addr()?)?;
            match server::serve(&listener, args.buffer_size.get()).await? {}
        })
    })
}
// ANCHOR_END: main
