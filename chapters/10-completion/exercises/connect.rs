//! Exercise 10.2: `connect` as an io_uring operation.
//!
//! Create a TCP socket, then submit an `IORING_OP_CONNECT` for it. The
//! kernel reads the peer's address from memory you pass by pointer, and
//! may do so after this function has returned `Pending`: the address must
//! be owned by the operation, not borrowed from the stack.

use std::io;
use std::net::SocketAddr;

use crate::TcpStream;

/// Connects to `addr`; `ConnectionRefused` if nobody listens there.
///
/// # Cancel safety
/// Dropped before it completes, the connection attempt is abandoned: the
/// socket is closed once the kernel is done with the operation, whether
/// the handshake finished or not. Connect again to retry.
pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    // TODO: a `socket2::Socket` for `addr`'s domain, a `socket2::SockAddr`
    // boxed and moved into an `Op` with an `opcode::Connect` pointing at
    // it, then `TcpStream::from_std` on success.
    let _ = addr;
    todo!("connect through the ring")
}
