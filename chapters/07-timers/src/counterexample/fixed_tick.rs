//! COUNTER-EXAMPLE, do not use: the seed design's timer loop, rebuilt to
//! show how it breaks.
//!
//! The C++ coroutine seed keeps its timers in a priority queue, just like
//! [`TimerDriver`](crate::TimerDriver), but its selector always waits a
//! fixed 500 ms, whatever the queue holds. Two things follow:
//!
//! - a timer is checked only when a wait ends, so it fires late by up to
//!   one tick (a 5 ms sleep takes 500 ms);
//! - a shorter tick cuts the lateness but burns CPU in proportion, and a
//!   tick of zero (check, find nothing due, check again) is a busy loop
//!   that keeps a core at 100% while the program only waits.
//!
//! There is no tick that is both punctual and idle: the wait must end at
//! the nearest deadline. `tests/idle_cpu.rs` measures both failures next
//! to the tests that show `TimerDriver` has neither.

use std::fmt;
use std::io;
use std::task::Waker;
use std::time::{Duration, Instant};

use executor::Park;

use crate::store::Handle;

// ANCHOR: fixed_tick
/// A timer driver that waits a fixed `tick`, ignoring the deadlines.
pub struct FixedTickPark<P: Park> {
    inner: P,
    timers: Handle,
    tick: Duration,
    to_wake: Vec<Waker>,
}

impl<P: Park> Park for FixedTickPark<P> {
    type Unpark = P::Unpark;

    fn unpark(&self) -> P::Unpark {
        self.inner.unpark()
    }

    fn park(&mut self) -> io::Result<()> {
        // The flaw: the wait ignores the store. `tick` is the same whether
        // the next deadline is in 1 ms or in an hour.
        let parked = self.inner.park_timeout(self.tick);
        self.timers.fire_expired(Instant::now(), &mut self.to_wake);
        self.to_wake.drain(..).for_each(Waker::wake);
        parked
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        let parked = self.inner.park_timeout(timeout.min(self.tick));
        self.timers.fire_expired(Instant::now(), &mut self.to_wake);
        self.to_wake.drain(..).for_each(Waker::wake);
        parked
    }
}
// ANCHOR_END: fixed_tick

impl<P: Park> FixedTickPark<P> {
    /// A driver over `inner` whose every wait lasts `tick`.
    pub fn new(inner: P, tick: Duration) -> Self {
        let timers = Handle::new(Box::new(inner.unpark()));
        FixedTickPark {
            inner,
            timers,
            tick,
            to_wake: Vec::new(),
        }
    }

    /// The store's handle, to make current while the executor runs.
    pub fn handle(&self) -> Handle {
        self.timers.clone()
    }
}

impl<P: Park> fmt::Debug for FixedTickPark<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixedTickPark")
            .field("tick", &self.tick)
            .finish_non_exhaustive()
    }
}
