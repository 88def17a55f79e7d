//! A task: a future the executor owns, plus the state that keeps it honest.
//!
//! The seed design queued a bare future and re-polled it on every wake. Two
//! things go wrong with that: a stale waker (left in a reactor's table, or
//! in the losing branch of a `select`) wakes a task that already finished and
//! the executor polls a completed `async` block, which panics; and a task
//! woken ten times before it runs sits in the queue ten times. The state
//! machine below rules out both.
//!
//! A task is one heap allocation, `Arc<Task<F>>`: its state, its future and
//! the join slot its `JoinHandle` reads, side by side, as in async-task and
//! tokio. The run queue and the task list see it as `Arc<dyn Runnable>`, the
//! handle as `Arc<dyn JoinSlot<T>>`, and a waker as a thin pointer to it with
//! a vtable made for `Task<F>`: three views of one block, none of which
//! allocates.

use std::cell::UnsafeCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use waker::raw_waker::{self, ArcWake};

use crate::join::{self, Harness, JoinSlot, JoinState};
use crate::runtime::Shared;
use crate::state::{Claim, State};

// ANCHOR: task
/// One spawned task, in one allocation.
pub(crate) struct Task<F: Future> {
    /// IDLE, SCHEDULED, RUNNING, NOTIFIED or DONE, and the ABORTED bit: see
    /// `state.rs`.
    state: State,
    /// Where a wake puts the task back.
    shared: Arc<Shared>,
    /// The key of this task in the runtime's task list, which owns it.
    key: usize,
    /// The future, inline: no `Box`. Only the executor's thread touches
    /// it (polls it, drops it in place): when the task runs, completes or
    /// is aborted, and at shutdown. A waker or a `JoinHandle` holds the
    /// task, never the last word on its future. No lock: see the `Sync`
    /// impl below.
    future: UnsafeCell<Harness<F>>,
    /// The outcome, for the `JoinHandle`, and the waker of whoever awaits
    /// it. Locked: the handle may be polled or dropped on any thread.
    join: Mutex<JoinState<F::Output>>,
}

// SAFETY: `future` is the only field that is not `Sync`. It is touched
// only through `run` and `cancel`, and those are called only by the thread
// inside the owning runtime's `block_on` (for a task it took from the run
// queue) or its `drop` (at shutdown), or by `spawn` for a task it never
// listed. Both take `&mut Runtime`, so one thread at a time; neither is
// reachable from inside a poll or a destructor that it runs (they would
// need that `&mut Runtime` again), so the accesses never overlap. Wakers
// and the `JoinHandle` on other threads only touch `state`, `shared`, `key`
// and `join`, which are `Sync` (`join` because the output is `Send`). The
// future itself is `Send`, so handing the whole task to another thread is
// fine.
unsafe impl<F> Sync for Task<F>
where
    F: Future + Send,
    F::Output: Send,
{
}

/// What the run queue and the task list see of a task: its future's type
/// erased, so that one queue holds tasks of every type.
pub(crate) trait Runnable: Send + Sync {
    /// Polls the task once; returns it if it must be queued again. See
    /// `Task::run`.
    fn run(self: Arc<Self>) -> Option<Arc<dyn Runnable>>;

    /// Ends the task without polling it again; see `Task::cancel`.
    fn cancel(&self);
}
// ANCHOR_END: task

impl<F> Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // ANCHOR: new
    /// The one allocation of a spawned task.
    pub(crate) fn new(future: F, shared: Arc<Shared>, key: usize) -> Arc<Task<F>> {
        shared.allocated.fetch_add(1, Ordering::Relaxed);
        Arc::new(Task {
            state: State::new(),
            shared,
            key,
            future: UnsafeCell::new(Harness::new(future)),
            join: Mutex::new(JoinState::new()),
        })
    }
    // ANCHOR_END: new

    // ANCHOR: schedule
    /// Called by every wake. Queues the task only on the IDLE → SCHEDULED
    /// transition, so it is queued at most once however often it is woken.
    fn schedule(self: &Arc<Self>) {
        if self.state.wake() {
            self.shared.push(self.clone());
        }
    }
    // ANCHOR_END: schedule

    /// Drops the future in place and, unless it had already reported,
    /// reports `Cancelled` (or the panic of its destructor) to the handle:
    /// after the drop, so that whoever awaits the handle wakes to a task
    /// with nothing left running.
    fn drop_future(&self) {
        // SAFETY: called by `run` and `cancel` only, on the executor's
        // thread (see the `Sync` impl). The destructor it runs may do
        // anything but reach this task's `future` again.
        let cancelled = unsafe { (*self.future.get()).cancel() };
        if let Some(error) = cancelled {
            join::complete(&self.join, Err(error));
        }
    }
}

