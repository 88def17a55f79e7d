//! `JoinHandle`: the task's result, as a future.
//!
//! `spawn` wraps the user's future in a `Harness` that polls it under
//! `catch_unwind`; the task puts the outcome (the value, or the panic) in
//! its join slot, which the `JoinHandle` reads. Harness and slot are both
//! fields of the task's one allocation (`task.rs`). A panicking task therefore ends *that task*
//! only: the executor and the other tasks keep running, and whoever awaits
//! the handle gets `Err(JoinError)` carrying the panic, as with tokio.
//!
//! Dropping a `JoinHandle` detaches its task (it runs on, its output is
//! dropped); `JoinHandle::abort` cancels it (its future is dropped unpolled).

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::runtime::lock;

// ANCHOR: join_state
/// The join slot: where a task leaves its outcome for its `JoinHandle`. It
/// lives inside the task's one allocation (see `task.rs`), next to the
/// future, behind a lock because the handle may be polled on any thread.
pub(crate) struct JoinState<T> {
    /// The task's outcome, once it has one.
    output: Option<Result<T, JoinError>>,
    /// The task awaiting the handle, if any: woken when `output` is set.
    waiter: Option<Waker>,
}

impl<T> JoinState<T> {
    pub(crate) fn new() -> JoinState<T> {
        JoinState {
            output: None,
            waiter: None,
        }
    }
}

/// What a `JoinHandle<T>` sees of its task: the join slot, and the abort.
/// The task's type names its future, `Task<F>`; the handle knows only the
/// output type, so it holds the task as `Arc<dyn JoinSlot<T>>`: the same
/// allocation as the run queue's `Arc<dyn Runnable>`, seen through another
/// vtable.
pub(crate) trait JoinSlot<T>: Send + Sync {
    /// The slot the task reports its outcome to.
    fn join_state(&self) -> &Mutex<JoinState<T>>;

    /// Sets ABORTED and wakes the task (see `Task::abort`). Takes a
    /// reference of its own, which the run queue keeps if it is queued.
    fn abort(self: Arc<Self>);
}
// ANCHOR_END: join_state

/// Why a task produced no value.
pub struct JoinError {
    repr: Repr,
}

enum Repr {
    /// The task panicked (in `poll`, or in its future's destructor); this is
    /// the payload.
    Panic(Box<dyn Any + Send + 'static>),
    /// The task was dropped before it finished: aborted through its
    /// `JoinHandle`, or cancelled by the runtime shutting down.
    Cancelled,
}

impl JoinError {
    /// Whether the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panic(_))
    }

    /// Whether the task was dropped before it finished (aborted, or
    /// cancelled by the runtime shutting down). A task whose future panicked
    /// while being dropped reports that panic instead.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.repr, Repr::Cancelled)
    }

    /// The panic's payload, to re-raise it with `std::panic::resume_unwind`.
    ///
    /// # Panics
    /// If the task was cancelled rather than panicking.
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        match self.repr {
            Repr::Panic(payload) => payload,
            Repr::Cancelled => panic!("into_panic on a JoinError that is not a panic"),
        }
    }

    /// The panic message, when it was a string (as with `panic!("...")`).
    pub fn message(&self) -> Option<&str> {
        let Repr::Panic(payload) = &self.repr else {
            return None;
        };
        payload
            .downcast_ref::<&'static str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr {
            Repr::Panic(_) => write!(f, "JoinError::Panic({:?})", self.message().unwrap_or("...")),
            Repr::Cancelled => write!(f, "JoinError::Cancelled"),
        }
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.repr, self.message()) {
            (Repr::Cancelled, _) => write!(f, "task was cancelled before it finished"),
            (Repr::Panic(_), Some(message)) => write!(f, "task panicked: {message}"),
            (Repr::Panic(_), None) => write!(f, "task panicked"),
        }
    }
}

impl std::error::Error for JoinError {}

// ANCHOR: harness
/// The user's future as the task holds it: polled under `catch_unwind`, and
/// dropped in place, once, as soon as it is finished or cancelled.
pub(crate) struct Harness<F: Future> {
    /// Dropped by hand, inside `catch_unwind`, before the outcome is
    /// reported: whoever awaits the handle can rely on every destructor of
    /// the task having run, and a panicking destructor becomes the task's
    /// panic instead of unwinding through the executor.
    future: ManuallyDrop<F>,
    /// Whether `future` has been dropped (then it is never touched again).
    future_dropped: bool,
}

impl<F: Future> Harness<F> {
    pub(crate) fn new(future: F) -> Harness<F> {
        Harness {
            future: ManuallyDrop::new(future),
            future_dropped: false,
        }
    }

    /// Drops the future in place, once; returns the panic if its destructor
    /// panicked.
    fn drop_future(&mut self) -> Result<(), Box<dyn Any + Send + 'static>> {
        if self.future_dropped {
            return Ok(());
        }
        // Set first: a destructor that panics halfway must not run twice.
        self.future_dropped = true;
        panic::catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: `future_dropped` was false, so the future is alive and
            // this is its only drop; it is never polled or touched again.
            // Dropping in place (not moving it out) keeps the pin promise.
            unsafe { ManuallyDrop::drop(&mut self.future) }
        }))
    }

    /// Cancels a task that has not finished: drops the future, and returns
    /// the outcome to report, `Cancelled` (or the destructor's panic).
    /// `None` if the future was already gone: its outcome was reported.
    pub(crate) fn cancel(&mut self) -> Option<JoinError> {
        if self.future_dropped {
            return None;
        }
        let repr = match self.drop_future() {
            Ok(()) => Repr::Cancelled,
            Err(payload) => Repr::Panic(payload),
        };
        Some(JoinError { repr })
    }
}

