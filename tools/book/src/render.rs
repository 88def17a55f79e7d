//! Building the book with mdBook, in process.
//!
//! [`build_book`] is shared by `cargo book` and the book checks, so the book a
//! reader serves is exactly the book the tests check. Preprocessors the book
//! needs beyond mdBook's built-in ones are registered in [`configure`], the one
//! place to add them.

use std::path::{Path, PathBuf};

use anyhow::Context;
use mdbook_driver::MDBook;

use crate::mdbook_log::{LogEvent, capture};

/// The result of a build that did not fail outright.
#[derive(Debug)]
pub struct BuiltBook {
    /// The book's title from `book.toml`.
    pub title: String,
    /// The directory holding the rendered HTML (`index.html`, one page per chapter).
    pub html_dir: PathBuf,
    /// The Markdown source directory (`book/`).
    pub src_dir: PathBuf,
    /// WARN and ERROR events mdBook logged: broken includes show up here, not
    /// as a build error.
    pub diagnostics: Vec<LogEvent>,
}

/// Registers the preprocessors and renderers the book needs on top of
/// mdBook's defaults (links, index). Add new ones here so that `cargo book`
/// and the book checks both use them.
///
/// A `[preprocessor.quiz]` table in `book.toml` turns the quizzes on; its
/// options are mdbook-quiz's. mdBook would run whatever `mdbook-quiz` is on
/// `PATH`; this replaces it with the pinned one, installed on first use.
pub fn configure(book: &mut MDBook) -> anyhow::Result<()> {
    if book.config.contains_key("preprocessor.quiz") {
        book.with_preprocessor(crate::quiz::preprocessor::QuizPreprocessor::new()?);
    }
    Ok(())
}

/// Loads the book at `root` (the directory with `book.toml`) and renders it
/// to HTML, into `dest` if given, else into `book.toml`'s `build-dir`.
pub fn build_book(root: &Path, dest: Option<&Path>) -> anyhow::Result<BuiltBook> {
    // mdbook-quiz rewrites its assets in the book's sources (`book/quiz/`)
    // while mdBook copies them out: two builds at once could copy a file
    // half written. Tests build in parallel threads, so take turns.
    static ONE_BUILD_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_BUILD_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let (result, diagnostics) = capture(|| -> anyhow::Result<_> {
        let mut book = MDBook::load(root)
            .with_context(|| format!("could not load the book at {}", root.display()))?;
        if let Some(dest) = dest {
            book.config.build.build_dir = dest.to_path_buf();
        }
        configure(&mut book)?;
        book.build().context("mdBook could not build the book")?;
        let title = book.config.book.title.clone().unwrap_or_default();
        Ok((title, book.build_dir_for("html"), book.source_dir()))
    });
    match result {
        Ok((title, html_dir, src_dir)) => Ok(BuiltBook {
            title,
            html_dir,
            src_dir,
            diagnostics,
        }),
        Err(error) if diagnostics.is_empty() => Err(error),
        Err(error) => {
            let logged: Vec<String> = diagnostics.iter().map(|d| format!("  {d}")).collect();
            Err(error.context(format!("mdBook logged:\n{}", logged.join("\n"))))
        }
    }
}

/// The path part of `site-url` in the `book.toml` at `root`
/// (`/async-from-scratch/`), or `/`: the 404 page links its assets under
/// it, so whoever serves the book accepts that prefix too.
pub fn site_prefix(root: &Path) -> String {
    MDBook::load(root)
        .ok()
        .and_then(|book| book.config.html_config())
        .and_then(|html| html.site_url)
        .unwrap_or_else(|| "/".to_string())
}
