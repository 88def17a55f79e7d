//! The design this chapter improves on, kept so that every run can show
//! what the change gained. The book's convention: each chapter's
//! counter-examples live in its `counterexample` module, so a reader always
//! knows which code is the design we improve on, never the one to copy.

pub mod read_until_would_block;
