//! The reader's tools and the whole-book checks for *Async from Scratch*.
//!
//! Two binaries use this library: `cargo book` renders and serves the book,
//! `cargo ex` lists and checks the exercises. The integration tests in
//! `tests/` use the same functions to prove that the book and its code cannot
//! drift apart: every include resolves, every command shown exists, every
//! exercise fails on its stub and passes on its solution.
//!
//! Every check returns a list of [`checks::Problem`]s rather than stopping at
//! the first, so one test run reports everything that is broken.

// What `cargo ex` needs: the exercise list, running their tests, and where
// the book includes them. Built with or without the `book` feature.
pub mod exercises;
pub mod includes;
pub mod testbins;
pub mod workspace;

// The renderer, the server, the quiz preprocessor and the book checks: they
// build mdBook, so they are behind the `book` feature (on by default; the
// `cargo ex` alias turns it off, so the exercise tool does not build them).
#[cfg(feature = "book")]
pub mod capture;
#[cfg(feature = "book")]
pub mod checks;
#[cfg(feature = "book")]
pub mod proof;
#[cfg(feature = "book")]
pub mod quiz;
#[cfg(feature = "book")]
pub mod render;
#[cfg(feature = "book")]
pub mod serve;

use std::path::{Path, PathBuf};

/// The repository root: the directory of the root package's `Cargo.toml`.
///
/// The tools are always run through cargo from this repository (`cargo ex`,
/// `cargo book`), so the compile-time manifest directory is the right one.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `path` relative to `root` when it lies inside it, for messages a reader
/// can paste into an editor or a `git checkout --`.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
