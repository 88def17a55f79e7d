//! Chapter 4 of *Async from Scratch*: the reactor.
//!
//! - [`readiness`]: what the OS says about a source, per direction;
//! - `token`: slot + generation, so an event finds its source
//!   and only that one;
//! - `record`: the per-source record (readiness, tick, read
//!   and write waiters);
//! - [`reactor`](mod@reactor): the `mio::Poll`, the slab of records, the
//!   dispatch, and the executor's `Park` on top of them;
//! - [`async_io`]: `Async<T>`, any non-blocking mio source as futures;
//! - [`runtime`]: chapter 3's executor parked on the reactor;
//! - [`signal`]: SIGINT and SIGTERM as a source, through a self-pipe;
//! - `counterexample`: the design this chapter improves on, `threaded`, a
//!   reactor on a thread of its own ([`Runtime::threaded`]), kept for the
//!   performance chapter to measure;
//! - [`trace`]: an optional hook that sees every step.

pub mod async_io;
mod counterexample;
pub mod exercises;
pub mod reactor;
pub mod readiness;
pub(crate) mod record;
mod registration;
pub mod runtime;
pub mod signal;
mod token;
pub mod trace;

pub use async_io::{Async, ReadyGuard, TryIoError};
pub use executor::{JoinError, JoinHandle, spawn, yield_now};
pub use reactor::{EnterGuard, Handle, Reactor, ReactorUnpark, wake_all};
pub use readiness::{Direction, Ready};
pub use runtime::Runtime;
pub use signal::{SignalPipe, Signals};
pub use trace::{Step, TraceHook};
