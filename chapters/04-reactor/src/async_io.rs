//! `Async<T>`: any non-blocking mio source, as futures.
//!
//! The pattern is the same for every operation on every kind of source: try
//! it; if it returns `WouldBlock`, tell the reactor the readiness it relied
//! on was stale, leave a waker, return `Pending`; when woken, try again.
//! `Async` does this once, for a closure, so that the sockets of the next
//! chapters are a few lines each: `recv_from` is
//! `read_with(|s| s.recv_from(buf))`, `AsyncRead::poll_read` is
//! `poll_read_with(cx, |s| (&*s).read(buf))`.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::task::{Context, Poll, ready};

use mio::event::Source;

use crate::reactor::Handle;
use crate::readiness::{Direction, Ready};
use crate::record::WaiterSlot;
use crate::registration::{ReadyEvent, Registration, Stale};

// ANCHOR: async_struct
/// A non-blocking I/O source registered with a reactor.
///
/// Dropping it deregisters the source and frees its slot in the reactor.
pub struct Async<T: Source> {
    /// `None` only inside `into_inner` and `drop`.
    io: Option<T>,
    registration: Registration,
}
// ANCHOR_END: async_struct

impl<T: Source> Async<T> {
    /// Registers `io` with the reactor of the runtime running on this thread.
    ///
    /// `io` must be in non-blocking mode (mio's types always are).
    ///
    /// # Errors
    /// Outside [`Runtime::block_on`](crate::Runtime::block_on) and its
    /// tasks (no reactor is current on this thread); and as
    /// [`with_handle`](Self::with_handle). `io` is dropped (closed) then.
    pub fn new(io: T) -> io::Result<Async<T>> {
        Async::with_handle(io, &Handle::current()?)
    }

    /// Registers `io` with the reactor behind `handle`.
    ///
    /// # Errors
    /// When the reactor already holds as many sources as its tokens can
    /// name, or the OS refuses the registration (`epoll_ctl`'s error, for
    /// example `ENOMEM`). `io` is dropped (closed) then.
    pub fn with_handle(mut io: T, handle: &Handle) -> io::Result<Async<T>> {
        let registration = Registration::new(handle, &mut io)?;
        Ok(Async {
            io: Some(io),
            registration,
        })
    }

    /// The source, for operations that cannot block (addresses, options).
    pub fn get_ref(&self) -> &T {
        self.io.as_ref().expect("Async used after into_inner")
    }

    /// The source, mutably. Do not replace it: the reactor knows it by fd.
    pub fn get_mut(&mut self) -> &mut T {
        self.io.as_mut().expect("Async used after into_inner")
    }

    /// Deregisters the source and gives it back.
    ///
    /// # Errors
    /// When the OS refuses to deregister it (`epoll_ctl`'s error). The
    /// reactor's slot is freed all the same, and the source is dropped
    /// (closed) with the error.
    pub fn into_inner(mut self) -> io::Result<T> {
        let mut io = self.io.take().expect("Async used after into_inner");
        self.registration.deregister(&mut io)?;
        Ok(io)
    }

    /// The reactor this source is registered with.
    pub fn handle(&self) -> &Handle {
        &self.registration.handle
    }

    /// The source's slot in the reactor's slab (what the trace shows).
    pub fn slot(&self) -> usize {
        self.registration.slot
    }

    /// The reactor's readiness record for this source, for debugging: what
    /// the OS reported and no `WouldBlock` has disproved yet.
    pub fn readiness(&self) -> Ready {
        self.registration.ready()
    }

