//! The design this chapter improves on, kept to prove what it loses. The
//! book's convention: each chapter's counter-examples live in its
//! `counterexample` module, so a reader always knows which code is the
//! design we improve on, never the one to copy.

pub mod lossy_lines;
