//! Exercise 4.3: a readiness counter for debugging.
//!
//! Goal: count, for each slot of the reactor, the OS events dispatched to
//! it, the waiters those events woke, and the `WouldBlock`s its operations
//! met, by watching the reactor's trace steps. A slot that gets a new owner
//! (a `Step::Register`) starts again from zero.

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
        // TODO: match on the steps that matter (`Register`, `Event`,
        // `WouldBlock`) and update the slot's `Tally`.
        let _ = step;
        todo!("EventTally::record")
    }
}
