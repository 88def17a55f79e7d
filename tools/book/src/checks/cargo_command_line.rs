//! Reading one `cargo` command line as cargo would, far enough to know what
//! it names: the packages (`-p`), the binaries, examples and tests, and the
//! exercise of a `cargo ex check NAME`. Placeholders (`NAME`, `<file>`) name
//! nothing and are skipped.

use exercises::Exercise;
use exercises::workspace::{Package, Workspace};

pub fn is_placeholder(word: &str) -> bool {
    word.starts_with('<')
        || (word.chars().any(|c| c.is_ascii_uppercase())
            && word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c == '|'))
}

/// What is wrong with one command, if anything.
pub fn check_command(command: &str, workspace: &Workspace, exercises: &[Exercise]) -> Vec<String> {
    let mut errors = Vec::new();
    // Check each `cargo` of `a && b`, `a | b`, `a; b`; a `#` starts a comment.
    let without_comment = command.split(" #").next().unwrap_or(command);
    for part in without_comment.split(['&', '|', ';']) {
        let tokens: Vec<String> = part
            .split_whitespace()
            .map(|t| t.trim_matches(|c| c == '"' || c == '\'').to_string())
            .collect();
        let Some(start) = tokens.iter().position(|t| t == "cargo") else {
            continue;
        };
        errors.extend(check_cargo_invocation(
            &tokens[start + 1..],
            workspace,
            exercises,
        ));
    }
    errors
}

fn check_cargo_invocation(
    args: &[String],
    workspace: &Workspace,
    exercises: &[Exercise],
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut rest = args.iter().map(String::as_str).peekable();
    let mut subcommand = None;
    while let Some(arg) = rest.next() {
        match arg {
            "--color" | "--config" | "-Z" | "-C" => {
                rest.next();
            }
            a if a.starts_with('-') || a.starts_with('+') => {}
            a => {
                subcommand = Some(a);
                break;
            }
        }
    }
    let rest: Vec<&str> = rest.collect();
    match subcommand {
        None | Some("book") => {}
        Some("ex") => match rest.first().copied() {
            None | Some("list" | "--help" | "-h" | "help") => {}
            Some("check" | "hint" | "solution") => match rest.get(1) {
                // Prose may name the command itself ("`cargo ex check` runs ...").
                None => {}
                Some(key) if is_placeholder(key) => {}
                Some(key) => {
                    if let Err(e) = exercises::list::find(exercises, key) {
                        errors.push(e);
                    }
                }
            },
            Some(other) => errors.push(format!(
                "`cargo ex` has no subcommand `{other}` (it has list, check, hint, solution)"
            )),
        },
        Some(_) => {
            let mut packages = Vec::new();
            let mut named: Vec<(&str, String)> = Vec::new();
            let mut options = rest.iter().copied();
            while let Some(arg) = options.next() {
                if arg == "--" {
                    break; // what follows goes to the program
                }
                let (flag, inline) = match arg.split_once('=') {
                    Some((flag, value)) if flag.starts_with("--") => {
                        (flag, Some(value.to_string()))
                    }
                    _ => (arg, None),
                };
                let kind = match flag {
                    "-p" | "--package" => "package",
                    "--bin" => "binary",
                    "--example" => "example",
                    "--test" => "test",
                    f if f.starts_with("-p") && f.len() > 2 => {
                        packages.push(f[2..].to_string());
                        continue;
                    }
                    _ => continue,
                };
                let Some(value) = inline.or_else(|| options.next().map(str::to_string)) else {
                    errors.push(format!("`{flag}` is missing its value"));
                    continue;
                };
                if kind == "package" {
                    packages.push(value);
                } else {
                    named.push((kind, value));
                }
            }
            for package in &packages {
                if !is_placeholder(package) && workspace.package(package).is_none() {
                    let known: Vec<&str> =
                        workspace.packages.iter().map(|p| p.name.as_str()).collect();
                    errors.push(format!(
                        "names package `{package}`, which is not in the workspace (packages: {})",
                        known.join(", ")
                    ));
                }
            }
            let scope: Vec<&Package> = if packages.is_empty() {
                workspace.packages.iter().collect()
            } else {
                packages
                    .iter()
                    .filter_map(|p| workspace.package(p))
                    .collect()
            };
            for (kind, name) in named {
                if is_placeholder(&name) || scope.is_empty() {
                    continue;
                }
                let targets = |p: &Package| -> Vec<String> {
                    match kind {
                        "binary" => p.bins.clone(),
                        "example" => p.examples.clone(),
                        _ => p.tests.clone(),
                    }
                };
                if !scope.iter().any(|p| targets(p).contains(&name)) {
                    let known: Vec<String> = scope.iter().flat_map(|p| targets(p)).collect();
                    let place = if packages.is_empty() {
                        "the workspace".to_string()
                    } else {
                        format!("package `{}`", packages.join("`, `"))
                    };
                    errors.push(format!(
                        "names {kind} `{name}`, which {place} does not have ({kind} targets there: {})",
                        if known.is_empty() { "none".to_string() } else { known.join(", ") }
                    ));
                }
            }
        }
    }
    errors
}
