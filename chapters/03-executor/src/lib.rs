//! Chapter 3 of *Async from Scratch*: the executor.
//!
//! - `task`: a future plus a state machine, so a finished task is never
//!   polled again and a task is queued at most once; `state` holds that
//!   machine in one atomic word, and `sync` switches its atomics to loom's
//!   for the loom model;
//! - [`runtime`]: the run queue, `spawn`, `block_on` and shutdown;
//! - [`join`]: `JoinHandle`, and what happens to a task that panics;
//! - [`park`]: how the executor sleeps, the seam where chapter 4's reactor
//!   plugs in; [`park_state`] is the protocol of every driver that sleeps in
//!   a system call (does this wake need one?), which chapters 4 and 10 use;
//! - [`current`]: the thread-local "current runtime" that `spawn` finds,
//!   and that later chapters' reactor, timers and ring find theirs with;
//! - [`yield_now`](mod@yield_now): letting the others run;
//! - [`counterexample`]: the design this chapter improves on, the seed
//!   design's executor ([`counterexample::seed`]), kept to prove what goes
//!   wrong with it;
//! - [`exercises`]: the chapter's exercises (stubs, or the solutions with
//!   `--features solutions`).

pub mod counterexample;
pub mod current;
pub mod exercises;
pub mod join;
pub mod park;
pub mod park_state;
pub mod runtime;
mod state;
mod sync;
mod task;
pub mod yield_now;

pub use current::{Current, EnterGuard};
pub use join::{JoinError, JoinHandle};
pub use park::{Park, ThreadPark, Unpark};
pub use park_state::ParkState;
pub use runtime::{Handle, Runtime, spawn};
pub use yield_now::yield_now;
