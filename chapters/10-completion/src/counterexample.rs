//! The design this chapter improves on, kept to show what goes wrong with it
//! (the book's convention: every chapter's counter-examples live in its
//! `counterexample` module).

// The counter-example must never be compiled into the crate: it is a
// use-after-free waiting to happen. `cfg(any())` is always false.
#[cfg(any())]
mod unsound;
