//! The figures are shown and do not restyle each other: every SVG in
//! `book/figures/` is shown by a page, every chapter page shows one, and no
//! two figures define the same CSS class or id.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use exercises::includes::{Include, markdown_files};
use exercises::{Problem, relative};
use regex::Regex;

use super::clean;
use crate::pages::Pages;

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
    let page_text: String = markdown_files(src_dir)
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .collect();
    let chapters = Pages::chapters_or_report(root, src_dir, &mut problems);
    for page in chapters {
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
    let mut owners: HashMap<String, String> = HashMap::new();
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
