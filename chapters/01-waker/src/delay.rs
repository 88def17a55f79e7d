//! A future written by hand: `Delay`, completed by another thread.
//!
//! Every `async fn` compiles to a state machine with a `poll` method, but the
//! futures at the bottom of the stack (a timer, a socket read, a channel) are
//! written by hand, and they are where the poll contract has to be kept:
//!
//! - return `Pending` only after arranging for the waker to be called;
//! - remember the waker from the *latest* poll, since the future may have
//!   moved to another task in between;
//! - return `Ready` once the work is done.
//!
//! `Delay` spends one thread per timer: the thread sleeps, marks the delay
//! done, and wakes whoever polled last. That is wasteful (a thread for every
//! timer) and the timers chapter replaces it with one ordered store of
//! deadlines, but it shows the contract with nothing else in the way.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

// ANCHOR: delay_struct
/// A future that completes `duration` after it is first polled.
///
/// ```
/// use std::time::{Duration, Instant};
/// use waker::{Delay, block_on};
///
/// let start = Instant::now();
/// block_on(Delay::new(Duration::from_millis(20)));
/// assert!(start.elapsed() >= Duration::from_millis(20));
/// ```
///
/// # Cancel safety
/// Cancel safe: dropped before it completes, it only forgets its waker.
/// Its timer thread, if the first poll started one, cannot be stopped and
/// still sleeps to the end.
pub struct Delay {
    duration: Duration,
    /// Shared with the timer thread, once there is one.
    shared: Arc<Mutex<Shared>>,
    /// Whether the timer thread has been started. Futures are lazy: nothing
    /// happens until the first poll.
    started: bool,
}

/// What the future and its timer thread both see, under one lock.
struct Shared {
    /// Set by the timer thread when the time is up.
    done: bool,
    /// The waker from the most recent poll: the task to wake when `done`.
    waker: Option<Waker>,
}
// ANCHOR_END: delay_struct

impl Delay {
    /// A delay of `duration`, counted from the first poll.
    pub fn new(duration: Duration) -> Self {
        Delay {
            duration,
            shared: Arc::new(Mutex::new(Shared {
                done: false,
                waker: None,
            })),
            started: false,
        }
    }
}

// ANCHOR: delay_poll
impl Future for Delay {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut shared = self.shared.lock().unwrap();
        if shared.done {
            return Poll::Ready(());
        }
        // Store the waker of *this* poll. It may differ from the last one
        // (the future was moved to another task, or wrapped by a combinator
        // with its own waker); waking the old one would wake the wrong task,
        // or nobody. `will_wake` skips the clone in the usual case where
        // nothing changed.
        match &shared.waker {
            Some(stored) if stored.will_wake(cx.waker()) => {}
            _ => shared.waker = Some(cx.waker().clone()),
        }
        drop(shared);

        if !self.started {
            self.started = true;
            let shared = Arc::clone(&self.shared);
            let duration = self.duration;
            thread::Builder::new()
                .name("delay".into())
                .spawn(move || fire_after(duration, &shared))
                .expect("spawn the delay's timer thread");
        }
        // The waker is stored and the thread is running: someone will wake
        // us, so `Pending` is allowed.
        Poll::Pending
    }
}
// ANCHOR_END: delay_poll

// ANCHOR: fire
/// The timer thread: sleep, mark done, wake the latest waker.
fn fire_after(duration: Duration, shared: &Mutex<Shared>) {
    thread::sleep(duration);
    let waker = {
        let mut shared = shared.lock().unwrap();
        shared.done = true;
        shared.waker.take()
    };
    // Wake *after* releasing the lock: `wake` may run arbitrary code (here,
    // it may poll the future right away on another executor), and that code
    // takes this same lock.
    if let Some(waker) = waker {
        waker.wake();
    }
}
// ANCHOR_END: fire

// ANCHOR: delay_drop
impl Drop for Delay {
    /// A dropped delay no longer wants its wake-up: forget the waker so the
    /// timer thread (which cannot be stopped) does not wake a task for
    /// nothing. The thread itself still runs to the end of its sleep.
    fn drop(&mut self) {
        if let Ok(mut shared) = self.shared.lock() {
            shared.waker = None;
        }
    }
}
// ANCHOR_END: delay_drop

impl fmt::Debug for Delay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delay")
            .field("duration", &self.duration)
            .field("started", &self.started)
            .finish_non_exhaustive()
    }
}
