//! Exercise 10.3: a sleep the kernel times, with `IORING_OP_TIMEOUT`.
//!
//! Chapter 7's timers live in user space, in the timer driver. io_uring can
//! time things itself: a timeout operation completes after a duration. It
//! reads that duration from a `Timespec` you pass by pointer, so the
//! operation must own it. Dropping the sleep must cancel the kernel timer.

use std::io;
use std::time::Duration;

/// Completes after `duration`, timed by the kernel.
pub async fn kernel_sleep(duration: Duration) -> io::Result<()> {
    // TODO: box an `io_uring::types::Timespec` made from `duration`, submit
    // an `opcode::Timeout` that points at it, and turn the result into
    // `Ok(())` when the timer expired.
    let _ = duration;
    todo!("a kernel timer through the ring")
}
