//! *Async from Scratch*'s whole-book tests live in `tests/` beside this file:
//! the book builds and passes every check (`tests/book.rs`), every exercise is
//! fair (`tests/exercises.rs`), and the rendered pages work in a browser
//! (`tests/browser/`). This library is empty; cargo needs a target to hang
//! the tests on. The tools they use are their own crates: `tools/book`
//! (`cargo book` and the checks) and `tools/exercises` (`cargo ex`).
