//! Chapter 7 of *Async from Scratch*: timers.
//!
//! - `store`: the runtime's pending deadlines, in order, each with a waker;
//! - [`driver`]: the `Park` that wraps the reactor and ends its OS wait at
//!   the nearest deadline, then fires what expired;
//! - [`sleep`](mod@sleep): `Sleep`, `sleep` and `sleep_until`, which register
//!   on first poll, leave on drop, and can be reset;
//! - [`timeout`](mod@timeout): a future or an [`Elapsed`] error;
//! - [`interval`](mod@interval): ticks on a grid that does not drift;
//! - [`runtime`]: the executor over the timer driver over the reactor;
//! - [`server`]: chapter 6's echo server's policies, with an idle timeout
//!   and a backoff after `EMFILE`;
//! - [`counterexample`]: the design this chapter improves on, the seed's
//!   fixed-tick timer loop ([`counterexample::fixed_tick`]), kept to
//!   measure how late and how busy it is;
//! - [`exercises`]: the chapter's exercises (stubs, or the solutions with
//!   `--features solutions`).

pub mod counterexample;
pub mod driver;
pub mod exercises;
pub mod interval;
pub mod runtime;
pub mod server;
pub mod sleep;
mod store;
pub mod timeout;

pub use driver::TimerDriver;
pub use executor::{JoinError, JoinHandle, spawn, yield_now};
pub use interval::{Interval, interval, interval_at};
pub use runtime::Runtime;
pub use sleep::{Sleep, deadline_after, far_future, sleep, sleep_until};
pub use store::{EnterGuard, Handle};
pub use timeout::{Elapsed, Timeout, timeout, timeout_at};
