//! Exercise 11.3: find the wasted system calls (reference solution).

use std::io;

use mio::net::TcpStream;
use reactor::Async;

use crate::counted::Counted;

/// [`given_echo`](crate::given::given_echo), with at most one read and one
/// write per round trip.
pub async fn echo(stream: &Async<Counted<TcpStream>>) -> io::Result<u64> {
    // A 64-byte buffer took eight reads and eight writes for each 512-byte
    // message: one of 16 KiB takes the whole message in one.
    let mut buf = vec![0u8; 16 * 1024];
    let len = buf.len();
    let mut echoed = 0;
    loop {
        // A read that fills less than the buffer emptied the socket: say
        // so, and the next read waits for the next event instead of calling
        // `recvfrom` to hear `WouldBlock`.
        let n = stream
            .read_with_drain(|s| s.read(&mut buf), |&n| n > 0 && n < len)
            .await?;
        if n == 0 {
            return Ok(echoed);
        }
        // A write may still take less than all of it.
        let mut sent = 0;
        while sent < n {
            sent += stream.write_with(|s| s.write(&buf[sent..n])).await?;
        }
        echoed += n as u64;
    }
}
