//! Exercise 10.1: `read_exact` over an owned buffer (solution).

use std::io;

use crate::TcpStream;

/// Reads until `buf.len() == buf.capacity()`.
///
/// # Cancel safety
/// Not cancel safe: the buffer, with what had arrived in it, is not given
/// back, and each read it submits is chapter 10's `TcpStream::read`, which
/// may still take bytes from the socket after the drop.
pub async fn read_exact(stream: &TcpStream, mut buf: Vec<u8>) -> (io::Result<()>, Vec<u8>) {
    while buf.len() < buf.capacity() {
        let (read, back) = stream.read(buf).await;
        buf = back;
        match read {
            Ok(0) => return (Err(io::ErrorKind::UnexpectedEof.into()), buf),
            Ok(_) => {}
            Err(e) => return (Err(e), buf),
        }
    }
    (Ok(()), buf)
}
