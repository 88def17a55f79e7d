//! The book's pages as mdBook reads them from `SUMMARY.md`: one list, built
//! on [`MDBook::iter`], for every check that asks "which pages does the book
//! have" or "which are chapters".
//!
//! mdBook's own parser is the judge, not a pattern over `SUMMARY.md`: nested
//! entries, numbered and unnumbered parts and drafts (`[Many Cores]()`,
//! listed but without a file, and not rendered) are read exactly as the
//! renderer reads them.

use std::path::{Path, PathBuf};

use anyhow::Context;
use exercises::{Problem, relative};
use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use mdbook_driver::config::Config;

/// One entry of `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The title it is listed under.
    pub title: String,
    /// The Markdown file, absolute; `None` for a draft.
    pub source: Option<PathBuf>,
}

/// Every entry of `SUMMARY.md`, in reading order (depth first).
#[derive(Debug, Clone)]
pub struct Pages {
    pub src_dir: PathBuf,
    pub entries: Vec<Page>,
}

impl Pages {
    /// Reads `SUMMARY.md` in `src_dir` with mdBook. Fails, with mdBook's
    /// reason, when it cannot be parsed or links a file that does not exist
    /// (the files are never created: `create-missing` is off).
    pub fn load(src_dir: &Path) -> anyhow::Result<Pages> {
        let root = src_dir.parent().unwrap_or(src_dir);
        let mut config = Config::default();
        config.book.src = src_dir
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        config.build.create_missing = false;
        let book = MDBook::load_with_config(root, config).with_context(|| {
            format!(
                "mdBook cannot read {}",
                src_dir.join("SUMMARY.md").display()
            )
        })?;
        let entries = book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(chapter) => Some(Page {
                    title: chapter.name.clone(),
                    source: chapter.source_path.as_ref().map(|p| src_dir.join(p)),
                }),
                _ => None,
            })
            .collect();
        Ok(Pages {
            src_dir: src_dir.to_path_buf(),
            entries,
        })
    }

    /// [`Pages::load`] for a check: the reason mdBook cannot read
    /// `SUMMARY.md` is itself the problem to report, located at that file
    /// (`root` is where locations are relative to).
    pub fn load_or_problem(root: &Path, src_dir: &Path) -> Result<Pages, Problem> {
        Pages::load(src_dir).map_err(|error| {
            Problem::new(
                relative(root, &src_dir.join("SUMMARY.md")),
                format!("{error:#}"),
            )
        })
    }

    /// The chapter pages of the book in `src_dir` (see [`Pages::chapters`]);
    /// none, with the reason added to `problems`, when mdBook cannot read
    /// its `SUMMARY.md`.
    pub fn chapters_or_report(
        root: &Path,
        src_dir: &Path,
        problems: &mut Vec<Problem>,
    ) -> Vec<PathBuf> {
        match Pages::load_or_problem(root, src_dir) {
            Ok(pages) => pages.chapters(),
            Err(problem) => {
                problems.push(problem);
                Vec::new()
            }
        }
    }

    /// The pages that have a file (every entry but the drafts).
    pub fn linked(&self) -> impl Iterator<Item = &Path> {
        self.entries.iter().filter_map(|p| p.source.as_deref())
    }

    /// The entries listed without a file: drafts, not rendered.
    pub fn drafts(&self) -> impl Iterator<Item = &Page> {
        self.entries.iter().filter(|p| p.source.is_none())
    }

    /// The chapter pages: linked files named `NN-name.md` at the top of the
    /// source directory, the page of the crate `chapters/NN-name`, sorted.
    pub fn chapters(&self) -> Vec<PathBuf> {
        let mut chapters: Vec<PathBuf> = self
            .linked()
            .filter(|page| page.parent() == Some(&self.src_dir))
            .filter(|page| page.extension().is_some_and(|x| x == "md"))
            .filter(|page| {
                page.file_stem()
                    .is_some_and(|stem| exercises::list::chapter_number(Path::new(stem)).is_some())
            })
            .map(Path::to_path_buf)
            .collect();
        chapters.sort();
        chapters.dedup();
        chapters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_nested_entries_and_parts_are_read_as_mdbook_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("book");
        std::fs::create_dir_all(src.join("07-timers")).unwrap();
        std::fs::write(
            src.join("SUMMARY.md"),
            "# Summary\n\n[Introduction](intro.md)\n\n# Part one\n\n\
             - [Waker](01-waker.md)\n    - [Details](07-timers/details.md)\n\
             - [Many Cores]()\n- [Timers](./07-timers.md)\n\n[Appendix](appendix.md)\n",
        )
        .unwrap();
        for page in [
            "intro.md",
            "01-waker.md",
            "07-timers/details.md",
            "07-timers.md",
            "appendix.md",
        ] {
            std::fs::write(src.join(page), "# x\n").unwrap();
        }
        let pages = Pages::load(&src).unwrap();
        let titles: Vec<&str> = pages.entries.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Introduction",
                "Waker",
                "Details",
                "Many Cores",
                "Timers",
                "Appendix"
            ]
        );
        let drafts: Vec<&str> = pages.drafts().map(|p| p.title.as_str()).collect();
        assert_eq!(drafts, ["Many Cores"]);
        assert_eq!(
            pages.chapters(),
            [src.join("01-waker.md"), src.join("07-timers.md")]
        );
    }

    #[test]
    fn a_link_to_a_missing_page_is_an_error_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("book");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("SUMMARY.md"),
            "# Summary\n\n- [Gone](01-gone.md)\n",
        )
        .unwrap();
        let error = format!("{:#}", Pages::load(&src).unwrap_err());
        assert!(error.contains("01-gone.md"), "{error}");
        assert!(!src.join("01-gone.md").exists());
    }
}
