//! Chapter 11 of *Async from Scratch*: measuring the book's runtime.
//!
//! - [`servers`]: the echo servers under test, all with the same handler
//!   (read into a buffer, write all of it back): the book's own (chapter 5's
//!   and chapter 6's library code, on either runtime of chapter 4), tokio's
//!   current-thread runtime, and a hand-written edge-triggered mio loop;
//! - [`udp_load`]: the UDP load generator (chapter 6's `tcp_echo::load` is
//!   the TCP one);
//! - [`process`]: pinning to a core, and reading a process's CPU time from
//!   `/proc`;
//! - [`harness`]: the interleaved runs, the figures and their ratios;
//! - [`report`]: the table, the JSON and the SVG chart.

pub mod harness;
pub mod process;
pub mod report;
pub mod servers;
pub mod udp_load;

pub use harness::{Plan, Results, Scenario};
pub use servers::{Proto, ServerKind};
