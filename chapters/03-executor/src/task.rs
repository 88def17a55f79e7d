//! A task: a future the executor owns, plus the state that keeps it honest.
//!
//! The seed design queued a bare future and re-polled it on every wake. Two
//! things go wrong with that: a stale waker (left in a reactor's table, or
//! in the losing branch of a `select`) wakes a task that already finished and
//! the executor polls a completed `async` block, which panics; and a task
//! woken ten times before it runs sits in the queue ten times. The state
//! machine below rules out both.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Context;

use waker::raw_waker::{self, ArcWake};

use crate::runtime::{Shared, lock};

// ANCHOR: states
/// Not queued, not running: waiting for a wake.
const IDLE: u8 = 0;
/// In the run queue (exactly once).
const SCHEDULED: u8 = 1;
/// Being polled right now.
const RUNNING: u8 = 2;
/// Being polled, and woken meanwhile: poll it again afterwards.
const NOTIFIED: u8 = 3;
/// Finished (or cancelled): never polled again, whatever wakes it.
const DONE: u8 = 4;
// ANCHOR_END: states

pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

// ANCHOR: task
pub(crate) struct Task {
    /// One of the constants above.
    state: AtomicU8,
    /// `None` once the task is done: the future is dropped as soon as it
    /// completes, not when the last waker goes away.
    future: Mutex<Option<BoxFuture>>,
    /// Where a wake puts the task back.
    shared: Arc<Shared>,
    /// The key of this task in the runtime's list of live tasks.
    key: usize,
    /// Set by `JoinHandle::abort`: the next run drops the future instead of
    /// polling it. Only the executor's thread ever drops a running future.
    aborted: AtomicBool,
}
// ANCHOR_END: task

/// What one call to [`Task::run`] did.
pub(crate) enum RunOutcome {
    /// Polled; the task is waiting (or was re-queued by a wake during poll).
    Pending,
    /// Polled to completion: its future has been dropped.
    Completed,
    /// Nothing to do: the task was already done.
    Skipped,
    /// The task was aborted: its future was dropped without being polled.
    Aborted,
}

impl Task {
    pub(crate) fn new(future: BoxFuture, shared: Arc<Shared>, key: usize) -> Arc<Task> {
        Arc::new(Task {
            state: AtomicU8::new(SCHEDULED),
            future: Mutex::new(Some(future)),
            shared,
            key,
            aborted: AtomicBool::new(false),
        })
    }

    // ANCHOR: schedule
    /// Called by every wake. Queues the task only on the IDLE → SCHEDULED
    /// transition, so it is queued at most once however often it is woken.
    fn schedule(self: &Arc<Self>) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            let next = match state {
                IDLE => SCHEDULED,
                // Running: note the wake; the executor re-queues it after poll.
                RUNNING => NOTIFIED,
                // Already queued, already noted, or finished: nothing to do.
                SCHEDULED | NOTIFIED | DONE => return,
                _ => unreachable!("invalid task state {state}"),
            };
            match self
                .state
                .compare_exchange(state, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) if next == SCHEDULED => return self.shared.push(self.clone()),
                Ok(_) => return,
                Err(actual) => state = actual,
            }
        }
    }
    // ANCHOR_END: schedule

    // ANCHOR: run
    /// Polls the task once. Only the executor calls this, for a task it took
    /// from the run queue.
    pub(crate) fn run(self: &Arc<Self>) -> RunOutcome {
        // SCHEDULED → RUNNING. A task that was cancelled while queued (the
        // runtime shut down) is DONE and is skipped.
        if self
            .state
            .compare_exchange(SCHEDULED, RUNNING, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return RunOutcome::Skipped;
        }
        if self.aborted.load(Ordering::Acquire) {
            self.cancel();
            return RunOutcome::Aborted;
        }
        let waker = raw_waker::waker(self.clone());
        let mut cx = Context::from_waker(&waker);
        let mut slot = lock(&self.future);
        let Some(future) = slot.as_mut() else {
            // Only a DONE task has no future, and DONE never becomes
            // SCHEDULED; keep the state honest all the same.
            self.state.store(DONE, Ordering::Release);
            return RunOutcome::Skipped;
        };
        // Panics never escape: `spawn` wraps every future in a harness that
        // catches them and hands them to the JoinHandle.
        if future.as_mut().poll(&mut cx).is_ready() {
            // Drop the future now, with everything it holds, but outside the
            // lock and after DONE: its destructors may run any code, even
            // code that wakes this very task, which must then stay done.
            let finished = slot.take();
            drop(slot);
            self.state.store(DONE, Ordering::Release);
            drop(finished);
            return RunOutcome::Completed;
        }
        drop(slot);
        // RUNNING → IDLE, unless a wake arrived while we were polling: then
        // the task goes straight back into the queue.
        if self
            .state
            .compare_exchange(RUNNING, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            self.state.store(SCHEDULED, Ordering::Release);
            self.shared.push(self.clone());
        }
        RunOutcome::Pending
    }
    // ANCHOR_END: run

    // ANCHOR: abort
    /// Asks the executor to drop this task's future instead of polling it.
    ///
    /// The future is not dropped here: `abort` may be called from another
    /// thread while the executor is polling the task, or from inside the task
    /// itself. Setting a flag and waking the task hands the drop to the one
    /// thread that may do it, at a moment when nobody is polling.
    pub(crate) fn abort(self: &Arc<Self>) {
        self.aborted.store(true, Ordering::Release);
        self.schedule();
    }
    // ANCHOR_END: abort

    /// Marks the task done and drops its future without polling it again:
    /// used when the task is aborted, and when the runtime shuts down with
    /// the task still pending.
    pub(crate) fn cancel(&self) {
        self.state.store(DONE, Ordering::Release);
        let future = lock(&self.future).take();
        // Drop outside the lock: the future's destructor may wake other tasks.
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
        // Last reference gone (no queue entry, no waker): forget the task.
        self.shared.forget(self.key);
    }
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("key", &self.key)
            .field("state", &self.state.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}
