//! SIGINT and SIGTERM on io_uring: chapter 4's self-pipe, read with an
//! io_uring operation instead of a readiness wait.
//!
//! The handler and its pipe are chapter 4's (`reactor::SignalPipe`); only
//! the read changes. One difference matters: io_uring completes a read on
//! a descriptor in `O_NONBLOCK` mode with `-EAGAIN` instead of waiting for
//! data (liburing issue 364), so the *read* end is switched to blocking
//! mode, which io_uring waits on without blocking the thread. The write
//! end, a separate open file description, stays non-blocking: the signal
//! handler must never wait.

use std::fmt;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::Arc;

use io_uring::{opcode, types};
use reactor::SignalPipe;

use crate::driver::Handle;
use crate::op_future::{Op, result};

// ANCHOR: signals
/// A listener for some signals whose bytes are read through the ring.
pub struct Signals {
    /// Shared with a read in flight, so that the pipe stays open until the
    /// kernel is done with it.
    pipe: Arc<SignalPipe>,
    handle: Handle,
}

impl Signals {
    /// Listens for `signals` (such as `reactor::signal::SHUTDOWN`). Must be
    /// called inside the runtime.
    pub fn new(signals: &[libc::c_int]) -> io::Result<Signals> {
        let pipe = SignalPipe::open(signals)?;
        pipe.receiver().set_nonblocking(false)?;
        Ok(Signals {
            pipe: Arc::new(pipe),
            handle: Handle::current()?,
        })
    }

    /// Waits for the next signal and returns its number.
    ///
    /// # Cancel safety
    /// Not cancel safe, unlike chapter 4's: a read dropped in flight may
    /// still take a signal's byte out of the pipe before the kernel sees
    /// the cancellation. The server drops one only once it no longer
    /// cares (when the drain ends on its deadline instead).
    pub async fn recv(&self) -> io::Result<libc::c_int> {
        let mut byte = Box::new(0u8);
        let entry = opcode::Read::new(
            types::Fd(self.pipe.receiver().as_raw_fd()),
            &raw mut *byte,
            1,
        )
        .build();
        // SAFETY: the entry points into `byte`'s heap allocation, which
        // travels with the op (a move of the box does not move its
        // contents) and has room for the one byte asked for; the pipe's
        // read end travels with it too, so it stays open.
        let op = unsafe { Op::submit(&self.handle, entry, (byte, self.pipe.clone())) };
        let (res, (byte, _pipe)) = op.await;
        match result(res)? {
            1 => Ok(libc::c_int::from(*byte)),
            // Every write end of the pipe closed: it cannot happen while
            // `pipe` holds one, but it is not a signal either.
            _ => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the signal pipe was closed",
            )),
        }
    }
}
// ANCHOR_END: signals

impl fmt::Debug for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signals")
            .field("pipe", &self.pipe)
            .finish_non_exhaustive()
    }
}
