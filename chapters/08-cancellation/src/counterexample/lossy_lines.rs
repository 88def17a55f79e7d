//! COUNTER-EXAMPLE, do not use: the classic cancellation bug, a line loop
//! that loses the start of any line a tick interrupts.
//!
//! It `select`s between the next line and the next tick, like
//! [`held_lines`](crate::held_lines), but builds a new `read_line` future on
//! every turn of the loop. When the tick wins, the `read_line` that loses is
//! dropped, and with it the part of a line it had already taken out of the
//! reader's buffer. `tests/lines.rs` proves the loss
//! (`the_lossy_loop_loses_the_start_of_each_interrupted_line`), and the
//! demo (`cargo run -p cancellation`) prints it next to the held loop.

use std::future::Future;
use std::io;

use futures::io::{AsyncBufRead, AsyncBufReadExt};

use crate::lines::Report;
use crate::select::{Either, select};

// ANCHOR: lossy
/// Counter-example: reads lines until end of file, counting ticks
/// meanwhile, and loses the start of any line that a tick interrupts.
///
/// # Errors
/// As [`held_lines`](crate::held_lines).
///
/// # Cancel safety
/// Not even against its own ticks: that is the bug.
pub async fn lossy_lines<R, T>(mut reader: R, mut tick: impl FnMut() -> T) -> io::Result<Report>
where
    R: AsyncBufRead + Unpin,
    T: Future<Output = ()>,
{
    let mut report = Report::default();
    loop {
        let mut line = String::new();
        // A new `read_line` every turn: when `tick()` wins, this one is
        // dropped, and what it had read of the line goes with it.
        match select(reader.read_line(&mut line), tick()).await {
            Either::Left(Ok(0)) => return Ok(report),
            Either::Left(Ok(_)) => report.line(line),
            Either::Left(Err(e)) => return Err(e),
            Either::Right(()) => report.ticks += 1,
        }
    }
}
// ANCHOR_END: lossy
