//! The book's includes, parsed as mdBook parses them: every
//! `{{#include file:selector}}` of every page, and the lines each one shows.
//! Here, not with the book checks in `tools/book` (nor in mdBook), because
//! `cargo ex` needs it too, to show where the book includes each exercise,
//! and `cargo ex` does not build the renderer.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use walkdir::WalkDir;

use crate::relative;

/// Which lines of the file an include takes, in mdBook's syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// `file:name`: the lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
    /// `file`, `file:N`, `file:N:M`, `file:N:` or `file::M` (0-based, end exclusive).
    Lines {
        start: Option<usize>,
        end: Option<usize>,
    },
}

/// One `{{#include ...}}` or `{{#rustdoc_include ...}}` in a page.
#[derive(Debug, Clone)]
pub struct Include {
    /// The Markdown page, absolute.
    pub page: PathBuf,
    /// 1-based line of the page.
    pub line: usize,
    /// The directive as written, for messages.
    pub directive: String,
    /// The path as written, relative to the page.
    pub path: String,
    /// `page`'s directory joined with `path`.
    pub target: PathBuf,
    pub selector: Selector,
    /// Whether the include sits inside a fenced code block.
    pub in_code_block: bool,
}

impl Include {
    /// `book/01-waker.md:42`, where a message points.
    pub fn location(&self, root: &Path) -> String {
        format!("{}:{}", relative(root, &self.page), self.line)
    }
}

pub static LINK: LazyLock<Regex> = LazyLock::new(|| {
    // mdBook's own pattern (mdbook-driver, links.rs): an escaped link, or
    // `{{#type target}}`.
    Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").expect("valid regex")
});
pub static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*([\w_-]+)").expect("valid regex"));
pub static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*([\w_-]+)").expect("valid regex"));

/// Every Markdown file under the book's source directory, sorted, whether
/// `SUMMARY.md` lists it or not (for the list mdBook renders, see
/// `book::pages` in `tools/book`).
pub fn markdown_files(src_dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = WalkDir::new(src_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    pages.sort();
    pages
}

/// Whether each line of `text` lies inside a fenced code block (fence lines
/// themselves count as inside).
pub fn code_block_lines(text: &str) -> Vec<bool> {
    let mut open: Option<(char, usize)> = None;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let fence = ['`', '~'].into_iter().find_map(|c| {
                let n = trimmed.chars().take_while(|&x| x == c).count();
                (n >= 3).then_some((c, n))
            });
            match (open, fence) {
                (None, Some(f)) => {
                    open = Some(f);
                    true
                }
                (Some((c, n)), Some((fc, fnum)))
                    if c == fc && fnum >= n && trimmed.trim_matches(c).trim().is_empty() =>
                {
                    open = None;
                    true
                }
                (Some(_), _) => true,
                (None, None) => false,
            }
        })
        .collect()
}

pub fn parse_selector(rest: Option<&str>) -> Selector {
    // Mirrors mdBook's `parse_range_or_anchor`.
    let mut parts = rest.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(s) if s.parse::<usize>().is_ok() => {
            s.parse::<usize>().ok().map(|n| n.saturating_sub(1))
        }
        Some("") | None => None,
        Some(anchor) => return Selector::Anchor(anchor.to_string()),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    match (start, end) {
        (Some(start), Some(Ok(end))) => Selector::Lines {
            start: Some(start),
            end: Some(end),
        },
        (Some(start), Some(Err(_))) => Selector::Lines {
            start: Some(start),
            end: None,
        },
        (Some(start), None) => Selector::Lines {
            start: Some(start),
            end: Some(start + 1),
        },
        (None, Some(Ok(end))) => Selector::Lines {
            start: None,
            end: Some(end),
        },
        (None, _) => Selector::Lines {
            start: None,
            end: None,
        },
    }
}

/// Every include in every page under `src_dir`, in page order. Escaped
/// links (`\{{#include ...}}`, shown literally) are not includes.
pub fn find_includes(src_dir: &Path) -> Vec<Include> {
    let mut includes = Vec::new();
    for page in markdown_files(src_dir) {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        let in_code = code_block_lines(&text);
        for (index, line) in text.lines().enumerate() {
            for caps in LINK.captures_iter(line) {
                let (Some(kind), Some(args)) = (caps.get(1), caps.get(2)) else {
                    continue;
                };
                if !matches!(kind.as_str(), "include" | "rustdoc_include") {
                    continue;
                }
                let Some(arg) = args.as_str().split_whitespace().next() else {
                    continue;
                };
                let (path, rest) = match arg.split_once(':') {
                    Some((path, rest)) => (path, Some(rest)),
                    None => (arg, None),
                };
                includes.push(Include {
                    page: page.clone(),
                    line: index + 1,
                    directive: caps[0].to_string(),
                    path: path.to_string(),
                    target: page.parent().unwrap_or(src_dir).join(path),
                    selector: parse_selector(rest),
                    in_code_block: in_code.get(index).copied().unwrap_or(false),
                });
            }
        }
    }
    includes
}

/// The lines an include shows, as mdBook selects them (anchor marker lines
/// inside an anchored region are dropped).
pub fn select(text: &str, selector: &Selector) -> String {
    match selector {
        Selector::Lines { start, end } => {
            let start = start.unwrap_or(0);
            let lines = text.lines().skip(start);
            match end {
                Some(end) => lines
                    .take(end.saturating_sub(start))
                    .collect::<Vec<_>>()
                    .join("\n"),
                None => lines.collect::<Vec<_>>().join("\n"),
            }
        }
        Selector::Anchor(anchor) => {
            let mut kept = Vec::new();
            let mut inside = false;
            for line in text.lines() {
                if inside {
                    if ANCHOR_END.captures(line).is_some_and(|c| &c[1] == anchor) {
                        break;
                    }
                    if !ANCHOR_START.is_match(line) && !ANCHOR_END.is_match(line) {
                        kept.push(line);
                    }
                } else if ANCHOR_START.captures(line).is_some_and(|c| &c[1] == anchor) {
                    inside = true;
                }
            }
            kept.join("\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_follow_mdbook_syntax() {
        assert_eq!(
            parse_selector(None),
            Selector::Lines {
                start: None,
                end: None
            }
        );
        assert_eq!(
            parse_selector(Some("block_on")),
            Selector::Anchor("block_on".into())
        );
        assert_eq!(
            parse_selector(Some("3")),
            Selector::Lines {
                start: Some(2),
                end: Some(3)
            }
        );
        assert_eq!(
            parse_selector(Some("2:4")),
            Selector::Lines {
                start: Some(1),
                end: Some(4)
            }
        );
        assert_eq!(
            parse_selector(Some("2:")),
            Selector::Lines {
                start: Some(1),
                end: None
            }
        );
        assert_eq!(
            parse_selector(Some(":4")),
            Selector::Lines {
                start: None,
                end: Some(4)
            }
        );
    }

    #[test]
    fn an_anchor_selects_its_lines_without_nested_markers() {
        let text = "a\n// ANCHOR: outer\nb\n// ANCHOR: inner\nc\n// ANCHOR_END: inner\n// ANCHOR_END: outer\nd";
        assert_eq!(select(text, &Selector::Anchor("outer".into())), "b\nc");
        assert_eq!(select(text, &Selector::Anchor("inner".into())), "c");
        assert_eq!(select(text, &Selector::Anchor("none".into())), "");
    }

    #[test]
    fn code_block_lines_are_tracked_across_nested_fences() {
        let text = "x\n````md\n```rust\ny\n```\n````\nz";
        assert_eq!(
            code_block_lines(text),
            [false, true, true, true, true, true, false]
        );
    }
}
