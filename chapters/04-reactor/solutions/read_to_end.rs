//! Exercise 4.1, solved: read an async pipe to the end.

use std::io::{self, Read};

use mio::event::Source;

use crate::Async;

/// Reads `source` until EOF and returns everything it read.
///
/// # Cancel safety
/// Not cancel safe: dropped before EOF, everything it had read so far is
/// dropped with it, and those bytes are gone from the source.
pub async fn read_to_end<T>(source: &Async<T>) -> io::Result<Vec<u8>>
where
    T: Source,
    for<'a> &'a T: Read,
{
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        // `read_with` retries on WouldBlock after waiting; what comes back
        // is data, EOF (0) or a real error.
        let n = source.read_with(|mut io| io.read(&mut chunk)).await?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&chunk[..n]);
    }
}
