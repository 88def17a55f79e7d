//! `TcpStream`: a TCP connection on the reactor.
//!
//! The operations are chapter 4's pattern, as for UDP: a non-blocking system
//! call inside `Async::read_with` or `Async::write_with`. Two things are new.
//! `connect` cannot finish in one call: the kernel starts the handshake and
//! says `EINPROGRESS`, and the socket becomes writable when the handshake is
//! over, successful or not. And the stream implements the `futures` crate's
//! `AsyncRead` and `AsyncWrite`, so that every adapter written for those
//! traits (`read_exact`, `write_all`, `copy`, `BufReader`, `split`, ...)
//! works on it without a line of ours.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::io::{AsyncRead, AsyncWrite};
use reactor::Async;

// ANCHOR: struct
/// A TCP connection registered with the reactor of the runtime it was made on.
///
/// `&TcpStream` reads and writes too (as `&std::net::TcpStream` does), so one
/// task can read while another writes, each through its own reference.
///
/// One caveat, from chapter 4's poll-style methods: the reactor keeps one
/// waker slot per direction for `poll_read`/`poll_write` callers, so at most
/// one task at a time should read through `AsyncRead`, and one write through
/// `AsyncWrite`. (A second reader would replace the first one's waker.) The
/// `async fn`s [`read`](Self::read) and [`write`](Self::write) wait in slots
/// of their own and have no such limit.
pub struct TcpStream {
    io: Async<mio::net::TcpStream>,
}
// ANCHOR_END: struct

impl TcpStream {
    // ANCHOR: connect
    /// Connects to `addr`, waiting for the handshake without blocking the
    /// thread.
    ///
    /// A non-blocking `connect` returns at once with the handshake under
    /// way; the socket reports *writable* when it is over, whatever the
    /// outcome. So the wait is a `write_with` whose operation asks the
    /// socket how it went: a pending error (`SO_ERROR`, for example
    /// `ECONNREFUSED`) is the answer; no error and a peer address means
    /// connected; `ENOTCONN` means still in progress, which we report as
    /// `WouldBlock` so that the readiness is cleared and we wait again.
    ///
    /// # Errors
    /// The handshake's (`ConnectionRefused`, `TimedOut`, ...), the
    /// socket's, or chapter 4's `Async::new`'s (outside a runtime).
    ///
    /// # Cancel safety
    /// Dropped before it completed, it closes the socket: the attempt is
    /// abandoned (a handshake that had already finished is closed at once,
    /// and the peer sees the connection end). Nothing else is lost:
    /// connect again to retry.
    pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::from_mio(mio::net::TcpStream::connect(addr)?)?;
        stream.io.write_with(handshake_done).await?;
        Ok(stream)
    }
    // ANCHOR_END: connect

    /// Takes over a connected stream from the standard library (switching
    /// it to non-blocking mode) and registers it with the current reactor.
    ///
    /// # Errors
    /// If the socket cannot be switched to non-blocking mode, or as chapter
    /// 4's `Async::new` (outside a runtime, or a reactor that cannot take
    /// another source); the socket is closed then.
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_mio(mio::net::TcpStream::from_std(stream))
    }

    pub(crate) fn from_mio(stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            io: Async::new(stream)?,
        })
    }

    // ANCHOR: read_write
    /// Reads what is there (at most `buf.len()` bytes), waiting if nothing
    /// is. `Ok(0)` means the peer has closed its writing half: end of file.
    ///
    /// A read that fills less than `buf` has emptied the receive queue, so
    /// it tells the reactor the readiness is spent (see `short_read`).
    ///
    /// # Cancel safety
    /// Cancel safe: dropped before it completed, it has read nothing, and
    /// every byte is still in the socket for the next read (chapter 4's
    /// `read_with`: the read runs only inside the poll that returns it).
    pub async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        let len = buf.len();
        self.io
            .read_with_drain(|stream| (&*stream).read(buf), short_read(len))
            .await
    }

    /// Writes *some* of `buf`, waiting while the send buffer is full, and
    /// says how much. It may be less than `buf.len()`: a partial write.
    ///
    /// # Cancel safety
    /// Cancel safe: dropped before it completed, it has written nothing.
    /// (Not so a loop of writes such as `futures`' `write_all`: dropped
    /// part way, it has sent a prefix of the buffer and cannot say how
    /// long.)
    pub async fn write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.write_with(|stream| (&*stream).write(buf)).await
    }

    /// Closes the reading half, the writing half, or both. Closing the
    /// writing half sends a FIN: the peer reads end of file once it has read
    /// everything sent before, and can still send to us.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.get_ref().shutdown(how)
    }
    // ANCHOR_END: read_write

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().peer_addr()
    }

    /// The address of this end.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get_ref().local_addr()
    }

    /// Turns Nagle's algorithm off (`true`) or on. With it on, the kernel
    /// holds back a small write while an earlier one is unacknowledged, to
    /// coalesce them: good for bulk transfers, a delay of up to a round trip
    /// (or a delayed-ACK timeout, tens of milliseconds) for request/response.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.get_ref().set_nodelay(nodelay)
    }

    /// Whether Nagle's algorithm is off.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.get_ref().nodelay()
    }

    /// The registered mio stream, for options this type does not wrap.
    pub fn as_async(&self) -> &Async<mio::net::TcpStream> {
        &self.io
    }
}

/// The operation `connect` waits on (see there).
fn handshake_done(stream: &mio::net::TcpStream) -> io::Result<()> {
    if let Some(error) = stream.take_error()? {
        return Err(error);
    }
    match stream.peer_addr() {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotConnected => Err(io::ErrorKind::WouldBlock.into()),
        Err(e) => Err(e),
    }
}

// ANCHOR: async_read
impl AsyncRead for &TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let len = buf.len();
        self.io
            .poll_read_with_drain(cx, |stream| (&*stream).read(buf), short_read(len))
    }
}

/// Whether a read of `len` bytes that returned `n` emptied the socket's
/// receive queue. TCP copies everything queued, up to the buffer's size,
/// so `0 < n < len` means nothing was left; the next read would only hear
/// `WouldBlock`. (`n == 0` is end of file, which the reactor keeps as its
/// own, final, readiness bit.) Chapter 11 measured what this saves: one
/// `recvfrom` in two.
///
/// The exception is urgent data: Linux's `recv` stops at the urgent mark,
/// short, with bytes queued behind it (with or without `SO_OOBINLINE`).
/// The reactor sees the urgent byte as priority readiness and ignores this
/// rule until a read meets `WouldBlock`, so it needs no test here.
fn short_read(len: usize) -> impl Fn(&usize) -> bool {
    move |&n| n > 0 && n < len
}

impl AsyncWrite for &TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_write_with(cx, |stream| (&*stream).write(buf))
    }

    /// Nothing to flush: every write goes straight to the kernel.
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// `close` on an `AsyncWrite` means "no more writes": send the FIN.
    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.shutdown(Shutdown::Write))
    }
}
// ANCHOR_END: async_read

// ANCHOR: owned_impls
// The owned stream forwards to `&TcpStream`: `&mut &TcpStream` is a fresh
// `&TcpStream` each time, and `Unpin`, so no pinning is involved.
impl AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &*self).poll_read(cx, buf)
    }
}

impl AsyncWrite for TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &*self).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &*self).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &*self).poll_close(cx)
    }
}
// ANCHOR_END: owned_impls

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local_addr", &self.local_addr().ok())
            .field("peer_addr", &self.peer_addr().ok())
            .field("slot", &self.io.slot())
            .finish()
    }
}
