//! The executor micro-benchmarks: the four shapes tokio measures its own
//! scheduler with (`spawn_many`, `yield_many`, `ping_pong`,
//! `chained_spawn`), on one thread, for the book's two runtimes and two
//! peers. No socket is involved: what they time is the runtime's own
//! user-space cost of spawning, waking, queueing and polling a task.
//!
//! [`workload`] holds the four bodies, written once against the small
//! [`Rt`] trait, so that every contestant runs the same bytes;
//! [`contestants`] implements that trait for each runtime; the binary
//! `micro-bench` runs each (contestant, benchmark) pair in a child process
//! of its own, pinned to one core, round after round, and turns the
//! per-round times into ratios and verdicts ([`report`]).

pub mod contestants;
pub mod report;
pub mod workload;

pub use contestants::Contestant;
pub use workload::{Bench, Counts, Rt, Size};
