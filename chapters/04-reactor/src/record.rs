//! The reactor's record of one source: what the OS last said about it, and
//! who is waiting for it, in each direction.

use std::task::Waker;

use slab::Slab;

use crate::readiness::{Direction, Ready};

// ANCHOR: record
/// One registered source, as the reactor sees it.
pub(crate) struct Record {
    /// The registration this record belongs to; events carrying another
    /// generation are for an earlier owner of the slot.
    pub(crate) generation: usize,
    /// What the OS has reported and no `WouldBlock` has disproved yet.
    pub(crate) ready: Ready,
    /// Bumped by every event for this source. An operation that saw
    /// `WouldBlock` clears `ready` only if `tick` has not moved since it
    /// looked: otherwise an event arrived in between, and clearing would
    /// throw it away.
    pub(crate) tick: usize,
    /// Tasks waiting to read, and tasks waiting to write, apart.
    read: Waiters,
    write: Waiters,
}

/// The tasks waiting in one direction.
#[derive(Default)]
struct Waiters {
    /// The waker of whoever uses the `poll_*` methods (`AsyncRead`-style
    /// code). One slot: those methods are called with `&mut` access to the
    /// I/O object, so one task at a time uses them in a direction.
    poller: Option<Waker>,
    /// One slot per waiting future (`read_with`, `readable`, ...), so any
    /// number of tasks can wait on one source. `None` once woken; the slot
    /// itself is freed when its future completes or is dropped.
    futures: Slab<Option<Waker>>,
}
// ANCHOR_END: record

/// Who is asking to wait: the `poll_*` caller, or a future holding a slot.
#[derive(Debug)]
pub(crate) enum WaiterSlot {
    Poller,
    /// The future's key in `Waiters::futures`, once it has waited once.
    Future(Option<usize>),
}

impl Record {
    /// A new source is assumed ready in both directions: the only way to
    /// learn that it is not is to try, and a `WouldBlock` clears the bit.
    pub(crate) fn new(generation: usize) -> Record {
        Record {
            generation,
            ready: Ready::READABLE | Ready::WRITABLE,
            tick: 0,
            read: Waiters::default(),
            write: Waiters::default(),
        }
    }

    fn waiters(&mut self, direction: Direction) -> &mut Waiters {
        match direction {
            Direction::Read => &mut self.read,
            Direction::Write => &mut self.write,
        }
    }

    // ANCHOR: on_event
    /// Records an OS event and moves out the wakers it concerns. Returns how
    /// many wakers it moved into `wake`; the caller wakes them after it has
    /// released the reactor's lock.
    pub(crate) fn on_event(&mut self, ready: Ready, wake: &mut Vec<Waker>) -> usize {
        self.ready = self.ready | ready;
        self.tick = self.tick.wrapping_add(1);
        let before = wake.len();
        for direction in [Direction::Read, Direction::Write] {
            if ready.intersects(direction.wakes_on()) {
                self.waiters(direction).take_all(wake);
            }
        }
        wake.len() - before
    }
    // ANCHOR_END: on_event

    // ANCHOR: wait
    /// Stores `waker` for `slot`, replacing an older waker unless it would
    /// wake the same task (the future may have moved to another task since
    /// it last waited: the newest waker is the one to keep).
    ///
    /// Returns the waker it replaced, for the caller to drop once it has
    /// released the reactor's lock: dropping a waker runs the waker's code,
    /// and if it was the last reference to a task, that task's future and
    /// every `Async` in it, whose deregistration takes the same lock.
    #[must_use = "drop the replaced waker after releasing the lock"]
    pub(crate) fn wait(
        &mut self,
        direction: Direction,
        slot: &mut WaiterSlot,
        waker: &Waker,
    ) -> Option<Waker> {
        let waiters = self.waiters(direction);
        let stored = match slot {
            WaiterSlot::Poller => &mut waiters.poller,
            WaiterSlot::Future(Some(key)) => &mut waiters.futures[*key],
            WaiterSlot::Future(None) => {
                *slot = WaiterSlot::Future(Some(waiters.futures.insert(None)));
                return self.wait(direction, slot, waker);
            }
        };
        match stored {
            Some(old) if old.will_wake(waker) => None,
            _ => stored.replace(waker.clone()),
        }
    }
    // ANCHOR_END: wait

    /// Frees a future's waiter slot (it completed, or was dropped). Returns
    /// the waker it held, to be dropped outside the lock (see `wait`).
    #[must_use = "drop the waker after releasing the lock"]
    pub(crate) fn forget(&mut self, direction: Direction, key: usize) -> Option<Waker> {
        self.waiters(direction).futures.try_remove(key).flatten()
    }

    /// Moves out every waker, in both directions (the reactor is going away).
    pub(crate) fn take_all(&mut self, wake: &mut Vec<Waker>) {
        self.read.take_all(wake);
        self.write.take_all(wake);
    }

    /// How many waiters (poller slot in use, or future slots) exist.
    pub(crate) fn waiter_count(&self) -> usize {
        [&self.read, &self.write]
            .iter()
            .map(|w| usize::from(w.poller.is_some()) + w.futures.len())
            .sum()
    }
}

impl Waiters {
    fn take_all(&mut self, wake: &mut Vec<Waker>) {
        wake.extend(self.poller.take());
        wake.extend(self.futures.iter_mut().filter_map(|(_, w)| w.take()));
    }
}
