//! Counting the open connections, and waiting for one of them to close.
//!
//! The accept loop needs this twice: to stay under `--max-connections`,
//! and, when the process runs out of file descriptors, to wait until a
//! connection closes and gives one back. A connection task holds a
//! [`ConnectionGuard`]; dropping it (the task ended, however) counts the
//! close and wakes the accept loop.

use std::fmt;
use std::future::poll_fn;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::Poll;

use futures::task::AtomicWaker;

// ANCHOR: connections
/// The server's open connections: a count, shared by the accept loop and
/// every connection task, and the waker of whoever waits for it to drop.
#[derive(Clone, Default)]
pub struct Connections {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    live: AtomicUsize,
    accepted: AtomicU64,
    failed: AtomicU64,
    /// One waiter at a time: the accept loop.
    closed: AtomicWaker,
}

/// Held by a connection's task; counts the connection as open until dropped.
#[must_use = "the connection counts as open only while the guard lives"]
pub struct ConnectionGuard {
    inner: Arc<Inner>,
}

impl Connections {
    /// Counts a new open connection.
    pub fn open(&self) -> ConnectionGuard {
        self.inner.live.fetch_add(1, Ordering::SeqCst);
        self.inner.accepted.fetch_add(1, Ordering::Relaxed);
        ConnectionGuard {
            inner: self.inner.clone(),
        }
    }

    /// Waits until fewer than `limit` connections are open. Meant for one
    /// waiter at a time (a second one would replace the first one's waker).
    ///
    /// # Cancel safety
    /// Cancel safe: it only looks at the count. Dropped, it leaves its
    /// waker registered, and a later close may wake that task once for
    /// nothing.
    pub async fn until_fewer_than(&self, limit: usize) {
        poll_fn(|cx| {
            // Register first, then look: a close between the two still
            // finds the waker, so it cannot be lost.
            self.inner.closed.register(cx.waker());
            if self.live() < limit {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
    }
    // ANCHOR_END: connections

    /// How many connections are open now.
    pub fn live(&self) -> usize {
        self.inner.live.load(Ordering::SeqCst)
    }

    /// How many connections were accepted in all.
    pub fn accepted(&self) -> u64 {
        self.inner.accepted.load(Ordering::Relaxed)
    }

    /// How many connections ended with an error (reset, broken pipe, ...).
    pub fn failed(&self) -> u64 {
        self.inner.failed.load(Ordering::Relaxed)
    }

    pub(crate) fn count_failure(&self) {
        self.inner.failed.fetch_add(1, Ordering::Relaxed);
    }
}

// ANCHOR: guard_drop
impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.inner.live.fetch_sub(1, Ordering::SeqCst);
        self.inner.closed.wake();
    }
}
// ANCHOR_END: guard_drop

impl fmt::Debug for Connections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connections")
            .field("live", &self.live())
            .field("accepted", &self.accepted())
            .field("failed", &self.failed())
            .finish()
    }
}

impl fmt::Debug for ConnectionGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionGuard").finish_non_exhaustive()
    }
}