    // ANCHOR: poll_io
    /// The loop at the heart of every I/O future: try `op` while the record
    /// says `direction` may be ready; on `WouldBlock`, clear that readiness
    /// and look again (which stores the waker when nothing is left). A
    /// result that `drained` says emptied the source clears the readiness
    /// too, so the next operation waits for an event instead of paying a
    /// system call to hear `WouldBlock`.
    fn poll_io<R>(
        &self,
        direction: Direction,
        waiter: &mut WaiterSlot,
        cx: &mut Context<'_>,
        op: &mut impl FnMut(&T) -> io::Result<R>,
        drained: &impl Fn(&R) -> bool,
    ) -> Poll<io::Result<R>> {
        loop {
            let event = ready!(self.registration.poll_ready(direction, waiter, cx))?;
            match op(self.get_ref()) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.clear(direction, event, Stale::WouldBlock);
                }
                Ok(result) if drained(&result) => {
                    self.registration.clear(direction, event, Stale::Drained);
                    return Poll::Ready(Ok(result));
                }
                result => return Poll::Ready(result),
            }
        }
    }
    // ANCHOR_END: poll_io

    // ANCHOR: with
    /// Runs the non-blocking read-side operation `op` until it does not
    /// return `WouldBlock`, waiting for readability in between. Any number
    /// of tasks may wait in `read_with` on one source at once.
    ///
    /// # Errors
    /// What `op` returned, if not `WouldBlock`; or an error saying so if the
    /// reactor has shut down (it was dropped while this waited).
    ///
    /// # Cancel safety
    /// Cancel safe, as far as the waiting goes: `op` runs only inside a
    /// poll, and the poll in which it succeeds returns its result, so a
    /// future dropped before it completed has had no `op` call succeed
    /// (nothing was read). Dropping it frees its waiter slot; the readiness
    /// stays in the record for the next operation. What `op` itself does
    /// before it returns `WouldBlock` is `op`'s own affair.
    pub async fn read_with<R>(&self, op: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        self.read_with_drain(op, never_drained).await
    }

    /// [`read_with`](Self::read_with) for write-side operations.
    ///
    /// # Errors
    /// As [`read_with`](Self::read_with).
    ///
    /// # Cancel safety
    /// As [`read_with`](Self::read_with): dropped before it completed, it
    /// has had no `op` call succeed (nothing was written).
    pub async fn write_with<R>(&self, op: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        self.io_with(Direction::Write, op, &never_drained).await
    }

    async fn io_with<R>(
        &self,
        direction: Direction,
        mut op: impl FnMut(&T) -> io::Result<R>,
        drained: &impl Fn(&R) -> bool,
    ) -> io::Result<R> {
        let mut waiter = Waiter::new(&self.registration, direction);
        poll_fn(|cx| self.poll_io(direction, &mut waiter.slot, cx, &mut op, drained)).await
    }
    // ANCHOR_END: with

    // ANCHOR: with_drain
    /// [`read_with`](Self::read_with) for a source that can say, from a
    /// successful result, that it has nothing more to read: `drained` gets
    /// each `Ok` result, and `true` clears the read readiness as a
    /// `WouldBlock` would (unless an event has arrived since the operation
    /// started). The next read then waits for the OS to report new data
    /// rather than spending a system call to learn there is none.
    ///
    /// Only say `true` when it is certain. A byte stream (TCP, a Unix
    /// stream, a pipe) that fills less than the whole buffer has emptied the
    /// kernel's receive queue, so `|&n| n > 0 && n < buf.len()` is right
    /// there. For datagrams it is wrong: one `recv` takes one datagram
    /// however many wait behind it, and with edge-triggered polling those
    /// would never be reported again.
    ///
    /// # Errors
    /// As [`read_with`](Self::read_with).
    ///
    /// # Cancel safety
    /// As [`read_with`](Self::read_with).
    pub async fn read_with_drain<R>(
        &self,
        op: impl FnMut(&T) -> io::Result<R>,
        drained: impl Fn(&R) -> bool,
    ) -> io::Result<R> {
        self.io_with(Direction::Read, op, &drained).await
    }
    // ANCHOR_END: with_drain

    // ANCHOR: poll_with
    /// Poll-style [`read_with`](Self::read_with), for `AsyncRead`-style
    /// impls. One waker slot per direction: use it from one task at a time
    /// (as `&mut self` in `poll_read` guarantees); a second caller replaces
    /// the first one's waker.
    pub fn poll_read_with<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_read_with_drain(cx, op, never_drained)
    }

    /// Poll-style [`read_with_drain`](Self::read_with_drain).
    pub fn poll_read_with_drain<R>(
        &self,
        cx: &mut Context<'_>,
        mut op: impl FnMut(&T) -> io::Result<R>,
        drained: impl Fn(&R) -> bool,
    ) -> Poll<io::Result<R>> {
        self.poll_io(
            Direction::Read,
            &mut WaiterSlot::Poller,
            cx,
            &mut op,
            &drained,
        )
    }

    /// Poll-style [`write_with`](Self::write_with), for `AsyncWrite` impls.
    pub fn poll_write_with<R>(
        &self,
        cx: &mut Context<'_>,
        mut op: impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(
            Direction::Write,
            &mut WaiterSlot::Poller,
            cx,
            &mut op,
            &never_drained,
        )
    }
    // ANCHOR_END: poll_with

    // ANCHOR: readable
    /// Waits until the record says the source may be readable, without
    /// reading, and returns a guard for the readiness it saw.
    ///
    /// It is Ready at once while no `WouldBlock` has been seen since the
    /// last readable event (a new source counts as readable), so it can only
    /// be used in a loop together with the guard: do the operation through
    /// [`ReadyGuard::try_io`], or call [`ReadyGuard::clear_ready`] after
    /// your own operation returned `WouldBlock`. Otherwise nothing clears
    /// the readiness, and every `readable().await` is Ready again, for ever.
    ///
    /// # Errors
    /// If the reactor has shut down (it was dropped while this waited).
    ///
    /// # Cancel safety
    /// Cancel safe: it only waits, and consumes nothing. Dropped before it
    /// completed, it frees its waiter slot and leaves the readiness in the
    /// record; dropping the guard it returned keeps the readiness too.
    pub async fn readable(&self) -> io::Result<ReadyGuard<'_, T>> {
        self.ready(Direction::Read).await
    }

    /// Waits until the record says the source may be writable; see
    /// [`readable`](Self::readable). A new source counts as writable, so
    /// this does *not* wait for a non-blocking `connect` to finish: ask the
    /// socket (`take_error`, `peer_addr`) inside `try_io`, as chapter 6's
    /// `TcpStream::connect` does inside `write_with`.
    ///
    /// # Errors
    /// As [`readable`](Self::readable).
    ///
    /// # Cancel safety
    /// As [`readable`](Self::readable): cancel safe.
    pub async fn writable(&self) -> io::Result<ReadyGuard<'_, T>> {
        self.ready(Direction::Write).await
    }

    async fn ready(&self, direction: Direction) -> io::Result<ReadyGuard<'_, T>> {
        let mut waiter = Waiter::new(&self.registration, direction);
        let event = poll_fn(|cx| {
            self.registration
                .poll_ready(direction, &mut waiter.slot, cx)
        })
        .await?;
        Ok(ReadyGuard {
            io: self,
            direction,
            event,
        })
    }
    // ANCHOR_END: readable

    /// Poll-style [`readable`](Self::readable) (shares the poll-style slot).
    pub fn poll_readable(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyGuard<'_, T>>> {
        self.poll_ready_guard(Direction::Read, cx)
    }

    /// Poll-style [`writable`](Self::writable) (shares the poll-style slot).
    pub fn poll_writable(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyGuard<'_, T>>> {
        self.poll_ready_guard(Direction::Write, cx)
    }

    fn poll_ready_guard(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyGuard<'_, T>>> {
        self.registration
            .poll_ready(direction, &mut WaiterSlot::Poller, cx)
            .map_ok(|event| ReadyGuard {
                io: self,
                direction,
                event,
            })
    }
}

