//! The timer driver: a `Park` that wraps another `Park` (the reactor) and
//! ends its wait at the nearest deadline.
//!
//! The executor parks when it has nothing to run. If a timer is pending,
//! "nothing to run" only lasts until its deadline, so the driver hands the
//! inner park a timeout of exactly that long: the OS wakes the thread when
//! the first timer is due, not on a fixed tick, and never sooner. With no
//! timer pending it parks with no timeout at all, and an idle runtime costs
//! no CPU whatever mix of timers and sockets it waits on.

use std::fmt;
use std::io;
use std::panic;
use std::task::Waker;
use std::time::{Duration, Instant};

use executor::Park;

use crate::store::Handle;

// ANCHOR: driver
/// A [`Park`] that fires timers, on top of any other `Park`.
pub struct TimerDriver<P: Park> {
    inner: P,
    timers: Handle,
    /// Wakers of expired timers, woken after the store's lock is released.
    /// Kept between turns so that firing does not allocate.
    to_wake: Vec<Waker>,
}

impl<P: Park> TimerDriver<P> {
    /// A driver with an empty timer store, parking in `inner`.
    pub fn new(inner: P) -> Self {
        let timers = Handle::new(Box::new(inner.unpark()));
        TimerDriver {
            inner,
            timers,
            to_wake: Vec::new(),
        }
    }
    // ANCHOR_END: driver

    /// The store's handle: sleeps register with it.
    pub fn handle(&self) -> Handle {
        self.timers.clone()
    }

    /// The wrapped driver.
    pub fn inner_mut(&mut self) -> &mut P {
        &mut self.inner
    }

    // ANCHOR: turn
    /// One turn: park in the inner driver until the nearest deadline (or
    /// `limit`, or an unpark, or an I/O event), then fire what expired.
    fn turn(&mut self, limit: Option<Duration>) -> io::Result<()> {
        let wait = self.timers.park_timeout(Instant::now(), limit);
        let parked = match wait {
            Some(timeout) => self.inner.park_timeout(timeout),
            None => self.inner.park(),
        };
        // The clock, not the reason the park returned, decides what fires:
        // a park may return early (an I/O event, an unpark, a signal), and
        // a timer whose deadline has not come stays for the next turn.
        self.timers.fire_expired(Instant::now(), &mut self.to_wake);
        // Every waker of the batch, even if one panics (chapter 4's
        // `wake_all`); the first panic is raised again once all are woken.
        if let Some(panic) = reactor::wake_all(&mut self.to_wake) {
            panic::resume_unwind(panic);
        }
        parked
    }
    // ANCHOR_END: turn
}

// ANCHOR: park_impl
impl<P: Park> Park for TimerDriver<P> {
    /// Waking the driver is waking the driver it waits in.
    type Unpark = P::Unpark;

    fn unpark(&self) -> P::Unpark {
        self.inner.unpark()
    }

    fn park(&mut self) -> io::Result<()> {
        self.turn(None)
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.turn(Some(timeout))
    }
}
// ANCHOR_END: park_impl

impl<P: Park> fmt::Debug for TimerDriver<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerDriver")
            .field("timers", &self.timers)
            .finish_non_exhaustive()
    }
}
