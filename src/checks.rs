//! The whole-book checks: the book and its code cannot drift apart.
//!
//! mdBook is lenient: a missing include file logs an error and the build
//! still succeeds, a missing anchor renders as nothing at all, and a command
//! shown on a page is never run. Each function here looks at one way the
//! book can silently break and returns every instance as a [`Problem`] that
//! names the file, the line and the include or command at fault.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use walkdir::WalkDir;

use crate::exercises::Exercise;
use crate::includes::{ANCHOR_END, ANCHOR_START, LINK, code_block_lines};
pub use crate::includes::{Include, Selector, find_includes, pages, select};
use crate::relative;
use crate::render::BuiltBook;
use crate::workspace::Workspace;

/// One thing wrong with the book, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `book/01-waker.md:42`, a file, or `mdbook build`.
    pub location: String,
    pub message: String,
}

impl Problem {
    fn new(location: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Formats problems one per line, for a test's failure message.
pub fn report(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}\n"))
        .collect::<String>()
}

/// Includes that name a missing file, a missing or empty anchor, an empty
/// line range, or show a whole file with its anchor markers.
pub fn check_includes(root: &Path, includes: &[Include]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for include in includes {
        let at = include.location(root);
        let directive = &include.directive;
        let shown = relative(root, &clean(&include.target));
        let Ok(text) = fs::read_to_string(&include.target) else {
            problems.push(Problem::new(
                at,
                format!(
                    "`{directive}` names `{}`, which does not exist ({shown})",
                    include.path
                ),
            ));
            continue;
        };
        let selected = select(&text, &include.selector);
        match &include.selector {
            Selector::Anchor(anchor) => {
                let starts = text
                    .lines()
                    .any(|l| ANCHOR_START.captures(l).is_some_and(|c| &c[1] == anchor));
                let ends = text
                    .lines()
                    .any(|l| ANCHOR_END.captures(l).is_some_and(|c| &c[1] == anchor));
                let message = if !starts {
                    let known: Vec<String> = text
                        .lines()
                        .filter_map(|l| ANCHOR_START.captures(l).map(|c| c[1].to_string()))
                        .collect();
                    Some(format!(
                        "`{directive}`: {shown} has no `ANCHOR: {anchor}` (its anchors: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                } else if !ends {
                    Some(format!(
                        "`{directive}`: {shown} has `ANCHOR: {anchor}` but no `ANCHOR_END: {anchor}`"
                    ))
                } else if selected.trim().is_empty() {
                    Some(format!(
                        "`{directive}`: anchor `{anchor}` in {shown} is empty"
                    ))
                } else {
                    None
                };
                problems.extend(message.map(|m| Problem::new(at, m)));
            }
            Selector::Lines { start, end } => {
                if selected.trim().is_empty() {
                    let count = text.lines().count();
                    let message = match (start, end) {
                        (None, None) => format!("`{directive}`: {shown} is empty"),
                        _ => format!(
                            "`{directive}`: the lines selected from {shown} are empty \
                             or past its end (it has {count} lines)"
                        ),
                    };
                    problems.push(Problem::new(at, message));
                } else if selected
                    .lines()
                    .any(|l| ANCHOR_START.is_match(l) || ANCHOR_END.is_match(l))
                {
                    problems.push(Problem::new(
                        at,
                        format!(
                            "`{directive}` shows `ANCHOR:` marker comments from {shown} in the book; \
                             include a named anchor instead"
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist).
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every WARN or ERROR mdBook logged while building.
pub fn check_build_log(built: &BuiltBook) -> Vec<Problem> {
    built
        .diagnostics
        .iter()
        .map(|event| Problem::new("mdbook build", format!("mdBook logged {event}")))
        .collect()
}

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
    for page in pages(&built.src_dir) {
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
    let sources: Vec<PathBuf> = pages(&built.src_dir);
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

static SUMMARY_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^)]*)\)").expect("valid regex"));

/// Every `chapters/*` crate must be included by a page, and its page
/// (`book/NN-name.md`) must be a link in `SUMMARY.md`, not a draft.
pub fn check_chapters(root: &Path, src_dir: &Path, includes: &[Include]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let summary_path = src_dir.join("SUMMARY.md");
    let summary = fs::read_to_string(&summary_path).unwrap_or_default();
    let linked: Vec<String> = SUMMARY_LINK
        .captures_iter(&summary)
        .map(|c| c[2].trim().to_string())
        .filter(|target| !target.is_empty())
        .collect();
    let included: Vec<PathBuf> = includes.iter().map(|i| clean(&i.target)).collect();
    let Ok(entries) = fs::read_dir(root.join("chapters")) else {
        return problems;
    };
    let mut chapters: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    chapters.sort();
    for chapter in chapters {
        let name = chapter
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let chapter_rel = relative(root, &chapter);
        let chapter_clean = clean(&chapter);
        if !included.iter().any(|t| t.starts_with(&chapter_clean)) {
            problems.push(Problem::new(
                chapter_rel.clone(),
                format!("no page of the book includes anything from this crate (expected `{{{{#include ../{chapter_rel}/...}}}}` in book/{name}.md)"),
            ));
        }
        let page = format!("{name}.md");
        let is_linked = linked
            .iter()
            .any(|t| t == &page || t.starts_with(&format!("{name}/")) || t == &format!("./{page}"));
        if !is_linked {
            problems.push(Problem::new(
                relative(root, &summary_path),
                format!(
                    "the page of {chapter_rel} is not listed as a link: expected `[Title]({page})` \
                     (an entry `[Title]()` is a draft and is not rendered)"
                ),
            ));
        } else if !src_dir.join(&page).is_file() && !src_dir.join(&name).is_dir() {
            problems.push(Problem::new(
                relative(root, &summary_path),
                format!(
                    "links `{page}` for {chapter_rel}, but {} does not exist",
                    relative(root, &src_dir.join(&page))
                ),
            ));
        }
    }
    problems
}

/// Every exercise's stub, both hints and solution must be included by some page.
pub fn check_exercises_included(
    root: &Path,
    exercises: &[Exercise],
    includes: &[Include],
) -> Vec<Problem> {
    let included: HashSet<PathBuf> = includes.iter().map(|i| clean(&i.target)).collect();
    let mut problems = Vec::new();
    for exercise in exercises {
        for (what, path) in [
            ("stub", &exercise.stub),
            ("hint", &exercise.hint),
            ("second hint", &exercise.more),
            ("solution", &exercise.solution),
        ] {
            if !included.contains(&clean(path)) {
                problems.push(Problem::new(
                    relative(root, &exercise.package_dir.join("Cargo.toml")),
                    format!(
                        "{}: its {what} {} is not included by any page of the book",
                        exercise.label(),
                        relative(root, path)
                    ),
                ));
            }
        }
    }
    problems
}

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
    for page in pages(src_dir) {
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

fn is_placeholder(word: &str) -> bool {
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
                    if let Err(e) = crate::exercises::find(exercises, key) {
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
            let scope: Vec<&crate::workspace::Package> = if packages.is_empty() {
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
                let targets = |p: &crate::workspace::Package| -> Vec<String> {
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

static SVG_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bid="([^"]+)""#).expect("valid regex"));
static STYLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<style[^>]*>(.*?)</style>").expect("valid regex"));
static CSS_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.(-?[A-Za-z_][\w-]*)").expect("valid regex"));
static CSS_BLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{[^}]*\}").expect("valid regex"));

/// The figures (`book/figures/*.svg`) are inlined into their pages, so their
/// ids and the classes their `<style>` defines share one document with every
/// other figure on the page, and all of them share `print.html`. Two figures
/// that define the same class or id restyle or relabel each other there.
/// Every figure must also be shown by some page, and every chapter page must
/// show a figure.
pub fn check_figures(root: &Path, src_dir: &Path, includes: &[Include]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Ok(entries) = fs::read_dir(src_dir.join("figures")) else {
        return problems;
    };
    let mut figures: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect();
    figures.sort();
    let included: HashSet<PathBuf> = includes.iter().map(|i| clean(&i.target)).collect();
    let page_text: String = pages(src_dir)
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .collect();
    for page in crate::quiz::chapter_pages(src_dir) {
        let shows_a_figure = includes
            .iter()
            .any(|i| i.page == page && i.path.contains("figures/") && i.path.ends_with(".svg"));
        if page.is_file() && !shows_a_figure {
            problems.push(Problem::new(
                relative(root, &page),
                "this chapter shows no figure: include one from book/figures/ \
                 (`{{#include figures/NAME.svg}}`) where a picture says it faster than text",
            ));
        }
    }
    let mut owners: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for figure in &figures {
        let rel = relative(root, figure);
        let name = figure.file_name().unwrap_or_default().to_string_lossy();
        if !included.contains(&clean(figure)) && !page_text.contains(&format!("figures/{name}")) {
            problems.push(Problem::new(
                rel.clone(),
                "no page of the book shows this figure",
            ));
        }
        let text = fs::read_to_string(figure).unwrap_or_default();
        let mut names: Vec<String> = SVG_ID
            .captures_iter(&text)
            .map(|c| format!("id `{}`", &c[1]))
            .collect();
        for style in STYLE.captures_iter(&text) {
            // Class selectors only: `.5` in a number is not one.
            let css = CSS_BLOCK.replace_all(&style[1], "{}");
            names.extend(
                CSS_CLASS
                    .captures_iter(&css)
                    .map(|c| format!("class `{}`", &c[1])),
            );
        }
        names.sort();
        names.dedup();
        let mut clashes = Vec::new();
        for name in names {
            match owners.get(&name) {
                Some(other) if *other != rel => clashes.push(format!("{name} (also in {other})")),
                _ => {
                    owners.insert(name, rel.clone());
                }
            }
        }
        if !clashes.is_empty() {
            problems.push(Problem::new(
                rel,
                format!(
                    "shares {} with another figure; inlined on one page (print.html shows them \
                     all) they restyle each other: give each figure its own prefix",
                    clashes.join(", ")
                ),
            ));
        }
    }
    problems
}

/// Everything that can be checked without running the exercises: the build
/// log, the includes, the rendered pages, the chapters, the commands and the
/// exercises' presence in the book.
pub fn check_book(
    root: &Path,
    built: &BuiltBook,
    workspace: &Workspace,
    exercises: &[Exercise],
) -> Vec<Problem> {
    let includes = find_includes(&built.src_dir);
    let mut problems = check_build_log(built);
    problems.extend(check_includes(root, &includes));
    problems.extend(check_rendered(root, built, &includes));
    problems.extend(check_chapters(root, &built.src_dir, &includes));
    problems.extend(check_commands(
        root,
        &built.src_dir,
        &includes,
        workspace,
        exercises,
    ));
    problems.extend(check_exercises_included(root, exercises, &includes));
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
