//! Exercise 11.3: find the wasted system calls.
//!
//! Goal: `given_echo` (in `src/given.rs`) is an echo handler that works:
//! every byte comes back, in order. It is also wasteful, and the test shows how: it counts the
//! socket calls per round trip through [`Counted`] and prints them
//! (`cargo ex check syscalls`). Write `echo`, the same handler with at most
//! one read and one write per 512-byte round trip, on this chapter's
//! runtime (chapter 4's `Async`), still echoing every byte of any size.

use std::io;

use mio::net::TcpStream;
use reactor::Async;

use crate::counted::Counted;

/// [`given_echo`](crate::given::given_echo), with at most one read and one
/// write per round trip.
#[allow(unused_variables)] // remove once you use them
pub async fn echo(stream: &Async<Counted<TcpStream>>) -> io::Result<u64> {
    // TODO: run the test and read the counts it prints for `given_echo`;
    // then find where each extra call comes from and write the loop
    // without them.
    todo!("echo")
}
