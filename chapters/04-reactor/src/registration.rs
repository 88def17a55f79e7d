//! A source's ticket to the reactor: its slot, and the three things an I/O
//! future asks of the reactor (is it ready? it was not; wake me when it is).

use std::io;
use std::task::{Context, Poll};

use crate::reactor::{Handle, Shared};
use crate::readiness::{Direction, Ready};
use crate::record::WaiterSlot;
use crate::trace::Step;

/// Readiness as seen by one look at the record: what to clear after a
/// `WouldBlock`, and whether an event has arrived since (`tick`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadyEvent {
    tick: usize,
}

/// Why an operation's readiness is stale, for [`Registration::clear`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stale {
    /// The operation returned `WouldBlock`.
    WouldBlock,
    /// The operation succeeded, and its result shows it emptied the source
    /// (a byte stream that filled less than the whole buffer).
    Drained,
}

/// One registration: owned by an `Async`, frees its slot when dropped.
pub(crate) struct Registration {
    pub(crate) handle: Handle,
    pub(crate) slot: usize,
    generation: usize,
}

impl Registration {
    pub(crate) fn new(handle: &Handle, source: &mut impl mio::event::Source) -> io::Result<Self> {
        let (slot, generation) = handle.shared.register(source)?;
        Ok(Registration {
            handle: handle.clone(),
            slot,
            generation,
        })
    }

    fn shared(&self) -> &Shared {
        &self.handle.shared
    }

    // ANCHOR: poll_ready
    /// `Ready` if the record says `direction` may be ready (try the
    /// operation); otherwise stores the waker in `waiter` and returns
    /// `Pending`. Both under one lock, so an event cannot slip in between
    /// "not ready" and "waker stored", nor the reactor's shutdown between
    /// "still running" and "waker stored".
    pub(crate) fn poll_ready(
        &self,
        direction: Direction,
        waiter: &mut WaiterSlot,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<ReadyEvent>> {
        let shared = self.shared();
        let mut table = shared.lock();
        // Under the lock: checked before it, a shutdown could drain the
        // wakers between the check and the store, and this one would sleep.
        if table.shut_down {
            return Poll::Ready(Err(io::Error::other("the reactor has shut down")));
        }
        let record = &mut table.records[self.slot];
        if record.ready.intersects(direction.wakes_on()) {
            let (ready, tick) = (record.ready.and(direction.wakes_on()), record.tick);
            drop(table);
            shared.trace(|| Step::Try {
                slot: self.slot,
                direction,
                ready,
            });
            return Poll::Ready(Ok(ReadyEvent { tick }));
        }
        let replaced = record.wait(direction, waiter, cx.waker());
        drop(table);
        // Only now: the old waker's drop may run any code (see `wait`).
        drop(replaced);
        shared.trace(|| Step::Wait {
            slot: self.slot,
            direction,
        });
        Poll::Pending
    }
    // ANCHOR_END: poll_ready

    // ANCHOR: clear
    /// The operation returned `WouldBlock` (or drained the source): the
    /// readiness it was tried on is stale. Clear it, unless an event arrived
    /// since `event` was read: that event may be for data that came after
    /// the operation, and edge-triggered polling will not report it again.
    ///
    /// A drained result is not proof while priority data is reported: TCP's
    /// `recv` stops at the urgent mark, short, with bytes still queued
    /// behind it. Then only a `WouldBlock` clears (and clears the priority
    /// bit with the rest, so the short-read rule is back after it).
    pub(crate) fn clear(&self, direction: Direction, event: ReadyEvent, why: Stale) {
        let cleared = {
            let mut table = self.shared().lock();
            let record = &mut table.records[self.slot];
            let unchanged = record.tick == event.tick;
            let proof = match why {
                Stale::WouldBlock => true,
                Stale::Drained => !record.ready.intersects(Ready::PRIORITY),
            };
            if unchanged && proof {
                record.ready = record.ready.without(direction.cleared_by_would_block());
            }
            unchanged && proof
        };
        self.shared().trace(|| match why {
            Stale::WouldBlock => Step::WouldBlock {
                slot: self.slot,
                direction,
                cleared,
            },
            Stale::Drained => Step::Drained {
                slot: self.slot,
                direction,
                cleared,
            },
        });
    }
    // ANCHOR_END: clear

    /// Frees the waiter slot of a future that is done waiting.
    pub(crate) fn forget(&self, direction: Direction, waiter: &WaiterSlot) {
        if let WaiterSlot::Future(Some(key)) = waiter {
            let waker = self.shared().lock().records[self.slot].forget(direction, *key);
            // The statement above released the lock: now the drop may run.
            drop(waker);
        }
    }

    /// Deregisters `source` from the OS and frees the slot now.
    pub(crate) fn deregister(&self, source: &mut impl mio::event::Source) -> io::Result<()> {
        self.shared().deregister(source, self.slot, self.generation)
    }

    /// The current readiness bits (for tests and debugging).
    pub(crate) fn ready(&self) -> Ready {
        self.shared().lock().records[self.slot].ready
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // After `deregister` this finds the slot already freed (or reused,
        // with another generation) and does nothing.
        self.shared().free(self.slot, self.generation);
    }
}
