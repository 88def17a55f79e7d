//! A task: a future the executor owns, plus the state that keeps it honest.
//!
//! The seed design queued a bare future and re-polled it on every wake. Two
//! things go wrong with that: a stale waker (left in a reactor's table, or
//! in the losing branch of a `select`) wakes a task that already finished and
//! the executor polls a completed `async` block, which panics; and a task
//! woken ten times before it runs sits in the queue ten times. The state
//! machine below rules out both.

use std::cell::UnsafeCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Context;

use waker::raw_waker::{self, ArcWake};

use crate::runtime::Shared;
use crate::state::{Claim, State};

pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

// ANCHOR: task
pub(crate) struct Task {
    /// IDLE, SCHEDULED, RUNNING, NOTIFIED or DONE, and the ABORTED bit: see
    /// `state.rs`.
    state: State,
    /// `None` once the task is done. Only the executor's thread touches it
    /// (polls it, takes it out and drops it): when the task runs, completes
    /// or is aborted, and at shutdown. A waker holds the task, never the
    /// last word on its future. No lock: see the `Sync` impl below.
    future: UnsafeCell<Option<BoxFuture>>,
    /// Where a wake puts the task back.
    shared: Arc<Shared>,
    /// The key of this task in the runtime's task list, which owns it.
    pub(crate) key: usize,
}

// SAFETY: `future` is the only field that is not `Sync`. It is touched
// only through `run`, `cancel` and `drop_future`, and those are called only
// by the thread inside the owning runtime's `block_on` (for a task it took
// from the run queue) or its `drop` (at shutdown). Both take `&mut
// Runtime`, so one thread at a time; neither is reachable from inside a
// poll or a destructor that it runs (they would need that `&mut Runtime`
// again), so the accesses never overlap. Wakers on other threads only
// touch `state`, `shared` and `key`, which are `Sync`. The future itself
// is `Send`, so handing the whole task to another thread is fine.
unsafe impl Sync for Task {}
// ANCHOR_END: task

/// What one call to [`Task::run`] did.
pub(crate) enum RunOutcome {
    /// Polled; the task is waiting for a wake.
    Pending,
    /// Polled, and woken during the poll: it is SCHEDULED again, and the
    /// caller puts it back in the queue, with the reference it popped
    /// (no clone of the `Arc`, no drop of it).
    Notified,
    /// Polled to completion: its future has been dropped.
    Completed,
    /// Nothing to do: the task was already done.
    Skipped,
    /// The task was aborted: its future was dropped without being polled.
    Aborted,
}

impl Task {
    pub(crate) fn new(future: BoxFuture, shared: Arc<Shared>, key: usize) -> Arc<Task> {
        shared
            .allocated
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Arc::new(Task {
            state: State::new(),
            future: UnsafeCell::new(Some(future)),
            shared,
            key,
        })
    }

    // ANCHOR: schedule
    /// Called by every wake. Queues the task only on the IDLE → SCHEDULED
    /// transition, so it is queued at most once however often it is woken.
    fn schedule(self: &Arc<Self>) {
        if self.state.wake() {
            self.shared.push(self.clone());
        }
    }
    // ANCHOR_END: schedule

    // ANCHOR: run
    /// Polls the task once. Only the executor calls this, on its thread, for
    /// a task it took from the run queue. On `Completed` and `Aborted` the
    /// future has been dropped, and the caller removes the task from the
    /// runtime's task list; on `Notified` the caller queues it again.
    pub(crate) fn run(self: &Arc<Self>) -> RunOutcome {
        match self.state.claim() {
            // Not SCHEDULED. The state machine never queues a DONE task, so
            // this is a defensive no-op rather than a path the tests take.
            Claim::Skip => return RunOutcome::Skipped,
            // ABORTED and SCHEDULED: now DONE, drop the future unpolled.
            Claim::Abort => {
                self.drop_future();
                return RunOutcome::Aborted;
            }
            Claim::Poll => {}
        }
        // Borrowed: the queue entry we were handed keeps the task alive for
        // the poll, so the waker need not own a count (a clone of it does).
        let waker = raw_waker::waker_ref(self);
        let mut cx = Context::from_waker(&waker);
        // SAFETY: this is the executor's thread, polling a task it claimed
        // (see the `Sync` impl): nothing else touches `future` meanwhile,
        // and the borrow ends before anything else can.
        let slot = unsafe { &mut *self.future.get() };
        let future = slot.as_mut().expect("a RUNNING task has its future");
        // Panics never escape: `spawn` wraps every future in a harness that
        // catches them and hands them to the JoinHandle.
        if future.as_mut().poll(&mut cx).is_ready() {
            // Drop the future now, with everything it holds, but after
            // DONE: its destructors may run any code, even code that wakes
            // this very task, which must then stay done.
            let finished = slot.take();
            self.state.done();
            drop(finished);
            return RunOutcome::Completed;
        }
        // RUNNING → IDLE, unless a wake (or an abort) arrived while we were
        // polling: then the task goes straight back into the queue.
        if self.state.pending() {
            return RunOutcome::Notified;
        }
        RunOutcome::Pending
    }
    // ANCHOR_END: run

    // ANCHOR: abort
    /// Asks the executor to drop this task's future instead of polling it.
    ///
    /// The future is not dropped here: `abort` may be called from another
    /// thread while the executor is polling the task, or from inside the task
    /// itself. Setting ABORTED and waking the task, in one atomic step, hands
    /// the drop to the one thread that may do it, at a moment when nobody is
    /// polling.
    pub(crate) fn abort(self: &Arc<Self>) {
        if self.state.abort() {
            self.shared.push(self.clone());
        }
    }
    // ANCHOR_END: abort

    /// Marks the task done and drops its future without polling it again:
    /// used at shutdown, on the executor's thread, for every task the
    /// runtime still holds. No task is running then.
    pub(crate) fn cancel(&self) {
        self.state.done();
        self.drop_future();
    }

    /// Takes the future out, then drops it: its destructor may wake other
    /// tasks, or this one. The harness inside catches a panic from the
    /// destructor and hands it to the `JoinHandle`.
    fn drop_future(&self) {
        // SAFETY: called by `run` and `cancel` only, on the executor's
        // thread (see the `Sync` impl); the borrow ends with `take`, before
        // the destructor runs.
        let future = unsafe { (*self.future.get()).take() };
        drop(future);
    }
}

impl ArcWake for Task {
    fn wake_by_ref(self: &Arc<Self>) {
        self.schedule();
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        // The last reference is gone: the runtime released the task (after
        // dropping its future) and no queue entry or waker is left. Only the
        // empty shell is freed here, on whichever thread dropped the last
        // waker: `future` is `None` by now.
        debug_assert!(self.state.is_done(), "a task freed before it was done");
        self.shared
            .allocated
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("key", &self.key)
            .field("state", &self.state.bits())
            .finish_non_exhaustive()
    }
}
