//! Chapter 10 of *Async from Scratch*: completion-based I/O on io_uring.
//!
//! - `op_table`: the table of operations in flight, keyed by `user_data`,
//!   each waiting, completed, or abandoned with the buffers it keeps alive;
//! - [`driver`]: the ring as the executor's `Park`: submit, wait, reap,
//!   wake; an eventfd read for cross-thread unparks; cancellation on drop;
//! - [`op_future`]: `Op<T>`, the future of one operation, which owns its
//!   buffers;
//! - [`net`]: TCP on it: accept, read, write, close;
//! - [`runtime`]: chapter 3's executor over chapter 7's timer driver over
//!   this driver;
//! - [`server`]: the echo server; `src/main.rs` is its binary,
//!   `uring-echo`;
//! - [`signal`]: chapter 4's signal pipe, read through the ring;
//! - [`probe`](mod@probe): is io_uring available here?
//! - `counterexample`: the design this chapter improves on, `unsound`, a
//!   read into a borrowed slice, which is deliberately *not* compiled (see
//!   the module);
//! - [`exercises`]: the chapter's exercises.

mod counterexample;
pub mod driver;
pub mod exercises;
pub mod net;
pub mod op_future;
mod op_table;
pub mod probe;
pub mod runtime;
pub mod server;
pub mod signal;

pub use driver::{Handle, Setup, Uring};
pub use executor::{JoinError, JoinHandle, spawn};
pub use net::{TcpListener, TcpStream};
pub use op_future::Op;
pub use probe::{available_or_skip, probe};
pub use runtime::Runtime;
