//! The other place a reactor can run: on a thread of its own.
//!
//! This is the seed design's shape, kept buildable so the performance
//! chapter can measure it against the default [`Runtime`]. The reactor
//! thread loops on the OS wait and dispatches; the executor sleeps on
//! chapter 3's thread parker. Every event therefore crosses threads: the
//! reactor thread wakes, calls `wake()`, which queues the task and unparks
//! the executor thread (a futex wake and, usually, a context switch) before
//! the task can run. The records, the tokens and `Async` are the same: only
//! the place where `Reactor::park` is called changes.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use executor::{Park, ThreadPark, Unpark};

use crate::reactor::{Reactor, ReactorUnpark};
use crate::runtime::Runtime;

// ANCHOR: threaded
impl Runtime<ThreadPark> {
    /// A runtime whose reactor runs on a dedicated thread, and whose
    /// executor sleeps on a thread parker.
    pub fn threaded() -> io::Result<Runtime<ThreadPark>> {
        let mut reactor = Reactor::new()?;
        let handle = reactor.handle();
        let unpark = reactor.unpark();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = thread::Builder::new()
            .name("reactor".into())
            .spawn(move || {
                // The whole reactor thread: wait, dispatch (whose wakes
                // queue tasks for the executor's thread), repeat.
                while !stopped.load(Ordering::Acquire) {
                    reactor.park()?;
                }
                Ok(())
            })?;
        let thread = ReactorThread {
            stop,
            unpark,
            thread: Some(thread),
        };
        Ok(Runtime::from_parts(
            executor::Runtime::new(),
            handle,
            Some(thread),
        ))
    }
}

/// The reactor's thread, stopped and joined when dropped.
pub(crate) struct ReactorThread {
    stop: Arc<AtomicBool>,
    unpark: ReactorUnpark,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Drop for ReactorThread {
    /// Raise the flag, then unpark the reactor: an unpark before its park
    /// makes that park return at once, so the flag is always seen.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        self.unpark.unpark();
        if let Some(thread) = self.thread.take() {
            match thread.join() {
                Ok(result) => result.expect("the reactor thread's OS wait failed"),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    }
}
// ANCHOR_END: threaded

impl fmt::Debug for ReactorThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReactorThread").finish_non_exhaustive()
    }
}
