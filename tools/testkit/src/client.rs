//! The blocking test client every server test uses: connect with a read
//! timeout, and one checked round trip.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A blocking client that gives up on a read after five seconds, so a lost
/// echo fails the test instead of hanging it.
pub fn client(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

/// Sends `message` and reads back exactly as many bytes, which must match.
pub fn round_trip(stream: &mut TcpStream, message: &[u8]) {
    stream.write_all(message).unwrap();
    let mut echo = vec![0u8; message.len()];
    stream
        .read_exact(&mut echo)
        .unwrap_or_else(|e| panic!("no echo of {} bytes: {e}", message.len()));
    assert!(echo == message, "the echo differs from what was sent");
}
