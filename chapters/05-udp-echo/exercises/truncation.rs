//! Exercise 5.3: a receive that says when a datagram did not fit.
//!
//! Goal: `recv_from` into a buffer smaller than the datagram keeps what fits
//! and silently throws the rest away: the length it returns is the length
//! of the buffer, and nothing says data was lost. Write a receive that
//! reports it. The kernel does know: `recvmsg` sets `MSG_TRUNC` in the
//! message's flags when it cut the datagram.

use std::io;
use std::net::SocketAddr;

use crate::UdpSocket;

/// One datagram, as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    /// Bytes written into the buffer.
    pub len: usize,
    /// Who sent it.
    pub peer: SocketAddr,
    /// Whether the datagram was longer than the buffer, and cut.
    pub truncated: bool,
}

/// Receives one datagram into `buf`, waiting for one like
/// `UdpSocket::recv_from`, and reports whether it was truncated.
pub async fn recv_from_checked(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<Received> {
    // TODO: inside `socket.as_async().read_with(|s| ...)`, receive with
    // `socket2::SockRef::from(s).recv_from_vectored(...)`, which returns
    // the `RecvFlags` of `recvmsg`.
    let _ = (socket, buf);
    todo!("receive, and look at the flags")
}
