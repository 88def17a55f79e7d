//! `JoinHandle`: the task's result, as a future.
//!
//! `spawn` wraps the user's future in a [`Harness`] that polls it under
//! `catch_unwind` and puts the outcome (the value, or the panic) in a slot
//! shared with the `JoinHandle`. A panicking task therefore ends *that task*
//! only: the executor and the other tasks keep running, and whoever awaits
//! the handle gets `Err(JoinError)` carrying the panic, as with tokio.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

// ANCHOR: join_state
/// The slot shared by a task and its `JoinHandle`.
struct JoinState<T> {
    /// The task's outcome, once it has one.
    output: Option<Result<T, JoinError>>,
    /// The task awaiting the handle, if any: woken when `output` is set.
    waiter: Option<Waker>,
}
// ANCHOR_END: join_state

/// Why a task produced no value.
pub struct JoinError {
    repr: Repr,
}

enum Repr {
    /// The task panicked; this is the payload.
    Panic(Box<dyn Any + Send + 'static>),
    /// The runtime shut down before the task finished.
    Cancelled,
}

impl JoinError {
    /// Whether the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panic(_))
    }

    /// Whether the task was cancelled by the runtime shutting down.
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
            (Repr::Cancelled, _) => write!(f, "task was cancelled: its runtime shut down"),
            (Repr::Panic(_), Some(message)) => write!(f, "task panicked: {message}"),
            (Repr::Panic(_), None) => write!(f, "task panicked"),
        }
    }
}

impl std::error::Error for JoinError {}

// ANCHOR: harness
/// The future the executor actually runs for a spawned `F`.
pub(crate) struct Harness<F: Future> {
    future: F,
    state: Arc<Mutex<JoinState<F::Output>>>,
}

impl<F: Future> Future for Harness<F> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: `future` is structurally pinned: it is never moved out of
        // `Harness` (not here, not in `Drop`, which only touches `state`),
        // and `Harness` is not `Unpin` by hand. `state` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above; `this.future` stays where it is.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        let output = match panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(value)) => Ok(value),
            Err(payload) => Err(JoinError {
                repr: Repr::Panic(payload),
            }),
        };
        complete(&this.state, output);
        Poll::Ready(())
    }
}

impl<F: Future> Drop for Harness<F> {
    /// A harness dropped before its future finished was cancelled (the
    /// runtime shut down): tell the `JoinHandle` rather than leave it waiting.
    fn drop(&mut self) {
        let finished = self
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .output
            .is_some();
        if !finished {
            complete(
                &self.state,
                Err(JoinError {
                    repr: Repr::Cancelled,
                }),
            );
        }
    }
}

/// Stores the task's outcome and wakes the task awaiting it.
fn complete<T>(state: &Mutex<JoinState<T>>, output: Result<T, JoinError>) {
    let waiter = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
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
pub struct JoinHandle<T> {
    state: Arc<Mutex<JoinState<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(output) = state.output.take() {
            return Poll::Ready(output);
        }
        // Keep the newest waker: this handle may have moved to another task
        // since the last poll. `will_wake` skips the clone when it has not.
        match &state.waiter {
            Some(waiter) if waiter.will_wake(cx.waker()) => {}
            _ => state.waiter = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
// ANCHOR_END: join_handle

impl<T> JoinHandle<T> {
    /// Whether the task has finished (its output is waiting to be taken).
    pub fn is_finished(&self) -> bool {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .output
            .is_some()
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// Wraps `future` for spawning: the harness to run, and the handle to return.
pub(crate) fn harness<F>(future: F) -> (Harness<F>, JoinHandle<F::Output>)
where
    F: Future,
{
    let state = Arc::new(Mutex::new(JoinState {
        output: None,
        waiter: None,
    }));
    (
        Harness {
            future,
            state: state.clone(),
        },
        JoinHandle { state },
    )
}
