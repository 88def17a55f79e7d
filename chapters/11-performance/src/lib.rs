//! Chapter 11 of *Async from Scratch*: measuring the book's runtime.
//!
//! - [`servers`]: the echo servers under test, all with the same handler
//!   (read into a buffer, write all of it back): the book's own (chapter 5's
//!   and chapter 6's library code, on either runtime of chapter 4), tokio's
//!   current-thread runtime, and a hand-written edge-triggered mio loop;
//! - [`udp_load`]: the UDP load generator (chapter 6's `tcp_echo::load` is
//!   the TCP one);
//! - [`open_loop`]: the open-loop TCP generator (a fixed offered rate, each
//!   request timed from when it was due), for the latency curve;
//! - [`process`]: pinning to a core, and reading a process's CPU time from
//!   `/proc`;
//! - [`harness`]: the interleaved runs, the figures and their ratios;
//! - [`report`]: the table, the JSON and the SVG chart;
//! - [`micro`]: the executor micro-benchmarks, no I/O at all: the book's
//!   runtimes against tokio's and smol's single-threaded executors;
//! - [`counted`]: a socket that counts its read and write calls;
//! - [`exercises`]: the chapter's exercises, and [`given`], the handler
//!   exercise 11.3 starts from;
//! - [`counterexample`]: the design this chapter improves on, `ours` as it
//!   was before this chapter's change, kept so that every run can show what
//!   the change gained (`--server ours-before`).

pub mod counted;
pub mod counterexample;
pub mod exercises;
pub mod given;
pub mod harness;
pub mod micro;
pub mod open_loop;
pub mod process;
pub mod report;
pub mod servers;
pub mod udp_load;

pub use harness::{Plan, Results, Scenario};
pub use servers::{Proto, ServerKind};

/// Where the harness writes its results by default: `target/echo-bench` in
/// the workspace, as a clean path (no `..`), so that it prints the way a
/// reader would type it.
pub fn default_out() -> std::path::PathBuf {
    let chapter = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // chapters/11-performance → the workspace root.
    let root = chapter.ancestors().nth(2).unwrap_or(chapter);
    root.join("target").join("echo-bench")
}
