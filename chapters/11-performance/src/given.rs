//! The echo handler exercise 11.3 starts from: it works, every byte comes
//! back in order, and it spends far more system calls than it needs. The
//! exercise's test measures it through [`Counted`] and prints the counts.

use std::io;

use mio::net::TcpStream;
use reactor::Async;

use crate::counted::Counted;

// ANCHOR: given_echo
/// The handler as it was given: correct, and wasteful. Returns the bytes
/// echoed, once the client has closed its side.
pub async fn given_echo(stream: &Async<Counted<TcpStream>>) -> io::Result<u64> {
    let mut buf = [0u8; 64];
    let mut echoed = 0;
    loop {
        let n = stream.read_with(|s| s.read(&mut buf)).await?;
        if n == 0 {
            return Ok(echoed);
        }
        let mut written = 0;
        while written < n {
            written += stream.write_with(|s| s.write(&buf[written..n])).await?;
        }
        echoed += n as u64;
    }
}
// ANCHOR_END: given_echo
