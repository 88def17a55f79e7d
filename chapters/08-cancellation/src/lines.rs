//! A loop that reads lines and also does something on a timer, without
//! losing a byte to the timer.
//!
//! The loop `select`s between the next line and the next tick, and keeps
//! one `read_line` future alive across the turns of the loop until it
//! completes: a tick no longer cancels anything. The loop it fixes, which
//! builds a new `read_line` on every turn, is the chapter's counter-example,
//! [`lossy_lines`](crate::counterexample::lossy_lines::lossy_lines).

use std::future::Future;
use std::io;
use std::pin::pin;

use futures::io::{AsyncBufRead, AsyncBufReadExt};

use crate::select::{Either, select};

/// What a line loop saw: the lines (without their `\n`), and the ticks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<String>,
    pub ticks: usize,
}

impl Report {
    pub(crate) fn line(&mut self, mut line: String) {
        if line.ends_with('\n') {
            line.pop();
        }
        self.lines.push(line);
    }
}

// ANCHOR: held
/// The fix: the same loop, but the `read_line` future lives outside it and
/// is only replaced once it has completed. A tick interrupts the *wait*
/// for the line, never the line: the same future is polled again on the
/// next turn, with everything it has read so far.
///
/// # Errors
/// The reader's first error, or `InvalidData` for a line that is not
/// UTF-8 (`read_line`'s check); the lines read before it are dropped with
/// the report.
///
/// # Cancel safety
/// Safe against its ticks, not against its own cancellation: dropping the
/// whole loop drops the `read_line` in progress, and the start of the
/// line it held goes with it, as well as the report.
pub async fn held_lines<R, T>(mut reader: R, mut tick: impl FnMut() -> T) -> io::Result<Report>
where
    R: AsyncBufRead + Unpin,
    T: Future<Output = ()>,
{
    let mut report = Report::default();
    loop {
        let mut line = String::new();
        // The future's own scope: it ends (and its borrow of `line` with
        // it) once the line is complete, not at the first tick.
        let result = {
            let mut read = pin!(reader.read_line(&mut line));
            loop {
                // `read.as_mut()` lends the pinned future to this `select`:
                // when the tick wins, only the loan is dropped.
                match select(read.as_mut(), tick()).await {
                    Either::Left(result) => break result,
                    Either::Right(()) => report.ticks += 1,
                }
            }
        };
        match result {
            Ok(0) => return Ok(report),
            Ok(_) => report.line(line),
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: held
