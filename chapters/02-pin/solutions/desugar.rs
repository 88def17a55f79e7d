//! Exercise 2.1, solved: `greet` desugared into an enum.

use std::future::Future;
use std::mem;
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
#[derive(Debug)]
pub enum Greet {
    /// Not polled yet: the argument only.
    Start { log: Log },
    /// At the first `.await`.
    First { log: Log, name: String, step: Step },
    /// At the second `.await`: `first` is known.
    Second {
        log: Log,
        name: String,
        first: u32,
        step: Step,
    },
    /// Returned `Ready`.
    Done,
}

impl Greet {
    /// The future `greet(log)` would return.
    pub fn new(log: Log) -> Greet {
        Greet::Start { log }
    }
}

impl Future for Greet {
    type Output = String;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        // Every field is `Unpin`, so `Greet` is, and we may move states.
        let this = self.get_mut();
        loop {
            match mem::replace(this, Greet::Done) {
                Greet::Start { log } => {
                    let name = String::from("Ferris");
                    let step = Step::new("first", 1, &log);
                    *this = Greet::First { log, name, step };
                }
                Greet::First {
                    log,
                    name,
                    mut step,
                } => match Pin::new(&mut step).poll(cx) {
                    Poll::Pending => {
                        *this = Greet::First { log, name, step };
                        return Poll::Pending;
                    }
                    Poll::Ready(first) => {
                        drop(step);
                        let step = Step::new("second", 2, &log);
                        *this = Greet::Second {
                            log,
                            name,
                            first,
                            step,
                        };
                    }
                },
                Greet::Second {
                    log,
                    name,
                    first,
                    mut step,
                } => match Pin::new(&mut step).poll(cx) {
                    Poll::Pending => {
                        *this = Greet::Second {
                            log,
                            name,
                            first,
                            step,
                        };
                        return Poll::Pending;
                    }
                    Poll::Ready(second) => {
                        drop(step);
                        return Poll::Ready(format!("{name} counted to {}", first + second));
                    }
                },
                Greet::Done => panic!("`async fn` resumed after completion"),
            }
        }
    }
}
