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

pub mod capture;
pub mod checks;
pub mod exercises;
pub mod proof;
pub mod quiz;
pub mod render;
pub mod serve;
pub mod testbins;
pub mod workspace;

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
