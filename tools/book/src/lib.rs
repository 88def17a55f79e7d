//! The reader's `cargo book` and the whole-book checks for *Async from
//! Scratch*.
//!
//! [`render`] builds the book with mdBook in process (registering the quiz
//! [`quiz::preprocessor`]), [`serve`] serves it on 127.0.0.1, and [`checks`]
//! and [`quiz::validator`] find every way the book and its code can drift
//! apart. [`pages`] is the one list of the book's pages, read by mdBook from
//! `SUMMARY.md`; [`mdbook_log`] records what mdBook logs instead of failing.
//!
//! The modules form a ladder, no cycles: `mdbook_log` and `pages` use
//! nothing of this crate; `quiz` uses `pages`; `render` uses `quiz` and
//! `mdbook_log`; `checks` uses `render` and `pages`. The exercise list, the
//! workspace model, the include parser and [`Problem`] come from the
//! `exercises` crate, which `cargo ex` builds without any of this.

pub mod checks;
pub mod mdbook_log;
pub mod pages;
pub mod quiz;
pub mod render;
pub mod serve;

pub use exercises::{Problem, relative, repo_root};
