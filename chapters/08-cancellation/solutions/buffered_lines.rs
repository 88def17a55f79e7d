//! Exercise 8.1, solved: the line loop with a buffer outside it.

use std::future::Future;
use std::io;

use futures::io::{AsyncRead, AsyncReadExt};

use crate::lines::Report;
use crate::select::{Either, select};

pub async fn buffered_lines<R, T>(mut reader: R, mut tick: impl FnMut() -> T) -> io::Result<Report>
where
    R: AsyncRead + Unpin,
    T: Future<Output = ()>,
{
    let mut report = Report::default();
    // Owned by the function, not by any future: a tick that cancels a
    // `read` cancels a wait, and every byte read so far is still here.
    let mut pending = Vec::new();
    let mut chunk = [0u8; 64];
    loop {
        match select(reader.read(&mut chunk), tick()).await {
            Either::Left(Ok(0)) => break,
            Either::Left(Ok(n)) => pending.extend_from_slice(&chunk[..n]),
            Either::Left(Err(e)) => return Err(e),
            Either::Right(()) => report.ticks += 1,
        }
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            report.lines.push(text(&line[..end])?);
        }
    }
    if !pending.is_empty() {
        report.lines.push(text(&pending)?);
    }
    Ok(report)
}

fn text(bytes: &[u8]) -> io::Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
