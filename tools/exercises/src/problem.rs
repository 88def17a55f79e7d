//! What a check reports: one thing wrong, and where.
//!
//! Every check (the book checks in `tools/book`, the exercise proof here)
//! returns all of its problems rather than stopping at the first, so one run
//! names everything that is broken, each with a location a reader can open.

use std::fmt;

/// One thing wrong with the book or an exercise, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `book/01-waker.md:42`, a file, a package (``package `waker` ``), or
    /// `mdbook build`.
    pub location: String,
    pub message: String,
}

impl Problem {
    /// The problem `message` at `location`.
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Problem {
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
