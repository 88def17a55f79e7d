//! Exercise 10.1: `read_exact` over an owned buffer.
//!
//! Fill `buf` up to its capacity, however the bytes arrive: one read may
//! bring fewer than asked for. Each read takes the buffer and gives it
//! back. If the peer closes before the buffer is full, return an error of
//! kind `UnexpectedEof` *and* the buffer, with what did arrive in it.

use std::io;

use crate::TcpStream;

/// Reads until `buf.len() == buf.capacity()`.
///
/// # Cancel safety
/// Not cancel safe: the buffer, with what had arrived in it, is not given
/// back, and each read it submits is chapter 10's `TcpStream::read`, which
/// may still take bytes from the socket after the drop.
pub async fn read_exact(stream: &TcpStream, buf: Vec<u8>) -> (io::Result<()>, Vec<u8>) {
    // TODO: call `stream.read(buf)` until the buffer is full; a read of 0
    // bytes before that is the peer's end of stream.
    let _ = (stream, buf);
    todo!("read_exact over an owned buffer")
}
