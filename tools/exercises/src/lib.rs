//! The reader's exercise tool, `cargo ex`, and the proof that every
//! exercise's tests bite, for *Async from Scratch*.
//!
//! The exercise list is read from the chapters' `Cargo.toml`s ([`list`]),
//! the workspace from `cargo metadata` ([`workspace`]); [`test_runner`]
//! builds an exercise's tests once and runs them on the stub or on the
//! solution under a time limit, for `cargo ex` and for the proof
//! ([`tests_bite`]) alike. [`includes`] parses the book's `{{#include}}`s, so
//! that `cargo ex solution` can name the page showing a solution without
//! building the renderer: this crate never depends on mdBook (its
//! `tests/cargo_ex_footprint.rs` keeps it so).
//!
//! The modules form a ladder, no cycles: `workspace` and `problem` use
//! nothing of this crate, `list` uses `workspace`, `test_runner` uses
//! `list`, and `tests_bite` uses them all; `includes` stands alone.
//!
//! The proof and the book checks (in `tools/book`) report a list of
//! [`Problem`]s rather than stopping at the first, so one test run reports
//! everything that is broken.

pub mod includes;
pub mod list;
pub mod problem;
pub mod test_runner;
pub mod tests_bite;
pub mod workspace;

pub use list::{Exercise, Wrong};
pub use problem::Problem;

use std::path::{Path, PathBuf};

/// The repository root: the workspace directory, two levels above this
/// crate's `Cargo.toml` (`tools/exercises`).
///
/// The tools are always run through cargo from this repository (`cargo ex`,
/// `cargo book`), so the compile-time manifest directory is the right one.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// `path` relative to `root` when it lies inside it, for messages a reader
/// can paste into an editor or a `git checkout --`.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
