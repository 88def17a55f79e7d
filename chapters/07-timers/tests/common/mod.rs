//! Helpers for the timer tests: a `Park` that counts the waits, and the
//! runtime's stack with one in it.
// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::rc::Rc;
use std::time::Duration;

use executor::Park;

// ANCHOR: counting_park
/// A `Park` that records every wait the driver above it asks for, and with
/// what timeout (`None`: no timeout). Each recorded wait is one trip to the
/// OS and back: counting them shows a spin, or its absence, in a way a busy
/// machine cannot fake (a share of CPU time can: load takes it away).
pub struct CountingPark<P> {
    inner: P,
    waits: Waits,
}

/// The waits a [`CountingPark`] recorded, readable after it moved into a
/// runtime.
#[derive(Clone, Default)]
pub struct Waits(Rc<RefCell<Vec<Option<Duration>>>>);

impl Waits {
    /// How many times the driver waited.
    pub fn count(&self) -> usize {
        self.0.borrow().len()
    }

    /// The timeout of each wait, in order.
    pub fn timeouts(&self) -> Vec<Option<Duration>> {
        self.0.borrow().clone()
    }
}

impl<P: Park> CountingPark<P> {
    /// Wraps `inner`; the returned `Waits` reads what it records.
    pub fn new(inner: P) -> (Self, Waits) {
        let waits = Waits::default();
        let park = CountingPark {
            inner,
            waits: waits.clone(),
        };
        (park, waits)
    }
}

impl<P: Park> Park for CountingPark<P> {
    type Unpark = P::Unpark;

    fn unpark(&self) -> P::Unpark {
        self.inner.unpark()
    }

    fn park(&mut self) -> io::Result<()> {
        self.waits.0.borrow_mut().push(None);
        self.inner.park()
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.waits.0.borrow_mut().push(Some(timeout));
        self.inner.park_timeout(timeout)
    }
}
// ANCHOR_END: counting_park

/// Runs `future` on the runtime's own stack (the executor, the timer
/// driver, the reactor), with a [`CountingPark`] between the timer driver and
/// the reactor, so that every recorded wait is one `epoll_wait`.
pub fn block_on_counted<F: Future>(future: F) -> (F::Output, Waits) {
    let reactor = reactor::Reactor::new().unwrap();
    let _io = reactor.handle().enter();
    let (reactor, waits) = CountingPark::new(reactor);
    let driver = timers::TimerDriver::new(reactor);
    let _timers = driver.handle().enter();
    let output = executor::Runtime::with_park(driver).block_on(future);
    (output, waits)
}
