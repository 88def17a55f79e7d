//! Exercise 4.2, solved: write everything, however little the pipe takes.

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
    let mut rest = data;
    while !rest.is_empty() {
        // One `write` per try, so the count of a partial write is never
        // lost; `write_with` waits for writability on WouldBlock.
        let n = sink.write_with(|mut io| io.write(rest)).await?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        rest = &rest[n..];
    }
    Ok(())
}
