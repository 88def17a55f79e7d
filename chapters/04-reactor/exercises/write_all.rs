//! Exercise 4.2: write everything, however little the pipe takes.
//!
//! Goal: write all of `data` to a non-blocking sink. A `write` may take
//! fewer bytes than offered (a pipe holds 64 KiB by default); when it takes
//! none it returns `WouldBlock`, and you must wait for writability before
//! trying again. Never send a byte twice, never drop one.

use std::io::{self, Write};

use mio::event::Source;

use crate::Async;

/// Writes all of `data` to `sink`.
///
/// # Cancel safety
/// Not cancel safe: dropped between two writes, it has written a prefix
/// of `data` and cannot say how long. (Each single write is cancel safe:
/// chapter 4's `write_with` writes nothing in a poll that returns
/// `Pending`.)
pub async fn write_all<T>(sink: &Async<T>, data: &[u8]) -> io::Result<()>
where
    T: Source,
    for<'a> &'a T: Write,
{
    // TODO: loop over `sink.write_with(|io| ...)`, advancing past however
    // many bytes each write took, until nothing is left.
    let _ = (sink, data);
    todo!("write_all")
}
