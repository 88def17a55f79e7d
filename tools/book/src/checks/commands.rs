//! The commands the book shows exist: every `cargo` command on a page, or in
//! the captured output a page includes, names packages, targets and
//! exercises the workspace has (the command line itself is read by
//! [`super::cargo_command_line`]).

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::LazyLock;

use exercises::includes::{Include, code_block_lines, markdown_files};
use exercises::workspace::Workspace;
use exercises::{Exercise, Problem, relative};
use regex::Regex;

use super::cargo_command_line::check_command;
use super::clean;

/// A `cargo` command shown in the book, and where.
#[derive(Debug, Clone)]
pub struct ShownCommand {
    pub location: String,
    pub command: String,
}

static INLINE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`([^`\n]+)`").expect("valid regex"));

/// The `cargo` commands a text shows: lines of code blocks that start with
/// `$ cargo` or `cargo`, and inline code spans that start with `cargo `.
/// `all_code` treats the whole text as one code block (an included output file).
fn commands_in(text: &str, all_code: bool, file: &str) -> Vec<ShownCommand> {
    let in_code = code_block_lines(text);
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let location = format!("{file}:{}", index + 1);
        if all_code || in_code[index] {
            let trimmed = line.trim_start();
            let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
            if command == "cargo" || command.starts_with("cargo ") {
                found.push(ShownCommand {
                    location,
                    command: command.to_string(),
                });
            }
        } else {
            for caps in INLINE_CODE.captures_iter(line) {
                let span = caps[1].trim();
                if span.starts_with("cargo ") {
                    found.push(ShownCommand {
                        location: location.clone(),
                        command: span.to_string(),
                    });
                }
            }
        }
    }
    found
}

/// Every `cargo` command the book shows: in its pages, and in the text files
/// (captured output) its code blocks include.
pub fn shown_commands(root: &Path, src_dir: &Path, includes: &[Include]) -> Vec<ShownCommand> {
    let mut found = Vec::new();
    for page in markdown_files(src_dir) {
        if let Ok(text) = fs::read_to_string(&page) {
            found.extend(commands_in(&text, false, &relative(root, &page)));
        }
    }
    let mut seen = HashSet::new();
    for include in includes.iter().filter(|i| i.in_code_block) {
        let is_text = include
            .target
            .extension()
            .is_some_and(|x| matches!(x.to_str(), Some("txt" | "console" | "sh" | "out")));
        let target = clean(&include.target);
        if is_text
            && seen.insert(target.clone())
            && let Ok(text) = fs::read_to_string(&target)
        {
            found.extend(commands_in(&text, true, &relative(root, &target)));
        }
    }
    found
}

/// Every `cargo` command shown in the book must name packages, targets and
/// exercises that exist.
pub fn check_commands(
    root: &Path,
    src_dir: &Path,
    includes: &[Include],
    workspace: &Workspace,
    exercises: &[Exercise],
) -> Vec<Problem> {
    shown_commands(root, src_dir, includes)
        .into_iter()
        .flat_map(|shown| {
            check_command(&shown.command, workspace, exercises)
                .into_iter()
                .map(move |error| {
                    Problem::new(
                        shown.location.clone(),
                        format!("`{}` {error}", shown.command),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_come_from_code_blocks_and_inline_spans() {
        let text =
            "Run `cargo run -p waker` now.\n```console\n$ cargo ex check 1.1\nnot cargo\n```\n";
        let found: Vec<String> = commands_in(text, false, "p.md")
            .into_iter()
            .map(|c| format!("{} {}", c.location, c.command))
            .collect();
        assert_eq!(
            found,
            ["p.md:1 cargo run -p waker", "p.md:3 cargo ex check 1.1"]
        );
    }
}
