//! Structural pinning: a combinator that polls a future it holds inline.
//!
//! [`Map`] keeps its inner future as a plain field, not in a `Box`, so to
//! poll it `Map` must turn its own `Pin<&mut Map>` into a `Pin<&mut Fut>`
//! for that field: a *pin projection*. Written by hand it takes `unsafe`
//! and an argument; [`MapLite`] is the same type with `pin-project-lite`
//! writing the projection (and the `Unpin` impl that goes with it).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

// ANCHOR: map_by_hand
/// Runs `future`, then applies `f` to its output.
pub struct Map<Fut, F> {
    /// Structurally pinned: when the `Map` is pinned, so is this.
    future: Fut,
    /// Not pinned: we move the closure out to call it.
    f: Option<F>,
}

impl<Fut, F> Map<Fut, F> {
    /// `future`, then `f` applied to its output.
    pub fn new(future: Fut, f: F) -> Self {
        Map { future, f: Some(f) }
    }
}

/// Pinning `Map` pins `future` but not `f`, so only the future has a say.
/// (Without this, `Map` would be `Unpin` only when the closure is, too.)
impl<Fut: Unpin, F> Unpin for Map<Fut, F> {}

impl<Fut, F, T> Future for Map<Fut, F>
where
    Fut: Future,
    F: FnOnce(Fut::Output) -> T,
{
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: we never move `*this` out, and we move nothing out of the
        // `future` field: it is only ever re-pinned, just below. `Map` has no
        // `Drop` impl that could move it, it is `Unpin` only when `Fut` is
        // (the impl above), and it is not `repr(packed)`. Those are the
        // conditions for `future` to be structurally pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: `this.future` lives inside a pinned `Map` and, by the
        // argument above, stays where it is until it is dropped.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        let output = ready!(future.poll(cx));
        // `f` is not pinned: taking it out of its `Option` is fine.
        let f = this.f.take().expect("Map polled after it completed");
        Poll::Ready(f(output))
    }
}
// ANCHOR_END: map_by_hand

impl<Fut, F> fmt::Debug for Map<Fut, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map")
            .field("done", &self.f.is_none())
            .finish_non_exhaustive()
    }
}

// ANCHOR: map_lite
pin_project! {
    /// [`Map`] again, with the projection written by `pin-project-lite`.
    pub struct MapLite<Fut, F> {
        #[pin]
        future: Fut,
        f: Option<F>,
    }
}

impl<Fut, F> MapLite<Fut, F> {
    /// `future`, then `f` applied to its output.
    pub fn new(future: Fut, f: F) -> Self {
        MapLite { future, f: Some(f) }
    }
}

impl<Fut, F, T> Future for MapLite<Fut, F>
where
    Fut: Future,
    F: FnOnce(Fut::Output) -> T,
{
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // `project` gives `Pin<&mut Fut>` for the `#[pin]` field and a
        // plain `&mut Option<F>` for the other one. No `unsafe` here.
        let this = self.project();
        let output = ready!(this.future.poll(cx));
        let f = this.f.take().expect("MapLite polled after it completed");
        Poll::Ready(f(output))
    }
}
// ANCHOR_END: map_lite

impl<Fut, F> fmt::Debug for MapLite<Fut, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapLite")
            .field("done", &self.f.is_none())
            .finish_non_exhaustive()
    }
}
