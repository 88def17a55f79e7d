//! Exercise 6.2, solved: echo length-prefixed frames.

use std::io;
use std::net::Shutdown;

use futures::io::{AsyncReadExt, AsyncWriteExt};

use crate::TcpStream;

/// The longest body a frame may have.
pub const MAX_FRAME: usize = 1 << 20;

/// Answers every frame on `stream` with its body reversed.
pub async fn echo_frames(stream: TcpStream) -> io::Result<u64> {
    let mut answered = 0;
    loop {
        let mut header = [0u8; 4];
        // A plain read for the first byte: 0 here is a clean end.
        if stream.read(&mut header[..1]).await? == 0 {
            stream.shutdown(Shutdown::Write)?;
            return Ok(answered);
        }
        // From here on, a close is in the middle of a frame: `read_exact`
        // turns it into `UnexpectedEof`.
        (&stream).read_exact(&mut header[1..]).await?;
        let len = u32::from_be_bytes(header) as usize;
        if len > MAX_FRAME {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a frame of {len} bytes; the most is {MAX_FRAME}"),
            ));
        }
        let mut frame = vec![0u8; 4 + len];
        (&stream).read_exact(&mut frame[4..]).await?;
        frame[..4].copy_from_slice(&header);
        frame[4..].reverse();
        (&stream).write_all(&frame).await?;
        answered += 1;
    }
}
