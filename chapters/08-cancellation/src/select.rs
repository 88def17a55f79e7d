//! `select`: wait for the first of several futures, and cancel the rest.
//!
//! Written by hand, because everything this chapter is about happens in
//! these few lines: which branch is polled first (fairness), and what
//! becomes of the branches that lose (they are dropped, which is what
//! "cancelled" means for a future). Dropping is the only way Rust has to
//! stop a future: there is no other signal, and the loser gets no chance to
//! run any more code than its destructor.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: either
/// Which branch of a [`select`] finished first, with its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Either<A, B> {
    /// The first future won.
    Left(A),
    /// The second future won.
    Right(B),
}
// ANCHOR_END: either

// ANCHOR: start
thread_local! {
    /// Where the next `select` on this thread starts polling. Each poll of
    /// any `select` moves it on, so two branches that are always ready win
    /// in turn, even when every loop iteration builds a fresh `select`
    /// (a counter inside the `Select` would start from 0 every time).
    static NEXT_START: Cell<usize> = const { Cell::new(0) };
}

/// The branch that one poll of an `n`-way select looks at first.
fn rotating_start(n: usize) -> usize {
    NEXT_START.with(|next| {
        let start = next.get();
        next.set(start.wrapping_add(1));
        start % n
    })
}
// ANCHOR_END: start

pin_project_lite::pin_project! {
    /// The future returned by [`select`] and [`select_biased`].
    pub struct Select<A, B> {
        // `None` once the race is decided: the loser is dropped at that
        // moment, inside the poll that saw the winner.
        #[pin]
        a: Option<A>,
        #[pin]
        b: Option<B>,
        biased: bool,
    }
}

// ANCHOR: select
/// Polls both futures until one is ready; its output is the result, and the
/// other one is dropped before `select` returns. Each poll starts with the
/// branch after the one the previous poll (of any `select` on this thread)
/// started with, so neither branch can starve the other.
pub fn select<A: Future, B: Future>(a: A, b: B) -> Select<A, B> {
    Select {
        a: Some(a),
        b: Some(b),
        biased: false,
    }
}

/// [`select`] that always polls `a` first. Use it when the order is the
/// point: a shutdown signal checked before more work, or a test that needs
/// the same winner every time. The price is starvation: if `a` is always
/// ready, `b` never runs.
pub fn select_biased<A: Future, B: Future>(a: A, b: B) -> Select<A, B> {
    Select {
        a: Some(a),
        b: Some(b),
        biased: true,
    }
}

impl<A: Future, B: Future> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let a_first = *this.biased || rotating_start(2) == 0;
        for turn in 0..2 {
            let poll_a = (turn == 0) == a_first;
            let won = if poll_a {
                let a = this.a.as_mut().as_pin_mut().expect(POLLED_AFTER_DONE);
                a.poll(cx).map(Either::Left)
            } else {
                let b = this.b.as_mut().as_pin_mut().expect(POLLED_AFTER_DONE);
                b.poll(cx).map(Either::Right)
            };
            if let Poll::Ready(output) = won {
                // Drop both now, in place (`set` runs the destructor of the
                // pinned value without moving it): the loser is cancelled
                // before the caller sees the winner's output.
                this.a.set(None);
                this.b.set(None);
                return Poll::Ready(output);
            }
        }
        Poll::Pending
    }
}
// ANCHOR_END: select

const POLLED_AFTER_DONE: &str = "`Select` polled after it completed";

// ANCHOR: select_all
/// The future returned by [`select_all`]: the first of many.
pub struct SelectAll<F> {
    futures: Vec<Pin<Box<F>>>,
}

/// Polls every future until one is ready: its index and output. The others
/// are dropped before it returns. The start rotates as in [`select`].
///
/// # Panics
/// If `futures` is empty (the first of none would never come).
pub fn select_all<F: Future>(futures: impl IntoIterator<Item = F>) -> SelectAll<F> {
    let futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    assert!(!futures.is_empty(), "select_all of no futures");
    SelectAll { futures }
}

impl<F: Future> Future for SelectAll<F> {
    type Output = (usize, F::Output);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let n = self.futures.len();
        assert!(n > 0, "{POLLED_AFTER_DONE}");
        let start = rotating_start(n);
        for index in (start..n).chain(0..start) {
            if let Poll::Ready(output) = self.futures[index].as_mut().poll(cx) {
                self.futures.clear(); // the losers, dropped here
                return Poll::Ready((index, output));
            }
        }
        Poll::Pending
    }
}
// ANCHOR_END: select_all

impl<A, B> fmt::Debug for Select<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Select")
            .field("done", &self.a.is_none())
            .field("biased", &self.biased)
            .finish()
    }
}

impl<F> fmt::Debug for SelectAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectAll")
            .field("branches", &self.futures.len())
            .finish()
    }
}
