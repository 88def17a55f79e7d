//! Exercise 2.2: a join that pins both futures in place.
//!
//! Goal: `join(a, b)` drives `a` and `b` at the same time and yields both
//! outputs, like exercise 1.2's `join2`, but without a `Box`: `Join` holds
//! both futures inline and projects its pin onto them. It must work for
//! futures that are not `Unpin` (any `async` block), allocate nothing while
//! it is polled, never poll a finished future again, and be `Unpin` only
//! when both futures are.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that runs `a` and `b` concurrently and yields both outputs.
pub fn join<A: Future, B: Future>(_a: A, _b: B) -> Join<A, B> {
    // TODO: keep both futures, and room for both outputs.
    todo!()
}

/// The future returned by [`join`].
pub struct Join<A: Future, B: Future> {
    // TODO: the two futures (structurally pinned) and their outputs (not
    // pinned), plus whatever you need to know that the outputs were taken.
    _todo: PhantomData<(A, B)>,
}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: project the pin onto each future that has no output yet
        // (with a `// SAFETY:` argument for each `unsafe`), poll it, keep
        // its output; return both once both are there.
        todo!()
    }
}

impl<A: Future, B: Future> fmt::Debug for Join<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join").finish_non_exhaustive()
    }
}
