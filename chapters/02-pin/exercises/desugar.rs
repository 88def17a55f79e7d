//! Exercise 2.1: desugar an `async fn` into an enum.
//!
//! Goal: `Greet` is the future `greet(log)` returns, written by hand. It
//! must poll its two `Step`s exactly as `greet` does (the same polls, the
//! same drops, in the same order, which the tests read from the `Log`),
//! return the same `String`, drop the same things when it is dropped
//! half-way, and panic if it is polled after it returned `Ready`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::log::Log;
use crate::step::Step;

/// The `async fn` to desugar. Leave it as it is: the tests compare `Greet`
/// with it.
pub async fn greet(log: Log) -> String {
    let name = String::from("Ferris");
    let first = Step::new("first", 1, &log).await;
    let second = Step::new("second", 2, &log).await;
    format!("{name} counted to {}", first + second)
}

/// `greet`, by hand.
// TODO: make this an enum with one variant per state of `greet`: not yet
// started, waiting at the first `.await`, waiting at the second, done. Each
// variant keeps exactly what is alive there.
#[derive(Debug)]
pub struct Greet {
    _todo: (),
}

impl Greet {
    /// The future `greet(log)` would return.
    pub fn new(_log: Log) -> Greet {
        // TODO: the state before the first poll.
        todo!()
    }
}

impl Future for Greet {
    type Output = String;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<String> {
        // TODO: move from state to state until a `Step` is `Pending` (return
        // `Pending`) or the function body is finished (return `Ready`).
        let _ = Step::new;
        todo!()
    }
}
