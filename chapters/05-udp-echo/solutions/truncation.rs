//! Exercise 5.3, solved: a receive that says when a datagram did not fit.

use std::io;
use std::mem::MaybeUninit;
use std::net::SocketAddr;

use socket2::{MaybeUninitSlice, SockRef};

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
    socket
        .as_async()
        .read_with(|s| {
            // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, and the
            // slice only goes to `recvmsg`, which writes initialized bytes
            // and never uninitialized ones, so `buf` stays initialized.
            let uninit: &mut [MaybeUninit<u8>] =
                unsafe { &mut *(&mut *buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
            let (len, flags, from) =
                SockRef::from(s).recv_from_vectored(&mut [MaybeUninitSlice::new(uninit)])?;
            let peer = from.as_socket().ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "sender is not an IP address")
            })?;
            Ok(Received {
                len,
                peer,
                truncated: flags.is_truncated(),
            })
        })
        .await
}
