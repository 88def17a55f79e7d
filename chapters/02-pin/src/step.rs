//! `Step`: the leaf future the chapter's examples await.
//!
//! It stands for any future that has to wait once (a socket without data, a
//! timer not yet due): its first poll arranges a wake and returns `Pending`,
//! its second returns the value. It wakes itself at once, so `block_on`
//! polls it again straight away. It writes every poll and its drop to a
//! [`Log`], which is how the chapter watches an `async fn` run.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::log::Log;

// ANCHOR: step
/// A future that is `Pending` once, then `Ready(value)`.
#[derive(Debug)]
pub struct Step {
    name: &'static str,
    value: u32,
    waited: bool,
    log: Log,
}

impl Step {
    /// A step called `name` that yields `value` at its second poll.
    pub fn new(name: &'static str, value: u32, log: &Log) -> Step {
        Step {
            name,
            value,
            waited: false,
            log: log.clone(),
        }
    }
}

impl Future for Step {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // `Step` is `Unpin` (no field of it cares where it lives), so a
        // `Pin<&mut Step>` hands out a plain `&mut Step`.
        let this = &mut *self;
        if this.waited {
            this.log
                .leaf(format!("poll {} -> Ready({})", this.name, this.value));
            return Poll::Ready(this.value);
        }
        this.waited = true;
        // Rule 1 of chapter 1: arrange the wake before returning `Pending`.
        cx.waker().wake_by_ref();
        this.log.leaf(format!("poll {} -> Pending", this.name));
        Poll::Pending
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        self.log.leaf(format!("drop {}", self.name));
    }
}
// ANCHOR_END: step
