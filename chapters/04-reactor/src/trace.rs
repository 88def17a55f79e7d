//! An optional window into the reactor: every step it takes, as it takes it.
//!
//! The demo (`cargo run -p reactor`) prints these steps; the exercises count
//! them. A reactor built without a hook pays one `Option` check per step.
//! The hook is always called with no reactor lock held, so it may do
//! anything, including creating or dropping sources.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::readiness::{Direction, Ready};

// ANCHOR: step
/// One step of the reactor. `slot` is the source's index in the reactor's
/// slab; `generation` tells apart the successive owners of a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// A source was registered with the OS (once, for both directions).
    Register { slot: usize, generation: usize },
    /// A source was dropped: deregistered, and its slot freed.
    Deregister { slot: usize, generation: usize },
    /// The record says `direction` may be ready: the operation is tried.
    Try {
        slot: usize,
        direction: Direction,
        ready: Ready,
    },
    /// The operation returned `WouldBlock`. `cleared` is false when an event
    /// arrived after the record was read, so the readiness was kept.
    WouldBlock {
        slot: usize,
        direction: Direction,
        cleared: bool,
    },
    /// The operation succeeded and emptied the source (a short read on a
    /// byte stream), so its readiness is cleared as a `WouldBlock` would
    /// clear it; `cleared` is false when an event arrived meanwhile, or
    /// when priority (urgent) data is reported, which makes a short read no
    /// proof.
    Drained {
        slot: usize,
        direction: Direction,
        cleared: bool,
    },
    /// Not ready: the task's waker is stored and the future returns `Pending`.
    Wait { slot: usize, direction: Direction },
    /// The reactor is about to wait for OS events (`epoll_wait`, `kevent`).
    Park { timeout: Option<Duration> },
    /// The OS wait returned with this many events.
    Events { count: usize },
    /// An event for a source, and how many wakers it moved out to wake.
    Event {
        slot: usize,
        generation: usize,
        ready: Ready,
        wakers: usize,
    },
    /// An event for a slot's earlier owner, ignored.
    StaleEvent { slot: usize, generation: usize },
    /// The event of the reactor's own `mio::Waker`: someone unparked it.
    Unparked,
}
// ANCHOR_END: step

/// The callback a reactor calls for each [`Step`].
pub type TraceHook = Arc<dyn Fn(&Step) + Send + Sync>;

fn timeout(timeout: &Option<Duration>) -> String {
    match timeout {
        None => "none, sleep until an event".to_owned(),
        Some(t) if t.is_zero() => "0, just collect".to_owned(),
        Some(t) => format!("{t:?}"),
    }
}

/// What `Handle::register` asks the OS for: priority (TCP urgent data) only
/// where mio offers it.
#[cfg(any(target_os = "linux", target_os = "android"))]
const INTERESTS: &str = "read + write + priority";
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const INTERESTS: &str = "read + write";

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Register { slot, generation } => write!(
                f,
                "register source in slot {slot} (generation {generation}) for {INTERESTS}, edge-triggered"
            ),
            Step::Deregister { slot, generation } => {
                write!(
                    f,
                    "deregister slot {slot} (generation {generation}), free the slot"
                )
            }
            Step::Try {
                slot,
                direction,
                ready,
            } => {
                write!(
                    f,
                    "slot {slot} {direction}: record says [{ready}], try the operation"
                )
            }
            Step::WouldBlock {
                slot,
                direction,
                cleared: true,
            } => {
                write!(
                    f,
                    "slot {slot} {direction}: WouldBlock, clear the readiness"
                )
            }
            Step::WouldBlock {
                slot,
                direction,
                cleared: false,
            } => write!(
                f,
                "slot {slot} {direction}: WouldBlock, but an event came meanwhile: keep the readiness"
            ),
            Step::Drained {
                slot,
                direction,
                cleared: true,
            } => write!(
                f,
                "slot {slot} {direction}: short read emptied the source, clear the readiness"
            ),
            Step::Drained {
                slot,
                direction,
                cleared: false,
            } => write!(
                f,
                "slot {slot} {direction}: short read, but an event came meanwhile or urgent data is reported: keep the readiness"
            ),
            Step::Wait { slot, direction } => {
                write!(
                    f,
                    "slot {slot} {direction}: not ready, store the waker, return Pending"
                )
            }
            Step::Park { timeout: t } => {
                write!(f, "poll the OS (epoll_wait), timeout: {}", timeout(t))
            }
            Step::Events { count } => write!(f, "the OS reports {count} event(s)"),
            Step::Event {
                slot,
                generation,
                ready,
                wakers,
            } => write!(
                f,
                "event for slot {slot} (generation {generation}): [{ready}], wake {wakers} waiter(s)"
            ),
            Step::StaleEvent { slot, generation } => {
                write!(
                    f,
                    "event for slot {slot} generation {generation}: stale, ignored"
                )
            }
            Step::Unparked => write!(f, "event for the reactor's waker: unparked"),
        }
    }
}
