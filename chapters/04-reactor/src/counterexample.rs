//! The design this chapter improves on, kept buildable so that the
//! performance chapter can measure it. The book's convention: each chapter's
//! counter-examples live in its `counterexample` module, so a reader always
//! knows which code is the design we improve on, never the one to copy.

pub(crate) mod threaded;
