//! Exercise 6.2: echo length-prefixed frames.
//!
//! Goal: a frame is a 4-byte big-endian length `n`, then `n` bytes. Answer
//! every frame with a frame that holds the same bytes in reverse order.
//! A length above [`MAX_FRAME`] is a protocol error: return `InvalidData`
//! at once, without reading (or allocating room for) the body. A client
//! that closes between two frames ends the connection cleanly: close our
//! writing half and return how many frames were answered. A client that
//! closes in the middle of a frame (header or body) is an `UnexpectedEof`
//! error.

use std::io;

use crate::TcpStream;

/// The longest body a frame may have.
pub const MAX_FRAME: usize = 1 << 20;

/// Answers every frame on `stream` with its body reversed.
pub async fn echo_frames(stream: TcpStream) -> io::Result<u64> {
    // TODO: `futures::io::AsyncReadExt::read_exact` reads exactly a header,
    // or a body, however the bytes arrive. But it cannot tell "closed before
    // the header" (clean) from "closed inside it" (an error): read the
    // first byte of each header with a plain `read` first.
    let _ = stream;
    todo!("echo length-prefixed frames")
}
