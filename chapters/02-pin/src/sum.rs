//! The chapter's `async fn`, and the same future written by hand.
//!
//! [`sum_two`] awaits two [`Step`]s and keeps a local (`first`) that borrows
//! another local (`buf`) across both `.await`s. [`SumTwo`] is what the
//! compiler turns it into, written out: an enum with one variant per place
//! the function can be suspended, each holding exactly the values that are
//! alive there. Both write the same leaf trace to a [`Log`]; `SumTwo` also
//! writes its state transitions, which the compiler's version cannot show.

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::log::Log;
use crate::step::Step;

// ANCHOR: async_fn
/// Awaits two steps and adds their values to the first two numbers of a
/// local buffer, which it borrows across both `.await`s.
pub async fn sum_two(log: Log) -> u32 {
    let buf = [1, 2, 3];
    let first = &buf[..2];
    let a = Step::new("a", 10, &log).await;
    let b = Step::new("b", 20, &log).await;
    a + b + first.iter().sum::<u32>()
}
// ANCHOR_END: async_fn

// ANCHOR: sum_two_enum
/// `sum_two`, desugared by hand.
#[derive(Debug)]
pub enum SumTwo {
    /// Created, not polled yet: only the arguments exist.
    Start { log: Log },
    /// Suspended at the first `.await`: the locals alive across it.
    AwaitA { log: Log, buf: [u32; 3], step: Step },
    /// Suspended at the second `.await`: `a` is known now.
    AwaitB {
        log: Log,
        buf: [u32; 3],
        a: u32,
        step: Step,
    },
    /// Returned `Ready`. Polling again is a bug, and panics, as it does for
    /// the compiler's version.
    Done,
}

impl SumTwo {
    /// The future `sum_two(log)` would return, by hand.
    pub fn new(log: Log) -> SumTwo {
        SumTwo::Start { log }
    }
}
// ANCHOR_END: sum_two_enum

// ANCHOR: sum_two_poll
impl Future for SumTwo {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // Every field of every variant is `Unpin`, so `SumTwo` is too, and
        // the pin gives us a plain `&mut`: we may move the state out and
        // back in.
        let this = self.get_mut();
        loop {
            // Take the state out, leaving `Done` behind: if anything below
            // panics, the future is finished rather than half-updated.
            match mem::replace(this, SumTwo::Done) {
                SumTwo::Start { log } => {
                    log.state("Start -> AwaitA");
                    let buf = [1, 2, 3];
                    let step = Step::new("a", 10, &log);
                    *this = SumTwo::AwaitA { log, buf, step };
                }
                SumTwo::AwaitA { log, buf, mut step } => match Pin::new(&mut step).poll(cx) {
                    Poll::Pending => {
                        *this = SumTwo::AwaitA { log, buf, step };
                        return Poll::Pending;
                    }
                    Poll::Ready(a) => {
                        // The awaited future is dropped when its `.await`
                        // finishes, before the next statement runs.
                        drop(step);
                        log.state("AwaitA -> AwaitB");
                        let step = Step::new("b", 20, &log);
                        *this = SumTwo::AwaitB { log, buf, a, step };
                    }
                },
                SumTwo::AwaitB {
                    log,
                    buf,
                    a,
                    mut step,
                } => match Pin::new(&mut step).poll(cx) {
                    Poll::Pending => {
                        *this = SumTwo::AwaitB { log, buf, a, step };
                        return Poll::Pending;
                    }
                    Poll::Ready(b) => {
                        drop(step);
                        log.state("AwaitB -> Done");
                        // The borrow the `async fn` kept across both awaits
                        // is taken only now, in a local of this call: a
                        // variant cannot hold a reference into its sibling
                        // field `buf`.
                        let first = &buf[..2];
                        return Poll::Ready(a + b + first.iter().sum::<u32>());
                    }
                },
                SumTwo::Done => panic!("`async fn` resumed after completion"),
            }
        }
    }
}
// ANCHOR_END: sum_two_poll

// ANCHOR: size_probes
/// `sum_two`'s body as an `async move` block that owns `log` from the start:
/// for the size comparison in the demo. (Clippy would turn it back into an
/// `async fn`, which is the very difference being measured.)
#[allow(clippy::manual_async_fn)]
pub fn sum_two_block(log: Log) -> impl Future<Output = u32> {
    async move {
        let buf = [1, 2, 3];
        let first = &buf[..2];
        let a = Step::new("a", 10, &log).await;
        let b = Step::new("b", 20, &log).await;
        a + b + first.iter().sum::<u32>()
    }
}

/// `sum_two` without the borrow kept across the `.await`s: for the size
/// comparison in the demo.
pub async fn sum_two_unborrowed(log: Log) -> u32 {
    let buf = [1, 2, 3];
    let a = Step::new("a", 10, &log).await;
    let b = Step::new("b", 20, &log).await;
    a + b + buf[..2].iter().sum::<u32>()
}
// ANCHOR_END: size_probes
