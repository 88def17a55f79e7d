//! `Op<T>`: the future of one submitted operation, which owns what the
//! kernel uses while the operation is in flight.
//!
//! This is the whole answer to "who keeps the buffer alive?". The buffer
//! (any `T`: a `Vec<u8>`, a boxed address, the socket itself) moves into
//! the `Op` when the operation is submitted and comes back out with the
//! result. If the `Op` is dropped first, `T` moves into the driver's slot,
//! and the driver drops it when the kernel's completion arrives.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use io_uring::squeue;

use crate::driver::{Handle, Shared};
use crate::op_table::{Cleanup, Key, Leftover, Lifecycle};

// ANCHOR: op
/// An operation in flight, and the resources the kernel may touch until it
/// completes. Its output is the kernel's result and the resources back.
///
/// # Cancel safety
/// Not cancel safe: the operation is the kernel's, and dropping the `Op`
/// does not undo it. Dropped before it returned, the `Op` gives its
/// resources to the driver, and then: if the entry was still in the
/// driver's queue, it is never submitted (the result is `-ECANCELED`); if
/// the kernel has it, the driver asks for a cancellation, which may come
/// too late, so the operation may still complete and do its work; if it
/// had completed but was not yet taken, its result is dropped. In every
/// case the resources are dropped only once the kernel is done with them,
/// after the cleanup of [`on_abandon`](Op::on_abandon) has run with the
/// result, and that result is all that is left of the work.
///
/// # Panics
/// When polled again after it returned its output.
pub struct Op<T: Send + 'static> {
    shared: Arc<Shared>,
    key: Key,
    /// `Some` until the output is returned (or the op is dropped).
    keep: Option<T>,
    /// Run with the result if the op is dropped before it returns it.
    cleanup: Option<Cleanup>,
}

impl<T: Send + 'static> Op<T> {
    /// Submits `entry` to `handle`'s driver; `keep` travels with it.
    ///
    /// # Safety
    /// Every pointer in `entry` must point into memory owned by `keep`
    /// (through a heap allocation, which does not move when `keep` moves),
    /// or to memory that outlives the driver; and each such buffer must be
    /// valid for what the operation does to it (room for a read to write
    /// into, initialized bytes for a write to send). Descriptors in `entry`
    /// must stay open until the operation completes: keep their owner in
    /// `keep` too.
    pub unsafe fn submit(handle: &Handle, entry: squeue::Entry, keep: T) -> Op<T> {
        let shared = handle.shared.clone();
        let key = shared.submit(entry);
        Op {
            shared,
            key,
            keep: Some(keep),
            cleanup: None,
        }
    }

    /// Gives the op a cleanup for a result nobody will take: if the op is
    /// dropped before it returns its output, `cleanup` runs (on the
    /// driver's thread, or in the drop) with the kernel's result once the
    /// operation is over, whether it completed before the drop or after.
    /// An accept's cleanup closes the descriptor it made. The result is
    /// `-ECANCELED` if the kernel never ran the operation.
    pub fn on_abandon(mut self, cleanup: impl FnOnce(i32) + Send + 'static) -> Op<T> {
        self.cleanup = Some(Box::new(cleanup));
        self
    }
}
// ANCHOR_END: op

// The resources are never pinned: the kernel holds pointers into their
// heap allocations, not into the `Op`, so moving an `Op` is always fine.
impl<T: Send + 'static> Unpin for Op<T> {}

// ANCHOR: poll
impl<T: Send + 'static> Future for Op<T> {
    /// The kernel's result (a count, or `-errno`) and the resources.
    type Output = (i32, T);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(i32, T)> {
        let this = &mut *self;
        let mut inner = this.shared.lock();
        let entry = inner
            .ops
            .get_mut(this.key)
            .expect("an Op polled after it returned its output");
        match &mut entry.lifecycle {
            Lifecycle::Completed(result) => {
                let result = *result;
                inner.ops.remove(this.key);
                drop(inner);
                let keep = this.keep.take().expect("the resources are still here");
                Poll::Ready((result, keep))
            }
            Lifecycle::Waiting(waker) => {
                // The newest waker wins (pitfall 5): the op may have moved
                // to another task since the last poll.
                match waker {
                    Some(old) if old.will_wake(cx.waker()) => {}
                    _ => *waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
            Lifecycle::Abandoned(_) => unreachable!("an Op is abandoned only when dropped"),
        }
    }
}

impl<T: Send + 'static> Drop for Op<T> {
    fn drop(&mut self) {
        if let Some(keep) = self.keep.take() {
            // Still in flight, or completed and never polled: the driver
            // decides which, under its lock.
            let leftover = Leftover {
                keep: Box::new(keep),
                cleanup: self.cleanup.take(),
            };
            self.shared.abandon(self.key, leftover);
        }
    }
}
// ANCHOR_END: poll

// ANCHOR: result
/// A kernel result as an `io::Result`.
///
/// # Errors
/// A negative `res` is `-errno`: it becomes that OS error.
pub fn result(res: i32) -> io::Result<u32> {
    if res < 0 {
        Err(io::Error::from_raw_os_error(-res))
    } else {
        Ok(res as u32)
    }
}
// ANCHOR_END: result

impl<T: Send + 'static> fmt::Debug for Op<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Op")
            .field("key", &self.key)
            .field("done", &self.keep.is_none())
            .finish()
    }
}