impl<F: Future> Future for Harness<F> {
    /// The outcome for the `JoinHandle`: the value, or the panic.
    type Output = Result<F::Output, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved out of
        // `Harness` (it is dropped in place, in `drop_future`), and `Harness`
        // is not `Unpin` by hand. `future_dropped` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        assert!(!this.future_dropped, "a finished task was polled again");
        // SAFETY: see above; `this.future` stays where it is.
        let future = unsafe { Pin::new_unchecked(&mut *this.future) };
        let output = match panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(value)) => Ok(value),
            Err(payload) => Err(payload),
        };
        // Finished: drop the future before reporting, as a cancelled one is.
        // A panic in its destructor turns the outcome into that panic.
        Poll::Ready(match (output, this.drop_future()) {
            (Ok(value), Ok(())) => Ok(value),
            (Err(payload), _) | (Ok(_), Err(payload)) => Err(JoinError {
                repr: Repr::Panic(payload),
            }),
        })
    }
}

impl<F: Future> Drop for Harness<F> {
    /// The task's memory is freed after its future was dropped, always (the
    /// runtime owns every unfinished task): this finds nothing to do. It is
    /// here so that the `ManuallyDrop` can never leak a future.
    fn drop(&mut self) {
        if !self.future_dropped {
            // SAFETY: alive (not dropped), and never touched again.
            unsafe { ManuallyDrop::drop(&mut self.future) }
        }
    }
}

/// Stores the task's outcome and wakes the task awaiting it.
pub(crate) fn complete<T>(state: &Mutex<JoinState<T>>, output: Result<T, JoinError>) {
    let waiter = {
        let mut state = lock(state);
        state.output = Some(output);
        state.waiter.take()
    };
    // Wake after unlocking: the woken side locks `state` to read it.
    if let Some(waiter) = waiter {
        waiter.wake();
    }
}
// ANCHOR_END: harness

// ANCHOR: join_handle
/// Awaits a spawned task's output. Dropping it detaches the task: the task
/// keeps running, and its output is dropped when it finishes.
///
/// # Cancel safety
/// Polling it takes the output only in the poll that returns it, so
/// `select`ing on a `&mut JoinHandle` and polling it again later loses
/// nothing. Dropping the handle itself loses the output: the task runs on,
/// and its output is dropped when it finishes (or, if it had already
/// finished, with the task's memory: when the handle and the task's last
/// waker are gone). Dropping never cancels the task; that is
/// [`abort`](JoinHandle::abort).
pub struct JoinHandle<T> {
    /// The task itself, strongly: its join slot is in the same allocation.
    /// The runtime still owns the task's *future* (only its thread drops
    /// it); this reference keeps only the memory, freed with the last one.
    task: Arc<dyn JoinSlot<T>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = lock(self.task.join_state());
        if let Some(output) = state.output.take() {
            return Poll::Ready(output);
        }
        // Keep the newest waker: this handle may have moved to another task
        // since the last poll. `will_wake` skips the clone when it has not.
        let replaced = match &state.waiter {
            Some(waiter) if waiter.will_wake(cx.waker()) => None,
            _ => state.waiter.replace(cx.waker().clone()),
        };
        drop(state);
        // The old waker is dropped after unlocking: no waker is dropped
        // under a lock (collect, unlock, then wake or drop).
        drop(replaced);
        Poll::Pending
    }
}
// ANCHOR_END: join_handle

// ANCHOR: join_handle_drop
impl<T> Drop for JoinHandle<T> {
    /// Forget the waiter: once nobody awaits this handle, the task that did
    /// must not be woken (and kept alive) by this task's completion.
    fn drop(&mut self) {
        let waiter = lock(self.task.join_state()).waiter.take();
        // Dropped outside the lock, like every waker: dropping one runs the
        // waker's own code (here it may free a finished task's shell).
        drop(waiter);
    }
}
// ANCHOR_END: join_handle_drop

impl<T> JoinHandle<T> {
    // ANCHOR: join_handle_abort
    /// Cancels the task: its future is dropped the next time the executor
    /// reaches it, without being polled again, and awaiting this handle then
    /// gives `Err(JoinError)` with `is_cancelled()`. A task that has already
    /// finished keeps its output. Never blocks, from any thread.
    pub fn abort(&self) {
        // The clone becomes the run queue's reference, if this queues it.
        self.task.clone().abort();
    }
    // ANCHOR_END: join_handle_abort

    /// Whether the task has finished (its output is waiting to be taken).
    pub fn is_finished(&self) -> bool {
        lock(self.task.join_state()).output.is_some()
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl<T> JoinHandle<T> {
    /// The handle of a task, made by `spawn` from the task's allocation.
    pub(crate) fn new(task: Arc<dyn JoinSlot<T>>) -> JoinHandle<T> {
        JoinHandle { task }
    }
}
