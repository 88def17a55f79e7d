//! The runtime of this chapter: chapter 3's executor, parked in chapter 7's
//! timer driver, which parks in the io_uring driver. Only the innermost
//! layer changed since chapter 7: the executor and the timers are the same
//! code, which is the point.

use std::fmt;
use std::future::Future;
use std::io;

use timers::TimerDriver;

use crate::driver::{Handle, Setup, Uring};

// ANCHOR: runtime
/// A single-threaded runtime with completion-based I/O and timers.
pub struct Runtime {
    executor: executor::Runtime<TimerDriver<Uring>>,
    uring: Handle,
    timers: timers::Handle,
}

impl Runtime {
    /// A runtime on a fresh io_uring instance.
    ///
    /// # Errors
    /// As [`Uring::new`]: where io_uring is not available (see
    /// [`probe`](crate::probe())).
    pub fn new() -> io::Result<Runtime> {
        Runtime::with_setup(Setup::default())
    }

    /// A runtime on a fresh io_uring instance set up with `setup`.
    ///
    /// # Errors
    /// As [`Uring::with_setup`].
    pub fn with_setup(setup: Setup) -> io::Result<Runtime> {
        let uring = Uring::with_setup(setup)?;
        let uring_handle = uring.handle();
        let driver = TimerDriver::new(uring);
        let timers = driver.handle();
        Ok(Runtime {
            executor: executor::Runtime::with_park(driver),
            uring: uring_handle,
            timers,
        })
    }

    /// Runs `future` to completion, and the spawned tasks meanwhile, with
    /// the ring and the timer store current on this thread.
    pub fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        let _uring = self.uring.enter();
        let _timers = self.timers.enter();
        self.executor.block_on(future)
    }
    // ANCHOR_END: runtime

    /// A handle for spawning onto this runtime from anywhere.
    pub fn handle(&self) -> executor::Handle {
        self.executor.handle()
    }

    /// The io_uring driver: how many operations are in flight.
    pub fn uring(&self) -> &Handle {
        &self.uring
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("executor", &self.executor)
            .field("uring", &self.uring)
            .finish_non_exhaustive()
    }
}
