//! The task's state word: one atomic that every wake, every run and every
//! abort goes through, by read-modify-write.
//!
//! The first version kept "aborted" in a flag of its own: `abort` stored the
//! flag and then read the state, `run` swapped the state and then read the
//! flag. Two threads that each write one word and then read the other are a
//! store-buffering pair, and the memory model lets *both* reads see the old
//! value: `abort` thinks the task is queued and will see the flag, `run`
//! thinks nobody aborted, polls, and parks the task as idle with nothing left
//! to wake it. The same went for a wake that found the task queued and left
//! after a plain load: it wrote nothing the executor's next claim could read
//! from, so nothing ordered the waker's own writes before that poll. Now
//! "aborted" is a bit of the word, and every transition (even one that
//! changes nothing) is a compare-and-swap on it: of any two, one reads what
//! the other wrote. The loom model in `tests/loom_task_state.rs` checks this
//! code; it fails on the old protocol.

use crate::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: states
/// Not queued, not running: waiting for a wake.
pub(crate) const IDLE: usize = 0;
/// In the run queue (exactly once).
pub(crate) const SCHEDULED: usize = 1;
/// Being polled right now.
pub(crate) const RUNNING: usize = 2;
/// Being polled, and woken meanwhile: poll it again afterwards.
pub(crate) const NOTIFIED: usize = 3;
/// Finished, aborted or shut down: never polled again, whatever wakes it.
/// Its future has been (or is being) dropped by the executor's thread.
pub(crate) const DONE: usize = 4;
/// The low bits hold one of the lifecycle values above.
const LIFECYCLE: usize = 0b111;
/// Set by `abort`, together with the wake that makes the executor see it.
/// Never set on a DONE task; never cleared: the next claim drops the
/// future instead of polling it.
pub(crate) const ABORTED: usize = 0b1000;
// ANCHOR_END: states

/// The state of one task.
pub(crate) struct State(AtomicUsize);

/// What the executor may do with a task it took from the queue.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Claim {
    /// It is RUNNING now: poll it.
    Poll,
    /// It was aborted and is DONE now: drop its future, unpolled.
    Abort,
    /// It is not SCHEDULED (already DONE): nothing to do.
    Skip,
}

impl State {
    /// A new task starts SCHEDULED: it is pushed once without a wake.
    pub(crate) fn new() -> State {
        State(AtomicUsize::new(SCHEDULED))
    }

    /// Applies `next` to the current value with one compare-and-swap (and
    /// retries if another thread got there first). `next` returns the new
    /// value and what to tell the caller. A transition that changes nothing
    /// still writes: a read-modify-write always reads the latest value, and
    /// the next one reads what this one wrote, which orders the two threads.
    fn transition<T>(&self, next: impl Fn(usize) -> (usize, T)) -> T {
        let mut current = self.0.load(Ordering::Acquire);
        loop {
            let (new, result) = next(current);
            match self
                .0
                .compare_exchange_weak(current, new, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return result,
                Err(actual) => current = actual,
            }
        }
    }

    // ANCHOR: wake
    /// A wake. Returns whether the caller must push the task on the queue:
    /// only on IDLE → SCHEDULED, so a task is queued at most once.
    pub(crate) fn wake(&self) -> bool {
        self.transition(|state| match state & LIFECYCLE {
            IDLE => (state & !LIFECYCLE | SCHEDULED, true),
            // Running: note the wake; the executor re-queues it after poll.
            RUNNING => (state & !LIFECYCLE | NOTIFIED, false),
            // Already queued, already noted, or finished: nothing changes.
            SCHEDULED | NOTIFIED | DONE => (state, false),
            _ => unreachable!("invalid task state {state:#x}"),
        })
    }
    // ANCHOR_END: wake

    // ANCHOR: abort
    /// An abort: sets ABORTED and wakes, in one step. Returns whether the
    /// caller must push the task. A DONE task stays as it is.
    pub(crate) fn abort(&self) -> bool {
        self.transition(|state| match state & LIFECYCLE {
            IDLE => (SCHEDULED | ABORTED, true),
            RUNNING => (NOTIFIED | ABORTED, false),
            SCHEDULED | NOTIFIED => (state | ABORTED, false),
            DONE => (state, false),
            _ => unreachable!("invalid task state {state:#x}"),
        })
    }
    // ANCHOR_END: abort

    // ANCHOR: claim
    /// The executor took the task from the queue: SCHEDULED → RUNNING, or
    /// straight to DONE if it was aborted meanwhile.
    pub(crate) fn claim(&self) -> Claim {
        self.transition(|state| match state & LIFECYCLE {
            SCHEDULED if state & ABORTED != 0 => (DONE, Claim::Abort),
            SCHEDULED => (RUNNING, Claim::Poll),
            _ => (state, Claim::Skip),
        })
    }

    /// The poll returned `Pending`: RUNNING → IDLE, or, if a wake (or an
    /// abort) came in during the poll, NOTIFIED → SCHEDULED. Returns whether
    /// the caller must push the task again.
    pub(crate) fn pending(&self) -> bool {
        self.transition(|state| match state & LIFECYCLE {
            RUNNING => (IDLE, false),
            // Keeps ABORTED: the next claim sees it.
            NOTIFIED => (state & !LIFECYCLE | SCHEDULED, true),
            _ => unreachable!("a polled task must be RUNNING or NOTIFIED: {state:#x}"),
        })
    }
    // ANCHOR_END: claim

    /// The task completed, or the runtime cancels it at shutdown: DONE.
    pub(crate) fn done(&self) {
        self.transition(|_| (DONE, ()));
    }

    /// Whether the task is DONE.
    pub(crate) fn is_done(&self) -> bool {
        self.0.load(Ordering::Acquire) & LIFECYCLE == DONE
    }

    /// The raw word, for `Debug`.
    pub(crate) fn bits(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}
