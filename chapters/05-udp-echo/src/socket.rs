//! `UdpSocket`: a UDP socket on the reactor.
//!
//! Every operation is chapter 4's pattern and nothing more: a non-blocking
//! system call inside `Async::read_with` or `Async::write_with`, which tries
//! it, and on `WouldBlock` tells the reactor the readiness was stale, stores
//! the task's waker, and tries again when the OS reports the socket ready.
//! The socket never decides anything about datagrams itself: what a
//! truncated or refused datagram means is the server's business.

use std::fmt;
use std::io;
use std::net::SocketAddr;

use reactor::Async;

// ANCHOR: struct
/// A UDP socket registered with the reactor of the runtime it was made on.
///
/// Several tasks may share one socket (`&UdpSocket`): each waits in its own
/// slot of the reactor's waiter list, so two receivers and one sender can
/// all be parked on it at once.
pub struct UdpSocket {
    io: Async<mio::net::UdpSocket>,
}
// ANCHOR_END: struct

impl UdpSocket {
    // ANCHOR: bind
    /// Binds a socket to `addr` (port 0: the OS picks a free port, which
    /// [`local_addr`](Self::local_addr) tells) and registers it with the
    /// current runtime's reactor.
    ///
    /// Binding does not wait for anything, so it is a plain function. It
    /// must run inside `Runtime::block_on` or one of its tasks.
    ///
    /// # Errors
    /// The bind's (`AddrInUse`, `AddrNotAvailable`, `PermissionDenied`...),
    /// or chapter 4's `Async::new`'s: outside a runtime, or a reactor that
    /// cannot take another source.
    pub fn bind(addr: SocketAddr) -> io::Result<UdpSocket> {
        UdpSocket::from_mio(mio::net::UdpSocket::bind(addr)?)
    }

    /// Takes over a socket bound with the standard library (for example
    /// before the runtime started, so that a bind error is reported before
    /// anything else happens). Switches it to non-blocking mode.
    ///
    /// # Errors
    /// If the socket cannot be switched to non-blocking mode, or as chapter
    /// 4's `Async::new` (outside a runtime, or a reactor that cannot take
    /// another source); the socket is closed then.
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(true)?;
        UdpSocket::from_mio(mio::net::UdpSocket::from_std(socket))
    }

    fn from_mio(socket: mio::net::UdpSocket) -> io::Result<UdpSocket> {
        Ok(UdpSocket {
            io: Async::new(socket)?,
        })
    }
    // ANCHOR_END: bind

    /// The address the socket is bound to, with the real port.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// The address given to [`connect`](Self::connect).
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().peer_addr()
    }

    // ANCHOR: recv_from
    /// Receives one datagram into `buf`: its length, and who sent it.
    ///
    /// A datagram longer than `buf` is cut to fit and the rest is thrown
    /// away by the kernel, and the length returned is only what fitted: give
    /// it a buffer of [`MAX_DATAGRAM`](crate::MAX_DATAGRAM) bytes when that
    /// must never happen.
    ///
    /// # Cancel safety
    /// Cancel safe: dropped before it completed, it has received nothing,
    /// and the next datagram waits in the socket for the next `recv_from`
    /// (chapter 4's `read_with`: the receive runs only inside the poll that
    /// returns it).
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.read_with(|socket| socket.recv_from(buf)).await
    }

    /// Sends `buf` as one datagram to `target`. A UDP send either takes the
    /// whole datagram or fails: there are no partial writes.
    ///
    /// # Cancel safety
    /// Cancel safe: dropped before it completed, it has sent nothing.
    pub async fn send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        self.io
            .write_with(|socket| socket.send_to(buf, target))
            .await
    }
    // ANCHOR_END: recv_from

    // ANCHOR: connect
    /// Sets the socket's default peer. There is no handshake in UDP: this
    /// only records the address in the kernel, so it cannot block and is
    /// not a future. From then on the kernel drops datagrams from anyone
    /// else, [`send`](Self::send) and [`recv`](Self::recv) need no address,
    /// and an ICMP "port unreachable" for the peer comes back as a
    /// `ConnectionRefused` error on the next operation.
    pub fn connect(&self, addr: SocketAddr) -> io::Result<()> {
        self.io.get_ref().connect(addr)
    }

    /// Sends `buf` to the connected peer.
    ///
    /// # Cancel safety
    /// As [`send_to`](Self::send_to): dropped before it completed, it has
    /// sent nothing.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.write_with(|socket| socket.send(buf)).await
    }

    /// Receives one datagram from the connected peer.
    ///
    /// # Cancel safety
    /// As [`recv_from`](Self::recv_from): dropped before it completed, it
    /// has received nothing.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.read_with(|socket| socket.recv(buf)).await
    }
    // ANCHOR_END: connect

    /// The registered mio socket, for operations this type does not wrap
    /// (socket options, or a receive with flags through `read_with`).
    pub fn as_async(&self) -> &Async<mio::net::UdpSocket> {
        &self.io
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("local_addr", &self.local_addr().ok())
            .field("slot", &self.io.slot())
            .finish()
    }
}
