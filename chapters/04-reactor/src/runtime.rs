//! The runtime the rest of the book uses: chapter 3's executor, parked on
//! the reactor, with the reactor made current while it runs so that
//! `Async::new` (and the sockets of the next chapters) can find it.

use std::fmt;
use std::future::Future;
use std::io;

use executor::{JoinHandle, Park};

use crate::counterexample::threaded::ReactorThread;
use crate::reactor::{Handle, Reactor};

// ANCHOR: runtime
/// A single-threaded runtime. By default (`P = Reactor`) its idle wait is
/// the reactor's OS poll; [`Runtime::threaded`] builds the other kind.
pub struct Runtime<P: Park = Reactor> {
    executor: executor::Runtime<P>,
    reactor: Handle,
    /// The reactor's own thread, for the threaded kind only. Declared last:
    /// it is stopped after the executor has dropped its tasks.
    _thread: Option<ReactorThread>,
}

impl Runtime<Reactor> {
    /// A runtime with a fresh reactor, polled on the executor's thread.
    ///
    /// # Errors
    /// As [`Reactor::new`].
    pub fn new() -> io::Result<Runtime> {
        Ok(Runtime::with_reactor(Reactor::new()?))
    }

    /// A runtime on a reactor built by hand (for instance with a trace hook).
    pub fn with_reactor(reactor: Reactor) -> Runtime {
        let handle = reactor.handle();
        Runtime::from_parts(executor::Runtime::with_park(reactor), handle, None)
    }
}

impl<P: Park> Runtime<P> {
    pub(crate) fn from_parts(
        executor: executor::Runtime<P>,
        reactor: Handle,
        thread: Option<ReactorThread>,
    ) -> Runtime<P> {
        Runtime {
            executor,
            reactor,
            _thread: thread,
        }
    }

    /// Runs `future` to completion, and the spawned tasks meanwhile. Inside
    /// it (and inside every task it runs), `Async::new` uses this reactor.
    ///
    /// # Panics
    /// If the reactor's OS wait fails with anything but `EINTR` (chapter
    /// 3's `block_on` has no way to report it), and with whatever panic a
    /// waker raised during a dispatch.
    pub fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        let _enter = self.reactor.enter();
        self.executor.block_on(future)
    }
    // ANCHOR_END: runtime

    /// Spawns a task; it runs once `block_on` runs the loop.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }

    /// A handle for spawning onto this runtime from anywhere.
    pub fn handle(&self) -> executor::Handle {
        self.executor.handle()
    }

    /// The reactor's handle: register sources, look at its tables.
    pub fn reactor(&self) -> &Handle {
        &self.reactor
    }
}

impl<P: Park> fmt::Debug for Runtime<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("executor", &self.executor)
            .field("reactor", &self.reactor)
            .field("own_reactor_thread", &self._thread.is_some())
            .finish()
    }
}
