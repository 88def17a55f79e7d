//! Exercise 2.2, solved: a join that pins both futures in place.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that runs `a` and `b` concurrently and yields both outputs.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a,
        b,
        a_out: None,
        b_out: None,
        finished: false,
    }
}

/// The future returned by [`join`].
pub struct Join<A: Future, B: Future> {
    /// Structurally pinned.
    a: A,
    /// Structurally pinned.
    b: B,
    /// Not pinned: moved out when both are done.
    a_out: Option<A::Output>,
    /// Not pinned.
    b_out: Option<B::Output>,
    /// Set when the outputs were returned.
    finished: bool,
}

/// Only the two futures are pinned, so only they decide.
impl<A: Future + Unpin, B: Future + Unpin> Unpin for Join<A, B> {}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: nothing below moves `*this`, `a` or `b`; they are only
        // re-pinned. `Join` has no `Drop` impl, is `Unpin` only when both
        // futures are, and is not `repr(packed)`: `a` and `b` are
        // structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        assert!(!this.finished, "Join polled after it completed");
        if this.a_out.is_none() {
            // SAFETY: `a` is structurally pinned (see above).
            let a = unsafe { Pin::new_unchecked(&mut this.a) };
            if let Poll::Ready(out) = a.poll(cx) {
                this.a_out = Some(out);
            }
        }
        if this.b_out.is_none() {
            // SAFETY: `b` is structurally pinned (see above).
            let b = unsafe { Pin::new_unchecked(&mut this.b) };
            if let Poll::Ready(out) = b.poll(cx) {
                this.b_out = Some(out);
            }
        }
        if this.a_out.is_some() && this.b_out.is_some() {
            this.finished = true;
            let a = this.a_out.take().expect("checked above");
            let b = this.b_out.take().expect("checked above");
            return Poll::Ready((a, b));
        }
        Poll::Pending
    }
}

impl<A: Future, B: Future> fmt::Debug for Join<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}
