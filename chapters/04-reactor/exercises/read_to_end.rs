//! Exercise 4.1: read an async pipe to the end.
//!
//! Goal: return every byte the source delivers until EOF (a read of 0
//! bytes), waiting for readability whenever the pipe is empty but still open.
//! Use `Async::read_with`; never busy-loop on `WouldBlock`.

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
    // TODO: read chunks with `source.read_with(|io| ...)` until a read
    // returns 0 bytes, collecting them into one Vec.
    let _ = source;
    todo!("read_to_end")
}
