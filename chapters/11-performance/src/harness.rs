//! The harness: start each server as a child process pinned to one core,
//! drive it from the other core with the same load generator, read its CPU
//! time from `/proc` before and after, and do that for every server in
//! turn, round after round (A, B, C, D, A, B, C, D, ...), so that whatever
//! else the machine does meanwhile falls on all of them alike.
//!
//! [`scenario`] says what to measure, [`runner`] measures it,
//! [`machine`] describes what else the machine was doing, [`verdict`] says
//! when a ratio means something, and [`results`] is the schema of what
//! comes out.

pub mod curve;
pub mod machine;
pub mod results;
pub mod runner;
pub mod scenario;
pub mod verdict;

pub use results::{Cores, Latency, Machine, Measured, Noise, Ratio, Ratios, Results, Row, Run};
pub use runner::{estimate, run, since};
pub use scenario::{Plan, Scenario, TARGETS};
pub use verdict::{Better, NoiseBand, Spread, Verdict, verdict};
