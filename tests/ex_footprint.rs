//! `cargo ex` builds only what the exercise tool uses: the `ex` alias in
//! `.cargo/config.toml` turns the root package's `book` feature off, and
//! without it the dependency graph has no mdBook, template engine or HTTP
//! server (a reader's first `cargo ex` used to compile all three).

use std::process::Command;

/// The arguments of the `ex` alias, as cargo reads them.
fn ex_alias() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let config = std::fs::read_to_string(format!("{root}/.cargo/config.toml")).unwrap();
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
    let features: Vec<&str> = alias
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("--no-default-features") || a.starts_with("--features"))
        .collect();
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
        .args(["-p", "async-from-scratch"])
        .args(&features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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
