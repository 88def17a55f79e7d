//! `cargo ex` builds only what the exercise tool uses: the `ex` alias in
//! `.cargo/config.toml` runs this crate, whose dependency graph has no
//! mdBook, template engine or HTTP server (a reader's first `cargo ex` used
//! to compile all three). The check follows the alias: whatever package and
//! features it names are the ones whose graph is inspected.

use std::process::Command;

/// The arguments of the `ex` alias, as cargo reads them.
fn ex_alias() -> Vec<String> {
    let config = std::fs::read_to_string(exercises::repo_root().join(".cargo/config.toml"))
        .expect("read .cargo/config.toml");
    let line = config
        .lines()
        .find(|l| l.trim_start().starts_with("ex ="))
        .expect("an `ex` alias in .cargo/config.toml");
    let value = line.split_once('=').unwrap().1.trim().trim_matches('"');
    value.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn cargo_ex_builds_no_renderer_server_or_quiz_protocol() {
    let alias = ex_alias();
    // The package the alias runs, and the feature options it gives.
    let mut package = None;
    let mut features: Vec<&str> = Vec::new();
    let mut args = alias.iter().map(String::as_str);
    while let Some(arg) = args.next() {
        match arg {
            "-p" | "--package" => package = args.next(),
            "-F" | "--features" => features.extend([arg].into_iter().chain(args.next())),
            a if a.starts_with("--package=") || a.starts_with("--features=") => {
                if let Some(name) = a.strip_prefix("--package=") {
                    package = Some(name);
                } else {
                    features.push(a);
                }
            }
            "--no-default-features" | "--all-features" => features.push(arg),
            "--" => break,
            _ => {}
        }
    }
    let package = package.expect("the `ex` alias names its package with `--package`");
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--locked",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .args(["-p", package])
        .args(&features)
        .current_dir(exercises::repo_root())
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let unused: Vec<&str> = [
        "mdbook-driver",
        "handlebars",
        "tiny_http",
        "mdbook-preprocessor",
    ]
    .into_iter()
    .filter(|name| tree.lines().any(|l| l.starts_with(&format!("{name} "))))
    .collect();
    assert!(
        unused.is_empty(),
        "`cargo ex` (alias: {alias:?}) builds {unused:?}, which the exercise tool never uses"
    );
}
