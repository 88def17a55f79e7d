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
    /// The state of this thread's start picker (splitmix64: a counter,
    /// mixed). Fixed seed: a thread's sequence of starts is the same on
    /// every run, which keeps tests and demos reproducible.
    static PICKER: Cell<u64> = const { Cell::new(0) };
}

/// The branch that one poll of an `n`-way select looks at first: a
/// pseudo-random one, new on every poll of any `select` on this thread.
///
/// Not a plain counter: a counter shared by all selects lets nested ones
/// lock each other's start (an outer poll that polls the inner select moves
/// it on twice, one that does not, once, so the outer one can start at the
/// same branch every time). And not a counter per `Select`: a loop builds a
/// fresh one every turn, which would always start at branch 0.
fn random_start(n: usize) -> usize {
    PICKER.with(|state| {
        let next = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        state.set(next);
        let mut z = next;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
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
/// other one is dropped before `select` returns. Each poll starts with a
/// branch picked pseudo-randomly, so neither branch can starve the other.
///
/// # Cancel safety
/// As safe as the less safe of the two, twice over: dropping the `Select`
/// drops both futures, and the branch that loses is dropped even when
/// nobody cancels the `Select`. Pass a non-cancel-safe future by `&mut`
/// (`pin!` it outside, hand `fut.as_mut()` in) to keep it across turns.
///
/// # Panics
/// The returned future panics if polled again after it completed.
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
///
/// # Cancel safety
/// As for [`select`].
///
/// # Panics
/// As for [`select`].
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
        let a_first = *this.biased || random_start(2) == 0;
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
/// are dropped before it returns. The start is picked as in [`select`].
///
/// # Cancel safety
/// As for [`select`]: as safe as the least safe of `futures`, each of which
/// is dropped when another wins.
///
/// # Panics
/// If `futures` is empty (the first of none would never come); the
/// returned future, if polled again after it completed.
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
        let start = random_start(n);
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
