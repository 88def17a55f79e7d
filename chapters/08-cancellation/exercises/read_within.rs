//! Exercise 8.2: a timeout that says how far the read got.
//!
//! Goal: fill `buf` from `reader` within `limit`. If the deadline passes
//! first, return `Incomplete::TimedOut { filled }` where `filled` is how
//! many bytes at the start of `buf` did arrive (they must be there); if the
//! reader ends first, `Incomplete::Eof { filled }`. `read_exact` inside
//! `timeout` cannot do this: when the deadline wins, the `read_exact` future
//! is dropped, and the count of what it read is dropped with it.

use std::io;
use std::time::Duration;

use futures::io::AsyncRead;

/// Why `buf` is not full.
#[derive(Debug)]
pub enum Incomplete {
    /// The deadline passed; `filled` bytes had arrived.
    TimedOut { filled: usize },
    /// The reader ended after `filled` bytes.
    Eof { filled: usize },
    /// The reader failed.
    Io(io::Error),
}

pub async fn read_within<R: AsyncRead + Unpin>(
    reader: &mut R,
    buf: &mut [u8],
    limit: Duration,
) -> Result<(), Incomplete> {
    // TODO: keep the count of filled bytes where the timeout cannot drop it.
    let _ = (reader, buf, limit);
    todo!()
}