// ANCHOR: ready_guard
/// Readiness that [`Async::readable`] or [`Async::writable`] saw, not yet
/// proved spent. The operation the caller then tries decides: a
/// `WouldBlock` means the readiness was stale, and the guard is how the
/// reactor hears it. (The shape is tokio's `AsyncFdReadyGuard`.)
#[must_use = "try the operation with try_io, or clear_ready after a WouldBlock"]
pub struct ReadyGuard<'a, T: Source> {
    io: &'a Async<T>,
    direction: Direction,
    event: ReadyEvent,
}

impl<'a, T: Source> ReadyGuard<'a, T> {
    /// Runs the non-blocking operation `op`. If it returns `WouldBlock`,
    /// clears the readiness and returns `Err(TryIoError)`: wait again with
    /// `readable`/`writable`. Any other result is passed through, and the
    /// readiness stays.
    pub fn try_io<R>(
        &mut self,
        op: impl FnOnce(&'a T) -> io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        match op(self.io.get_ref()) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                self.clear_ready();
                Err(TryIoError(()))
            }
            result => Ok(result),
        }
    }

    /// Says the source is not ready after all: call it when an operation
    /// you did yourself returned `WouldBlock`, and only then (a success
    /// proves nothing). The next `readable`/`writable` waits for an event.
    /// An event that arrived since the guard was made is kept, as after any
    /// `WouldBlock` (the tick rule).
    pub fn clear_ready(&mut self) {
        self.io
            .registration
            .clear(self.direction, self.event, Stale::WouldBlock);
    }

    /// Keeps the readiness (the default when the guard is dropped): for an
    /// operation that succeeded, which proves nothing about the next one.
    pub fn retain_ready(self) {}

    /// The `Async` this readiness is about.
    pub fn get_ref(&self) -> &'a Async<T> {
        self.io
    }
}

/// The operation in [`ReadyGuard::try_io`] returned `WouldBlock`; the
/// readiness has been cleared.
#[derive(Debug)]
pub struct TryIoError(());

impl fmt::Display for TryIoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operation would block; readiness cleared")
    }
}

impl std::error::Error for TryIoError {}
// ANCHOR_END: ready_guard

impl<T: Source + fmt::Debug> fmt::Debug for ReadyGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadyGuard")
            .field("io", &self.io)
            .field("direction", &self.direction)
            .finish()
    }
}

/// The `drained` of the operations that learn nothing from a success.
fn never_drained<R>(_: &R) -> bool {
    false
}

// ANCHOR: waiter
/// A future's place in a direction's waiter list, freed when the future
/// completes or is dropped (cancelled by `select`, a timeout, ...), so a
/// gone future leaves no waker behind.
struct Waiter<'a> {
    registration: &'a Registration,
    direction: Direction,
    slot: WaiterSlot,
}

impl<'a> Waiter<'a> {
    fn new(registration: &'a Registration, direction: Direction) -> Self {
        Waiter {
            registration,
            direction,
            slot: WaiterSlot::Future(None),
        }
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.registration.forget(self.direction, &self.slot);
    }
}
// ANCHOR_END: waiter

impl<T: Source> Drop for Async<T> {
    fn drop(&mut self) {
        if let Some(mut io) = self.io.take() {
            // Errors are ignored: the slot is freed regardless. Closing the
            // fd (dropping `io` next) removes it from epoll only if no
            // duplicate of it is open (epoll(7)); any later event for it
            // carries a stale generation and is dropped.
            let _ = self.registration.deregister(&mut io);
        }
    }
}

impl<T: Source + fmt::Debug> fmt::Debug for Async<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Async")
            .field("io", &self.io)
            .field("slot", &self.registration.slot)
            .finish()
    }
}
