//! Exercise 1.2, solved: `Join2`, two futures at once.

use std::fmt;
use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that runs `a` and `b` concurrently and yields both outputs.
pub fn join2<A: Future, B: Future>(a: A, b: B) -> Join2<A, B> {
    Join2 {
        a: Slot::Running(Box::pin(a)),
        b: Slot::Running(Box::pin(b)),
    }
}

/// The future returned by [`join2`].
pub struct Join2<A: Future, B: Future> {
    a: Slot<A>,
    b: Slot<B>,
}

/// One of the two futures, or its output once it has finished.
enum Slot<F: Future> {
    /// Boxed so that `Join2` need not be pinned structurally: the inner
    /// future stays pinned in its box while `Join2` moves freely.
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

impl<F: Future> Slot<F> {
    /// Polls the future if it is still running (never once it is done);
    /// returns whether the output is ready.
    fn poll(&mut self, cx: &mut Context<'_>) -> bool {
        match self {
            Slot::Running(future) => {
                if let Poll::Ready(output) = future.as_mut().poll(cx) {
                    *self = Slot::Done(output);
                    true
                } else {
                    false
                }
            }
            Slot::Done(_) => true,
            Slot::Taken => panic!("Join2 polled after it completed"),
        }
    }

    fn take(&mut self) -> F::Output {
        match mem::replace(self, Slot::Taken) {
            Slot::Done(output) => output,
            _ => unreachable!("take is only called once both are done"),
        }
    }
}

// Nothing inside `Join2` is pinned through it (the futures are pinned in
// their boxes; the outputs are never pinned), so it may move: `Unpin`.
impl<A: Future, B: Future> Unpin for Join2<A, B> {}

impl<A: Future, B: Future> Future for Join2<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // Poll both every time: either may be the one that was woken, and
        // both get the same waker, so either one can wake us.
        let a_done = this.a.poll(cx);
        let b_done = this.b.poll(cx);
        if a_done && b_done {
            Poll::Ready((this.a.take(), this.b.take()))
        } else {
            Poll::Pending
        }
    }
}

impl<A: Future, B: Future> fmt::Debug for Join2<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join2").finish_non_exhaustive()
    }
}
