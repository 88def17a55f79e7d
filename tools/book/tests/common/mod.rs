//! Helpers shared by the tests that prove the book checks bite.

use book::checks::{self, Problem};

/// Asserts that some problem is at `location` and contains every one of `parts`.
pub fn assert_reported(problems: &[Problem], location: &str, parts: &[&str]) {
    assert!(
        problems
            .iter()
            .any(|p| p.location == location && parts.iter().all(|part| p.message.contains(part))),
        "expected a problem at {location} mentioning {parts:?}; got:\n{}",
        checks::report(problems)
    );
}
