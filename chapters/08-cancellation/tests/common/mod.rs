//! A scripted reader: bytes and waits in a fixed order, no clock, no
//! network, so a test decides exactly where a tick lands.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::io::AsyncRead;

/// One thing the reader does when polled.
pub enum Step {
    /// Hands over these bytes (as many as fit).
    Data(&'static [u8]),
    /// Returns `Pending` this many times (waking itself, so it is polled
    /// again), as a socket does while the peer is slow.
    Wait(usize),
}

/// Plays its steps in order, then reports end of file (or waits for ever
/// if `then_hang`).
pub struct Script {
    steps: VecDeque<Step>,
    then_hang: bool,
}

impl Script {
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Script {
        Script {
            steps: steps.into_iter().collect(),
            then_hang: false,
        }
    }

    /// After the last step, never ends.
    pub fn hanging(mut self) -> Script {
        self.then_hang = true;
        self
    }
}

impl AsyncRead for Script {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match self.steps.pop_front() {
            Some(Step::Data(bytes)) => {
                let n = bytes.len().min(buf.len());
                buf[..n].copy_from_slice(&bytes[..n]);
                if n < bytes.len() {
                    self.steps.push_front(Step::Data(&bytes[n..]));
                }
                Poll::Ready(Ok(n))
            }
            Some(Step::Wait(n)) => {
                if n > 1 {
                    self.steps.push_front(Step::Wait(n - 1));
                }
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            None if self.then_hang => Poll::Pending,
            None => Poll::Ready(Ok(0)),
        }
    }
}

/// The script every line test reads: two lines, each with a pause in the
/// middle that is long enough for a tick to win.
pub fn two_split_lines() -> Script {
    Script::new([
        Step::Data(b"hel"),
        Step::Wait(3),
        Step::Data(b"lo\nwor"),
        Step::Wait(3),
        Step::Data(b"ld\n"),
    ])
}

/// Runs the future `make` builds on a runtime of its own (chapter 7's:
/// executor, timers, reactor), under the watchdog. The future is built on
/// the watchdog's thread, so it need not be `Send`.
pub fn run<T, F>(what: &str, make: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: std::future::Future<Output = T>,
{
    testkit::within(what, || timers::Runtime::new().unwrap().block_on(make()))
}
