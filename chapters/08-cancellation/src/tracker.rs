//! `TaskTracker`: wait for every task spawned under it.
//!
//! A token asks tasks to stop; it cannot say when they have. Join handles
//! can, one by one, but whoever spawns connection tasks in a loop does not
//! want to keep a growing list of them. A tracker is a count instead: each
//! task spawned through it carries a guard that counts it in, and the guard
//! counts it out when the task's future is dropped, whether it finished,
//! panicked or was aborted. `wait()` completes once the tracker is closed
//! (no more tasks are coming) and the count is zero.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use executor::JoinHandle;

use crate::waiters::{WaitFor, Waiters, lock};

// ANCHOR: tracker
/// Counts the tasks spawned through it, and wakes `wait()` when the last one
/// is gone and the tracker is closed. Clones share the count.
#[derive(Clone, Default)]
pub struct TaskTracker {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    /// Tasks spawned (or futures tracked) and not yet dropped.
    tasks: usize,
    /// Closed: `wait()` may complete once `tasks` is 0. Open: it may not,
    /// because more tasks may come. Only an explicit `close` sets it.
    closed: bool,
    waiters: Waiters,
}

/// Counts one task in while it lives; the task's future owns it, so it is
/// dropped, and counts the task out, exactly when that future is dropped.
struct TrackToken {
    inner: Arc<Mutex<Inner>>,
}
// ANCHOR_END: tracker

impl Inner {
    /// The wakers to wake if the tracker is done now.
    fn done_wakers(&mut self) -> Vec<std::task::Waker> {
        if self.closed && self.tasks == 0 {
            self.waiters.take_all()
        } else {
            Vec::new()
        }
    }
}

impl TaskTracker {
    /// An open tracker with no tasks.
    pub fn new() -> TaskTracker {
        TaskTracker::default()
    }

    // ANCHOR: spawn
    /// Spawns `future` on the current runtime, counted by this tracker
    /// until its future is dropped (finished, panicked or aborted).
    ///
    /// # Panics
    /// Outside a runtime, like [`executor::spawn`].
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        executor::spawn(self.track_future(future))
    }

    /// Wraps `future` so that it counts in this tracker until it is dropped.
    /// Counted from now, not from its first poll: a task spawned but not
    /// yet run is already one to wait for.
    ///
    /// # Cancel safety
    /// Dropping the [`Tracked`] future, unfinished or not, cancels `future`
    /// (as safe as `future` is) and counts it out.
    pub fn track_future<F: Future>(&self, future: F) -> Tracked<F> {
        lock(&self.inner).tasks += 1;
        Tracked {
            future,
            _token: TrackToken {
                inner: self.inner.clone(),
            },
        }
    }
    // ANCHOR_END: spawn

    /// No more tasks are coming: `wait()` completes once the count is zero.
    /// Spawning after `close` still works and still counts.
    pub fn close(&self) {
        let wakers = {
            let mut inner = lock(&self.inner);
            inner.closed = true;
            inner.done_wakers()
        };
        wakers.into_iter().for_each(|waker| waker.wake());
    }

    /// Undoes `close`: `wait()` waits again, even at a count of zero.
    pub fn reopen(&self) {
        lock(&self.inner).closed = false;
    }

    /// Whether [`close`](Self::close) was called (and not undone).
    pub fn is_closed(&self) -> bool {
        lock(&self.inner).closed
    }

    /// How many tracked tasks have not been dropped yet.
    pub fn len(&self) -> usize {
        lock(&self.inner).tasks
    }

    /// Whether no tracked task is left.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Completes once the tracker is closed and every tracked task is gone.
    ///
    /// # Cancel safety
    /// Cancel safe: the count and the closed flag are state, not messages,
    /// so dropping it loses nothing, and a new `wait()` completes at once if
    /// the tracker got done meanwhile. Dropping it frees its waker's slot.
    pub fn wait(&self) -> Wait<'_> {
        Wait(WaitFor::new(
            &self.inner,
            |inner| inner.closed && inner.tasks == 0,
            |inner| &mut inner.waiters,
        ))
    }
}

impl Drop for TrackToken {
    // ANCHOR: count_out
    fn drop(&mut self) {
        let wakers = {
            let mut inner = lock(&self.inner);
            inner.tasks -= 1;
            inner.done_wakers()
        };
        wakers.into_iter().for_each(|waker| waker.wake());
    }
    // ANCHOR_END: count_out
}

pin_project_lite::pin_project! {
    /// A future counted by a [`TaskTracker`] until it is dropped.
    pub struct Tracked<F> {
        #[pin]
        future: F,
        _token: TrackToken,
    }
}

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.project().future.poll(cx)
    }
}

/// The future returned by [`TaskTracker::wait`].
pub struct Wait<'a>(WaitFor<'a, Inner>);

impl Future for Wait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl fmt::Debug for TaskTracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = lock(&self.inner);
        f.debug_struct("TaskTracker")
            .field("tasks", &inner.tasks)
            .field("closed", &inner.closed)
            .finish()
    }
}

impl fmt::Debug for TrackToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrackToken").finish_non_exhaustive()
    }
}

impl<F> fmt::Debug for Tracked<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracked").finish_non_exhaustive()
    }
}

impl fmt::Debug for Wait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("waiting", &self.0.is_waiting())
            .finish()
    }
}
