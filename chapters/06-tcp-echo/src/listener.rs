//! `TcpListener`: accepting connections on the reactor.
//!
//! `accept` is a read-side operation: a listening socket becomes readable
//! when a finished handshake waits in its backlog. Each accepted connection
//! is a new file descriptor, registered with the reactor as a `TcpStream`.

use std::fmt;
use std::io;
use std::net::SocketAddr;

use reactor::Async;
use socket2::{Domain, Protocol, Socket, Type};

use crate::stream::TcpStream;

/// How many finished handshakes the kernel keeps waiting for `accept`
/// (Linux caps it at `net.core.somaxconn`, 4096 by default). A burst of
/// connections larger than this, or a server that stops accepting (at its
/// `--max-connections`, for instance), makes the kernel drop further SYNs,
/// and those clients retry after a second.
pub const BACKLOG: i32 = 1024;

// ANCHOR: struct
/// A listening TCP socket registered with the reactor.
pub struct TcpListener {
    io: Async<mio::net::TcpListener>,
}
// ANCHOR_END: struct

// ANCHOR: listen
/// Binds and listens on `addr` with the standard library's socket, not yet
/// registered with any reactor: a server calls this before it starts its
/// runtime, so that a bad or busy address is the first thing it reports.
/// `SO_REUSEADDR` lets a restarted server bind while connections of the
/// previous one linger in `TIME_WAIT`; it does not let two servers listen
/// on one port.
///
/// # Errors
/// The socket's, the bind's (`AddrInUse`, `AddrNotAvailable`,
/// `PermissionDenied` for a privileged port) or the listen's.
pub fn listen(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}
// ANCHOR_END: listen

impl TcpListener {
    // ANCHOR: bind
    /// Binds to `addr` (port 0: the OS picks) and registers the socket with
    /// the current runtime's reactor.
    ///
    /// # Errors
    /// As [`listen`], then as [`from_std`](Self::from_std).
    pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
        TcpListener::from_std(listen(addr)?)
    }

    /// Takes over a listening socket (from [`listen`], say), switching it to
    /// non-blocking mode.
    ///
    /// # Errors
    /// If the socket cannot be switched to non-blocking mode, or as chapter
    /// 4's `Async::new` (outside a runtime, or a reactor that cannot take
    /// another source); the socket is closed then.
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        Ok(TcpListener {
            io: Async::new(mio::net::TcpListener::from_std(listener))?,
        })
    }

    /// Waits for a connection and accepts it: the stream and the peer's
    /// address. Errors are per call: `EMFILE` (no file descriptor left for
    /// the new connection) or `ECONNABORTED` (the client gave up while in
    /// the backlog) do not mean the listener is broken; what to do about
    /// them is the server's policy (`server::AcceptPolicy`).
    ///
    /// # Errors
    /// The accept's, as above; or chapter 4's `Async::with_handle`'s for
    /// the new stream (a reactor that cannot take another source), in
    /// which case the accepted connection is closed.
    ///
    /// # Cancel safety
    /// Cancel safe: dropped before it completed, it has accepted nothing,
    /// and every pending connection is still in the backlog for the next
    /// `accept`.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, peer) = self.io.read_with(|listener| listener.accept()).await?;
        Ok((TcpStream::from_mio(stream)?, peer))
    }
    // ANCHOR_END: bind

    /// The address the listener is bound to, with the real port.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// The registered mio listener.
    pub fn as_async(&self) -> &Async<mio::net::TcpListener> {
        &self.io
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local_addr", &self.local_addr().ok())
            .field("slot", &self.io.slot())
            .finish()
    }
}
