//! Exercise 1.2: `Join2`, two futures at once.
//!
//! Goal: `join2(a, b)` is a future that drives `a` and `b` at the same time
//! and yields `(a's output, b's output)` once both are done. Each poll of
//! `Join2` polls whichever of the two has not finished yet, and never polls
//! a finished one again (polling a future after it returned `Ready` breaks
//! its contract: an `async` block panics).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that runs `a` and `b` concurrently and yields both outputs.
pub fn join2<A: Future, B: Future>(_a: A, _b: B) -> Join2<A, B> {
    // TODO: keep each future until it finishes, then keep its output.
    todo!()
}

/// The future returned by [`join2`].
pub struct Join2<A: Future, B: Future> {
    // TODO: replace this with the state of `a` and of `b`.
    _todo: PhantomData<(A, B)>,
}

impl<A: Future, B: Future> Future for Join2<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: poll each unfinished future with `cx`; when both are done,
        // return both outputs.
        todo!()
    }
}

impl<A: Future, B: Future> fmt::Debug for Join2<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join2").finish_non_exhaustive()
    }
}