impl<F> Runnable for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // ANCHOR: run
    /// Polls the task once. Only the executor calls this, on its thread, for
    /// a task it took from the run queue, with the queue's reference. When
    /// the future has finished or was aborted (and has been dropped), the
    /// task leaves the runtime's task list; when it was woken during the
    /// poll, it is returned, for the caller to queue again with the same
    /// reference (no clone of the `Arc`, no drop of it).
    fn run(self: Arc<Self>) -> Option<Arc<dyn Runnable>> {
        match self.state.claim() {
            // Not SCHEDULED. The state machine never queues a DONE task, so
            // this is a defensive no-op rather than a path the tests take.
            Claim::Skip => return None,
            // ABORTED and SCHEDULED: now DONE, drop the future unpolled.
            Claim::Abort => {
                self.drop_future();
                self.shared.release(self.key);
                return None;
            }
            Claim::Poll => {}
        }
        let poll = {
            // Borrowed: the queue's reference keeps the task alive for the
            // poll, so the waker need not own a count (a clone of it does).
            let waker = raw_waker::waker_ref(&self);
            let mut cx = Context::from_waker(&waker);
            // SAFETY: this is the executor's thread, polling a task it
            // claimed (see the `Sync` impl): nothing else touches `future`
            // meanwhile, and the borrow ends with this block. The task is
            // in an `Arc` and never moves, so its future is pinned.
            let harness = unsafe { Pin::new_unchecked(&mut *self.future.get()) };
            // Panics never escape: the harness catches them, and on
            // `Ready` it has already dropped the future in place.
            harness.poll(&mut cx)
        };
        match poll {
            Poll::Ready(output) => {
                // DONE before the report: the future's destructors (already
                // run) may have woken this very task, which must stay done,
                // and whoever awaits the handle finds it finished.
                self.state.done();
                join::complete(&self.join, output);
                self.shared.release(self.key);
                None
            }
            // RUNNING → IDLE, unless a wake (or an abort) arrived while we
            // were polling: then the task goes straight back into the queue.
            Poll::Pending => self.state.pending().then_some(self),
        }
    }
    // ANCHOR_END: run

    /// Marks the task done and drops its future without polling it again:
    /// used at shutdown, on the executor's thread, for every task the
    /// runtime still holds (no task is running then), and by `spawn` for a
    /// task refused after shutdown.
    fn cancel(&self) {
        self.state.done();
        self.drop_future();
    }
}

impl<F> JoinSlot<F::Output> for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn join_state(&self) -> &Mutex<JoinState<F::Output>> {
        &self.join
    }

    // ANCHOR: abort
    /// Asks the executor to drop this task's future instead of polling it.
    ///
    /// The future is not dropped here: `abort` may be called from another
    /// thread while the executor is polling the task, or from inside the task
    /// itself. Setting ABORTED and waking the task, in one atomic step, hands
    /// the drop to the one thread that may do it, at a moment when nobody is
    /// polling.
    fn abort(self: Arc<Self>) {
        if self.state.abort() {
            // `push` takes the task, so it cannot borrow `shared` from it.
            let shared = Arc::clone(&self.shared);
            shared.push(self);
        }
    }
    // ANCHOR_END: abort
}

// ANCHOR: arc_wake
/// The waker of a task is chapter 1's: a thin pointer to this very block,
/// with a vtable generated for `Task<F>`. Making one allocates nothing.
impl<F> ArcWake for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn wake_by_ref(self: &Arc<Self>) {
        self.schedule();
    }
}
// ANCHOR_END: arc_wake

impl<F: Future> Drop for Task<F> {
    fn drop(&mut self) {
        // The last reference is gone: the runtime released the task (after
        // dropping its future), and no queue entry, waker or `JoinHandle`
        // is left. Only the shell (and an output nobody took) is freed
        // here, on whichever thread dropped the last reference: the future
        // is gone by now.
        debug_assert!(self.state.is_done(), "a task freed before it was done");
        self.shared.allocated.fetch_sub(1, Ordering::Relaxed);
    }
}

impl<F: Future> std::fmt::Debug for Task<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("key", &self.key)
            .field("state", &self.state.bits())
            .finish_non_exhaustive()
    }
}
