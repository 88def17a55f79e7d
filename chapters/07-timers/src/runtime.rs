//! The runtime from here on: chapter 3's executor, parked in the timer
//! driver, which parks in chapter 4's reactor. While it runs, both the
//! reactor and the timer store are current on its thread, so `Async::new`
//! and `sleep` find them.

use std::fmt;
use std::future::Future;
use std::io;

use reactor::Reactor;

use crate::driver::TimerDriver;
use crate::store::Handle;

// ANCHOR: runtime
/// A single-threaded runtime with I/O and timers.
pub struct Runtime {
    executor: executor::Runtime<TimerDriver<Reactor>>,
    reactor: reactor::Handle,
    timers: Handle,
}

impl Runtime {
    /// A runtime with a fresh reactor and an empty timer store.
    ///
    /// # Errors
    /// As chapter 4's `Reactor::new`: the OS poller or its waker cannot be
    /// created.
    pub fn new() -> io::Result<Runtime> {
        let reactor = Reactor::new()?;
        let reactor_handle = reactor.handle();
        let driver = TimerDriver::new(reactor);
        let timers = driver.handle();
        Ok(Runtime {
            executor: executor::Runtime::with_park(driver),
            reactor: reactor_handle,
            timers,
        })
    }

    /// Runs `future` to completion, and the spawned tasks meanwhile.
    ///
    /// # Panics
    /// As chapter 3's `Runtime::block_on`: if `future` panics or the OS
    /// wait fails; and with a panic a timer's waker raised, once the whole
    /// batch is woken.
    pub fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        let _reactor = self.reactor.enter();
        let _timers = self.timers.enter();
        self.executor.block_on(future)
    }
    // ANCHOR_END: runtime

    /// A handle for spawning onto this runtime, from anywhere (inside it,
    /// `timers::spawn` does the same).
    pub fn handle(&self) -> executor::Handle {
        self.executor.handle()
    }

    /// The timer store: how many timers are pending, the next deadline.
    pub fn timers(&self) -> &Handle {
        &self.timers
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("executor", &self.executor)
            .field("reactor", &self.reactor)
            .field("timers", &self.timers)
            .finish()
    }
}
