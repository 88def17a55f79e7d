//! Exercise 1.1: a oneshot channel whose `Receiver` is a future.
//!
//! Goal: `channel()` returns a `Sender` and a `Receiver`. Awaiting the
//! receiver gives `Ok(value)` once the sender has sent, whether that happened
//! before or after the first poll, on this thread or another. If the sender
//! is dropped without sending, the receiver gives `Err(Canceled)` (it must
//! not wait forever). If the receiver is gone, `send` hands the value back.
//! The sender must wake the waker from the receiver's *latest* poll, and
//! must not hold the lock while it does: a waker may poll the receiver
//! before `wake()` returns.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Creates a channel that carries at most one value.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    // TODO: create the state both halves share (the value, whether each
    // side is gone, the receiver's waker) and hand it to both.
    todo!()
}

/// The sending half.
#[derive(Debug)]
pub struct Sender<T> {
    // TODO: replace this with the shared state.
    _todo: PhantomData<T>,
}

/// The receiving half: a future of the value.
///
/// # Cancel safety
/// Cancel safe: a poll takes the value only when it returns it, so a
/// `&mut Receiver` awaited in a `select` and dropped loses nothing, and the
/// next poll still gets the value. Dropping the `Receiver` itself gives up
/// the value: a value already sent is dropped with the channel, and a later
/// `send` hands it back.
#[derive(Debug)]
pub struct Receiver<T> {
    // TODO: replace this with the shared state.
    _todo: PhantomData<T>,
}

/// The sender was dropped without sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canceled;

impl<T> Sender<T> {
    /// Sends `value`, or gives it back if the receiver is gone.
    pub fn send(self, _value: T) -> Result<(), T> {
        // TODO: store the value and wake the receiver's waker (outside the
        // lock). Dropping the sender must wake it too: consider `Drop`.
        todo!()
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, Canceled>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: the value if there is one; `Canceled` if the sender is gone;
        // otherwise store the newest waker and return `Pending`.
        todo!()
    }
}
