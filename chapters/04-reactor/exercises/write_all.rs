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
