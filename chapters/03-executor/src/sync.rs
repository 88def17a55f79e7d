//! The atomics the task state machine is built on: the standard library's,
//! or loom's when the loom model (`tests/loom_task_state.rs`) compiles the
//! state code with `--cfg loom`. Loom replaces each atomic with one that
//! explores every interleaving and every value the memory model allows a
//! load to see, which is how the model finds orderings that tests on real
//! hardware only hit once in a billion runs. Tokio switches its atomics the
//! same way.
//!
//! Loom is a dev-dependency, so only test builds see it: the library itself,
//! even built with `--cfg loom`, always uses the standard atomics.

#[cfg(all(loom, test))]
pub(crate) use loom::sync::atomic;
#[cfg(not(all(loom, test)))]
pub(crate) use std::sync::atomic;
