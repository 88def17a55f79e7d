//! TCP on the completion driver: `accept`, `read`, `write`, `close`, each
//! one operation submitted to the ring.
//!
//! Compare chapter 6's `TcpStream`: there a read tried the socket, got
//! `WouldBlock`, waited for readiness, and tried again, with a buffer the
//! caller lent for the duration of one system call. Here there is nothing
//! to retry: the kernel does the read when data arrives, into a buffer it
//! holds until it says so. The buffer must therefore be *given*, not lent:
//! these methods take a `Vec<u8>` by value and hand it back with the result.

use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener as StdListener, TcpStream as StdStream};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::sync::Arc;

use io_uring::{opcode, types};

use crate::driver::Handle;
use crate::op_future::{Op, result};

// ANCHOR: listener
/// A listening socket whose `accept` is an io_uring operation.
#[derive(Debug)]
pub struct TcpListener {
    /// Shared with accepts in flight, so that the descriptor stays open
    /// until the kernel is done with it even if the listener is dropped.
    socket: Arc<StdListener>,
    handle: Handle,
}

impl TcpListener {
    /// Binds `addr` (with the standard library: binding is not I/O to wait
    /// for). Must be called inside the runtime.
    ///
    /// # Errors
    /// The bind's, or, outside the runtime, that no driver is current.
    pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
        TcpListener::from_std(StdListener::bind(addr)?)
    }

    /// Takes over a bound listener. Blocking mode is fine: io_uring never
    /// blocks the thread, whatever the descriptor's mode.
    ///
    /// # Errors
    /// Outside the runtime: no driver is current (the listener is closed).
    pub fn from_std(socket: StdListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            socket: Arc::new(socket),
            handle: Handle::current()?,
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Waits for a connection and returns it.
    ///
    /// # Errors
    /// The kernel's accept error (`EMFILE`, `ECONNABORTED`, ...), or
    /// `ECANCELED` if the driver shut down before the accept ran.
    ///
    /// # Cancel safety
    /// Not cancel safe: once the kernel has the accept, it may complete
    /// anyway (before the drop, or after it, when the cancellation comes
    /// too late), and the connection it took from the backlog is then
    /// closed by the cleanup: that client sees its connection accepted and
    /// closed. Dropped before the driver submitted it, nothing was
    /// accepted.
    pub async fn accept(&self) -> io::Result<TcpStream> {
        let entry = opcode::Accept::new(
            types::Fd(self.socket.as_raw_fd()),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
        .flags(libc::SOCK_CLOEXEC)
        .build();
        // SAFETY: the entry points to no memory (no peer address wanted);
        // its descriptor is the listener's, kept open by the clone of the
        // `Arc` that travels with the operation.
        let op = unsafe { Op::submit(&self.handle, entry, self.socket.clone()) };
        // Dropped before it returns (a `select`, a timeout), the accept may
        // still complete: the connection it made must then be closed.
        let (res, _socket) = op.on_abandon(close_accepted).await;
        let fd = result(res)? as i32;
        // SAFETY: a successful accept returns a new descriptor that only
        // this `StdStream` owns.
        let stream = unsafe { StdStream::from_raw_fd(fd) };
        Ok(TcpStream::from_parts(stream, self.handle.clone()))
    }
}

/// A close that the kernel never ran (`-ECANCELED`: it was never
/// submitted, because the driver had shut down, or its future was dropped
/// in time) leaves `fd` open: close it here, with `close(2)`. Returns
/// whether it did. `close(2)` itself never fails with `ECANCELED`, so a
/// close that ran is never closed twice.
fn close_if_never_ran(fd: RawFd, res: i32) -> bool {
    if res != -libc::ECANCELED {
        return false;
    }
    // SAFETY: the kernel never ran the close, so `fd` is still open and
    // still ours alone (see `TcpStream::close`).
    drop(unsafe { OwnedFd::from_raw_fd(fd) });
    true
}

/// The cleanup of an abandoned accept: a successful result is a descriptor
/// nobody else will ever see, so close it (the client gets its EOF).
fn close_accepted(res: i32) {
    if res >= 0 {
        // SAFETY: a successful accept returns a new descriptor; its future
        // was dropped without taking it, so nothing else owns it.
        drop(unsafe { OwnedFd::from_raw_fd(res) });
    }
}
// ANCHOR_END: listener

// ANCHOR: stream
/// A connected socket whose reads and writes are io_uring operations on
/// buffers they own while in flight.
#[derive(Debug)]
pub struct TcpStream {
    socket: Arc<StdStream>,
    handle: Handle,
}

impl TcpStream {
    /// Takes over a connected socket. Must be called inside the runtime.
    ///
    /// # Errors
    /// Outside the runtime: no driver is current (the socket is closed).
    pub fn from_std(stream: StdStream) -> io::Result<TcpStream> {
        Ok(TcpStream::from_parts(stream, Handle::current()?))
    }

    fn from_parts(stream: StdStream, handle: Handle) -> TcpStream {
        TcpStream {
            socket: Arc::new(stream),
            handle,
        }
    }

    /// Reads into `buf`'s spare capacity (after its `len` bytes), at most
    /// `buf.capacity() - buf.len()` bytes, and grows `len` by what came.
    /// `Ok(0)` with spare capacity left means the peer closed its writing
    /// half.
    ///
    /// # Cancel safety
    /// Not cancel safe, unlike chapter 6's `read`: `buf` moved into the
    /// operation and is not given back, and if the kernel had the receive
    /// it may still complete, so bytes taken from the socket are dropped
    /// with the buffer. Dropped before the driver submitted it, nothing was
    /// read (but the buffer is gone all the same).
    pub async fn read(&self, mut buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        let start = buf.len();
        let room = buf.capacity() - start;
        let entry = opcode::Recv::new(
            types::Fd(self.socket.as_raw_fd()),
            // SAFETY: `start <= capacity`, so this is in (or one past) the
            // allocation.
            unsafe { buf.as_mut_ptr().add(start) },
            u32::try_from(room).unwrap_or(u32::MAX),
        )
        // `Setup::recv_poll_first`: wait for data before the first try.
        .ioprio(self.handle.shared.recv_ioprio)
        .build();
        // SAFETY: the entry points into `buf`'s heap allocation, which moves
        // with `buf` into the op (its address does not change) and has
        // `room` bytes of spare capacity for the kernel to write; the socket
        // travels with it too.
        let op = unsafe { Op::submit(&self.handle, entry, (buf, self.socket.clone())) };
        let (res, (mut buf, _socket)) = op.await;
        let read = match result(res) {
            Ok(n) => n as usize,
            Err(e) => return (Err(e), buf),
        };
        // SAFETY: the kernel initialized `read` bytes after `start`.
        unsafe { buf.set_len(start + read) };
        (Ok(read), buf)
    }

    /// Sends `buf[from..]`, once: returns how many bytes the kernel took,
    /// which may be fewer (a partial write).
    ///
    /// # Panics
    /// If `from > buf.len()`.
    ///
    /// # Cancel safety
    /// Not cancel safe: `buf` is not given back, and if the kernel had the
    /// send it may still complete, so some or all of the bytes may have
    /// been sent with no way to learn how many.
    pub async fn write_from(&self, buf: Vec<u8>, from: usize) -> (io::Result<usize>, Vec<u8>) {
        let bytes = &buf[from..];
        let entry = opcode::Send::new(
            types::Fd(self.socket.as_raw_fd()),
            bytes.as_ptr(),
            u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        )
        // A peer that reset the connection is an error, not a SIGPIPE.
        .flags(libc::MSG_NOSIGNAL)
        .build();
        // SAFETY: the entry points into `buf`'s initialized bytes, in its
        // heap allocation, which travels with the op; so does the socket.
        let op = unsafe { Op::submit(&self.handle, entry, (buf, self.socket.clone())) };
        let (res, (buf, _socket)) = op.await;
        (result(res).map(|n| n as usize), buf)
    }

    /// Sends all of `buf`, resubmitting the rest after a partial write.
    ///
    /// # Errors
    /// A send's error, or `WriteZero` if a send took nothing: the bytes
    /// before it were sent, and the buffer comes back with the error.
    ///
    /// # Cancel safety
    /// Not cancel safe: as [`write_from`](Self::write_from), and dropped
    /// between two sends it has sent a prefix of `buf` whose length it
    /// cannot tell.
    pub async fn write_all(&self, buf: Vec<u8>) -> (io::Result<()>, Vec<u8>) {
        let mut buf = buf;
        let mut written = 0;
        while written < buf.len() {
            let (res, back) = self.write_from(buf, written).await;
            buf = back;
            match res {
                Ok(0) => return (Err(io::ErrorKind::WriteZero.into()), buf),
                Ok(n) => written += n,
                Err(e) => return (Err(e), buf),
            }
        }
        (Ok(()), buf)
    }

    /// Shuts down one or both halves (at once: it is not I/O to wait for).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.socket.shutdown(how)
    }

    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.peer_addr()
    }

    /// Closes the socket with an io_uring `close`, once no operation holds
    /// it. Dropping a `TcpStream` closes it too, with a plain `close(2)`.
    ///
    /// # Errors
    /// The kernel's `close` error. `Ok(())` when an abandoned operation
    /// still holds the socket (the last one closes it), and when the driver
    /// had shut down (it is closed here with `close(2)`).
    ///
    /// # Cancel safety
    /// The socket is closed whatever happens: dropped before the kernel ran
    /// the close, the future's cleanup closes it with `close(2)`; dropped
    /// after, the kernel's close stands. Only its result is lost.
    pub async fn close(self) -> io::Result<()> {
        let Ok(socket) = Arc::try_unwrap(self.socket) else {
            // An abandoned operation still holds it: the last one closes it.
            return Ok(());
        };
        let fd = socket.into_raw_fd();
        // SAFETY: no memory involved; `fd` was ours alone, and the kernel
        // closes it, so nothing else may use or close it afterwards (except
        // `close_if_never_ran`, when the kernel never did).
        let op = unsafe { Op::submit(&self.handle, opcode::Close::new(types::Fd(fd)).build(), ()) };
        // Dropped before the kernel ran it, the close must still happen.
        let (res, ()) = op
            .on_abandon(move |res| {
                close_if_never_ran(fd, res);
            })
            .await;
        if close_if_never_ran(fd, res) {
            // The driver had shut down: the close was never submitted.
            return Ok(());
        }
        result(res).map(drop)
    }
}
// ANCHOR_END: stream
