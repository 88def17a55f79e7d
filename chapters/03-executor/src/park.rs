//! How the executor sleeps when it has nothing to run.
//!
//! The executor does not care *how* it waits, only that it can be woken. In
//! this chapter it waits with chapter 1's `Parker`. In chapter 4 the reactor
//! takes this place and waits in `epoll`, so that the OS can wake it when a
//! socket becomes ready; in chapter 7 the timer driver wraps the reactor and
//! shortens the wait to the next deadline. One trait, three drivers.

use std::io;
use std::time::Duration;

use waker::{Parker, Unparker};

// ANCHOR: park_trait
/// Blocks the executor's thread until there may be work.
pub trait Park {
    /// The handle that wakes a parked `Park` from any thread.
    type Unpark: Unpark;

    /// A handle that makes `park` return.
    fn unpark(&self) -> Self::Unpark;

    /// Blocks until unparked (or until some event the driver handles, such as
    /// I/O readiness). May return spuriously: the executor just looks again.
    ///
    /// A wake the driver itself makes here, on the executor's thread (a
    /// dispatch), goes to the executor's local queue and unparks nothing:
    /// make such wakes after the wait, never before it in the same call,
    /// or the wait would sleep with a task queued.
    fn park(&mut self) -> io::Result<()>;

    /// Like `park`, but returns after `timeout` at the latest.
    /// `Duration::ZERO` means "handle what is already there, don't sleep".
    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()>;
}

/// The waking half of a [`Park`].
pub trait Unpark: Send + Sync + 'static {
    /// Makes the current or the next `park` return.
    fn unpark(&self);
}
// ANCHOR_END: park_trait

// ANCHOR: thread_park
/// The simplest driver: sleep the thread with chapter 1's `Parker`.
///
/// A `Parker` belongs to the thread that created it: its `Unparker` wakes
/// *that* thread. A `ThreadPark` (and so a `Runtime::new()`) moved to another
/// thread would park there while every wake went to the old thread, and hang.
/// So `Parker` is not `Send`, nor is a `ThreadPark` that holds one, and the
/// mistake does not compile:
///
/// ```compile_fail
/// let mut runtime = executor::Runtime::new();
/// std::thread::spawn(move || runtime.block_on(async { 1 }));
/// ```
#[derive(Debug)]
pub struct ThreadPark {
    /// Not `Send`: pins the driver, and the runtime, to its thread.
    parker: Parker,
}

impl ThreadPark {
    /// A driver that parks the calling thread.
    #[allow(clippy::new_without_default)] // bound to the calling thread
    pub fn new() -> Self {
        ThreadPark {
            parker: Parker::new(),
        }
    }
}

impl Park for ThreadPark {
    type Unpark = Unparker;

    fn unpark(&self) -> Unparker {
        self.parker.unparker()
    }

    fn park(&mut self) -> io::Result<()> {
        self.parker.park();
        Ok(())
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.parker.park_timeout(timeout);
        Ok(())
    }
}

impl Unpark for Unparker {
    fn unpark(&self) {
        Unparker::unpark(self);
    }
}
// ANCHOR_END: thread_park
