//! Exercise 4.3, solved: a readiness counter for debugging.
//!
//! Counts, per slot, the OS events dispatched to it, the waiters they woke,
//! and the `WouldBlock`s its operations met, from the reactor's trace steps.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::trace::{Step, TraceHook};

/// What happened to one slot since its source was registered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// OS events dispatched to the slot (stale ones excluded).
    pub events: usize,
    /// Waiters those events woke.
    pub wakes: usize,
    /// Operations on the slot that returned `WouldBlock`.
    pub would_blocks: usize,
}

/// Per-slot tallies, fed by a reactor's trace hook.
#[derive(Debug, Default)]
pub struct EventTally {
    slots: Mutex<HashMap<usize, Tally>>,
}

impl EventTally {
    /// A new, empty tally.
    pub fn new() -> Arc<EventTally> {
        Arc::default()
    }

    /// The hook to give `Reactor::with_trace`.
    pub fn hook(self: &Arc<Self>) -> TraceHook {
        let tally = self.clone();
        Arc::new(move |step| tally.record(step))
    }

    /// The tally of `slot` (zero if nothing happened to it).
    pub fn get(&self, slot: usize) -> Tally {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.get(&slot).copied().unwrap_or_default()
    }

    /// Updates the tallies for one step of the reactor.
    pub fn record(&self, step: &Step) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        match *step {
            // A new owner: whatever the slot saw before is not its history.
            Step::Register { slot, .. } => {
                slots.insert(slot, Tally::default());
            }
            Step::Event { slot, wakers, .. } => {
                let tally = slots.entry(slot).or_default();
                tally.events += 1;
                tally.wakes += wakers;
            }
            Step::WouldBlock { slot, .. } => slots.entry(slot).or_default().would_blocks += 1,
            // Stale events belonged to an earlier owner; the rest are not
            // about one slot.
            _ => {}
        }
    }
}
