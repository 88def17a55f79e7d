//! Exercise 4.2, solved: write everything, however little the pipe takes.

use std::io::{self, Write};

use mio::event::Source;

use crate::Async;

/// Writes all of `data` to `sink`.
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
