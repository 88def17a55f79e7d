//! Chapter 8 of *Async from Scratch*: cancellation.
//!
//! - [`select`](mod@select): the first of two (or N) futures, the others
//!   dropped; a pseudo-random start for fairness, and a biased one on purpose;
//! - [`lines`]: a line loop that holds its `read_line` across ticks, so a
//!   tick cannot make it lose bytes;
//! - [`counterexample`]: the design this chapter improves on, the classic
//!   lossy `select` loop ([`counterexample::lossy_lines`]), kept to prove
//!   what it loses;
//! - [`token`]: `CancellationToken`, a tree of cancel flags that can be
//!   awaited;
//! - [`tracker`]: `TaskTracker`, a count of the tasks spawned under it, and a
//!   future that waits for the last one;
//! - [`cleanup`]: clean-up without an async `Drop`: an explicit `close`, and
//!   a guard whose drop spawns it;
//! - [`exercises`]: the chapter's exercises (stubs, or the solutions with
//!   `--features solutions`).
//!
//! The cancel-safety table of the book is not in here: it is the output of
//! the probes in `tests/cancel_safety.rs`, which drop each operation at every
//! point where it waits and count what was lost.

pub mod cleanup;
pub mod counterexample;
pub mod exercises;
pub mod lines;
pub mod select;
pub mod token;
pub mod tracker;
mod waiters;

pub use cleanup::{CloseOnDrop, Session};
pub use lines::{Report, held_lines};
pub use select::{Either, Select, SelectAll, select, select_all, select_biased};
pub use token::{CancellationToken, Cancelled};
pub use tracker::{TaskTracker, Tracked, Wait};
