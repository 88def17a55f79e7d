//! Exercise 1.1, solved: a oneshot channel whose `Receiver` is a future.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Creates a channel that carries at most one value.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(State {
        value: None,
        sender_gone: false,
        receiver_gone: false,
        waker: None,
    }));
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

/// Both ends look at this, under one lock.
struct State<T> {
    value: Option<T>,
    /// The sender was used or dropped: no value will come after this.
    sender_gone: bool,
    /// Nobody will ever read a value: `send` hands it back.
    receiver_gone: bool,
    /// The waker from the receiver's latest poll.
    waker: Option<Waker>,
}

/// The sending half.
pub struct Sender<T> {
    shared: Arc<Mutex<State<T>>>,
}

/// The receiving half: a future of the value.
///
/// # Cancel safety
/// Cancel safe: a poll takes the value only when it returns it, so a
/// `&mut Receiver` awaited in a `select` and dropped loses nothing, and the
/// next poll still gets the value. Dropping the `Receiver` itself gives up
/// the value: a value already sent is dropped with the channel, and a later
/// `send` hands it back.
pub struct Receiver<T> {
    shared: Arc<Mutex<State<T>>>,
}

/// The sender was dropped without sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canceled;

impl<T> Sender<T> {
    /// Sends `value`, or gives it back if the receiver is gone.
    pub fn send(self, value: T) -> Result<(), T> {
        let mut state = self.shared.lock().unwrap();
        if state.receiver_gone {
            return Err(value);
        }
        state.value = Some(value);
        // Dropping `self` (at the end of this function) wakes the receiver,
        // after the lock guard above is released.
        Ok(())
    }
}

impl<T> Drop for Sender<T> {
    /// Sent or not, the sender is done: wake the receiver so it can see
    /// either the value or that none is coming.
    fn drop(&mut self) {
        let waker = {
            let mut state = self.shared.lock().unwrap();
            state.sender_gone = true;
            state.waker.take()
        };
        // Outside the lock: the woken task may poll the receiver at once.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, Canceled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.shared.lock().unwrap();
        if let Some(value) = state.value.take() {
            return Poll::Ready(Ok(value));
        }
        if state.sender_gone {
            return Poll::Ready(Err(Canceled));
        }
        // The newest waker: the receiver may have moved to another task.
        match &state.waker {
            Some(stored) if stored.will_wake(cx.waker()) => {}
            _ => state.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.shared.lock().unwrap().receiver_gone = true;
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}
