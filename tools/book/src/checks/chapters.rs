//! Every chapter crate is in the book: some page includes its code, and its
//! page is a link in `SUMMARY.md`, not a draft.

use std::fs;
use std::path::{Path, PathBuf};

use exercises::includes::Include;
use exercises::{Problem, relative};

use super::clean;
use crate::pages::Pages;

/// Every `chapters/*` crate must be included by a page, and its page
/// (`book/NN-name.md`) must be a link in `SUMMARY.md`, not a draft.
pub fn check_chapters(root: &Path, src_dir: &Path, includes: &[Include]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let summary_path = src_dir.join("SUMMARY.md");
    // A SUMMARY.md mdBook cannot read (or that links a missing file) is the
    // one problem to report: nothing below can be judged without it.
    let pages = match Pages::load_or_problem(root, src_dir) {
        Ok(pages) => pages,
        Err(problem) => return vec![problem],
    };
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
        let page = src_dir.join(format!("{name}.md"));
        let folder = src_dir.join(&name);
        let is_linked = pages
            .linked()
            .any(|linked| linked == page || linked.starts_with(&folder));
        if !is_linked {
            problems.push(Problem::new(
                relative(root, &summary_path),
                format!(
                    "the page of {chapter_rel} is not listed as a link: expected `[Title]({name}.md)` \
                     (an entry `[Title]()` is a draft and is not rendered)"
                ),
            ));
        }
    }
    problems
}
