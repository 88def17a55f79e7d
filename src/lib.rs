//! Shared tooling for the book checks.
