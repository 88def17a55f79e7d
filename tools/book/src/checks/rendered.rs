//! The rendered pages show what the sources promise: no `{{#...}}` survives
//! into the HTML (an include mdBook could not resolve), and the included code
//! and prose really appear on their page.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use exercises::includes::{Include, LINK, markdown_files, select};
use exercises::{Problem, relative};
use regex::Regex;
use walkdir::WalkDir;

use crate::render::BuiltBook;

fn decode_html(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z0-9_]+").expect("valid regex"));
static MD_LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\([^)]*\)").expect("valid regex"));

fn words(text: &str) -> String {
    let joined: Vec<&str> = WORD.find_iter(text).map(|m| m.as_str()).collect();
    format!(" {} ", joined.join(" "))
}

/// The line of included code most likely to be unique on the page: the
/// longest one that mdBook shows as is (not a hidden `#` line).
fn distinctive_code_line(selected: &str) -> Option<&str> {
    selected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .max_by_key(|l| l.len())
}

/// The Markdown line with the most words, as plain words (link targets and
/// inline HTML dropped): formatting changes in rendering, words do not.
fn distinctive_prose_words(selected: &str) -> Option<String> {
    selected
        .lines()
        .map(|l| words(&TAG.replace_all(&MD_LINK_TARGET.replace_all(l, "]"), " ")))
        .filter(|w| !w.trim().is_empty())
        .max_by_key(|w| w.len())
}

/// The escaped links of a page (`\{{#include x}}`), as they render: `{{#include x}}`.
fn escaped_directives(markdown: &str) -> Vec<String> {
    LINK.find_iter(markdown)
        .filter(|m| m.as_str().starts_with('\\'))
        .map(|m| m.as_str()[1..].to_string())
        .collect()
}

/// Every `{{#...}}` left in rendered (and entity-decoded) HTML.
fn leftover_directives(decoded: &str) -> Vec<&str> {
    decoded
        .match_indices("{{#")
        .map(|(at, _)| {
            let rest = &decoded[at..];
            let end = rest.find("}}").map_or_else(
                // Unclosed: show up to 80 bytes, cut at a character boundary.
                || {
                    (0..=rest.len().min(80))
                        .rev()
                        .find(|&i| rest.is_char_boundary(i))
                        .unwrap_or(0)
                },
                |e| e + 2,
            );
            &rest[..end]
        })
        .collect()
}

/// The rendered page for a Markdown page, if mdBook rendered it.
fn rendered_page(built: &BuiltBook, page: &Path) -> Option<PathBuf> {
    let rel = page.strip_prefix(&built.src_dir).ok()?;
    let html = built.html_dir.join(rel).with_extension("html");
    html.is_file().then_some(html)
}

/// Problems in the rendered HTML: a `{{#` that survived (an include mdBook
/// could not resolve), and included code missing from its page.
pub fn check_rendered(root: &Path, built: &BuiltBook, includes: &[Include]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for page in markdown_files(&built.src_dir) {
        let page_rel = relative(root, &page);
        let Ok(source) = fs::read_to_string(&page) else {
            continue;
        };
        let Some(html_path) = rendered_page(built, &page) else {
            let has_includes = includes.iter().any(|i| i.page == page);
            if has_includes && page.file_name().is_some_and(|n| n != "SUMMARY.md") {
                problems.push(Problem::new(
                    page_rel,
                    "this page includes code but mdBook did not render it: \
                     link it from book/SUMMARY.md",
                ));
            }
            continue;
        };
        let html = fs::read_to_string(&html_path).unwrap_or_default();
        let decoded = decode_html(&html);
        let html_rel = relative(root, &html_path);
        // An escaped `\{{#...}}` is meant to show up literally: set those aside.
        let mut escaped = escaped_directives(&source);
        for snippet in leftover_directives(&decoded) {
            if let Some(i) = escaped.iter().position(|e| e == snippet) {
                escaped.swap_remove(i);
                continue;
            }
            let line = source
                .lines()
                .position(|l| l.contains(snippet) && !l.contains(&format!("\\{snippet}")))
                .map(|n| format!(":{}", n + 1))
                .unwrap_or_default();
            problems.push(Problem::new(
                format!("{page_rel}{line}"),
                format!(
                    "`{snippet}` was left unexpanded in the rendered page {html_rel} \
                     (mdBook could not resolve it)"
                ),
            ));
        }
        let page_words = words(&decode_html(&TAG.replace_all(&html, " ")));
        for include in includes.iter().filter(|i| i.page == page) {
            let Ok(text) = fs::read_to_string(&include.target) else {
                continue; // reported by check_includes
            };
            let selected = select(&text, &include.selector);
            let is_prose =
                include.target.extension().is_some_and(|x| x == "md") || !include.in_code_block;
            let missing = if is_prose {
                distinctive_prose_words(&selected)
                    .filter(|w| !page_words.contains(w.as_str()))
                    .map(|w| w.trim().to_string())
            } else {
                distinctive_code_line(&selected)
                    .filter(|l| !decoded.contains(l))
                    .map(str::to_string)
            };
            if let Some(line) = missing {
                problems.push(Problem::new(
                    include.location(root),
                    format!(
                        "`{}`: the rendered page {html_rel} does not contain the included text \
                         (looked for `{line}`)",
                        include.directive
                    ),
                ));
            }
        }
    }
    problems.extend(unexpanded_elsewhere(root, built));
    problems
}

/// `{{#` in the rendered files that are not one page's (print.html, toc.html):
/// anything there that is not one of the book's escaped examples is an
/// include mdBook could not resolve.
fn unexpanded_elsewhere(root: &Path, built: &BuiltBook) -> Vec<Problem> {
    let sources: Vec<PathBuf> = markdown_files(&built.src_dir);
    let page_outputs: HashSet<PathBuf> = sources
        .iter()
        .filter_map(|page| rendered_page(built, page))
        .collect();
    let escaped: HashSet<String> = sources
        .iter()
        .filter_map(|page| fs::read_to_string(page).ok())
        .flat_map(|text| escaped_directives(&text))
        .collect();
    let mut problems = Vec::new();
    for entry in WalkDir::new(&built.html_dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let is_html = path.extension().is_some_and(|x| x == "html");
        // mdBook writes the first page a second time as index.html.
        let first_page_copy = path == built.html_dir.join("index.html");
        if !is_html || page_outputs.contains(path) || first_page_copy {
            continue;
        }
        let decoded = decode_html(&fs::read_to_string(path).unwrap_or_default());
        let mut reported = HashSet::new();
        for snippet in leftover_directives(&decoded) {
            if !escaped.contains(snippet) && reported.insert(snippet.to_string()) {
                problems.push(Problem::new(
                    relative(root, path),
                    format!("`{snippet}` was left unexpanded (mdBook could not resolve it)"),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_directives_are_cut_at_their_end_or_a_character_boundary() {
        assert_eq!(
            leftover_directives("a {{#include x}} b"),
            ["{{#include x}}"]
        );
        let unclosed = format!("{{{{#{}", "é".repeat(60));
        let found = leftover_directives(&unclosed);
        assert!(
            found[0].len() <= 80 && found[0].starts_with("{{#é"),
            "{found:?}"
        );
    }
}
