//! The atomics the task state machine and the park state are built on: the
//! standard library's, or loom's when a loom model (`tests/loom_task_state.rs`,
//! `tests/loom_park_state.rs`) compiles that code with `--cfg loom`. Loom's atomics let the model run over the
//! interleavings of its threads and let a load see an older store wherever
//! the C11 memory model allows it, which is how the model finds orderings
//! that tests on real hardware almost never hit. Tokio switches its atomics
//! the same way.
//!
//! Loom is a dev-dependency, so only test builds see it: the library itself,
//! even built with `--cfg loom`, always uses the standard atomics.

#[cfg(all(loom, test))]
pub(crate) use loom::sync::atomic;
#[cfg(not(all(loom, test)))]
pub(crate) use std::sync::atomic;
