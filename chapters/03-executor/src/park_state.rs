//! Does this wake need a system call? The park-state protocol of every
//! driver whose wait is a system call.
//!
//! Chapter 1's `Parker` sleeps in `thread::park`, and its `notified` flag
//! already keeps an unpark that comes before the park. A driver that waits
//! in the kernel instead (chapter 4's reactor in `epoll_wait`, chapter 10's
//! ring in `io_uring_enter`) can only be woken from outside by another
//! system call, a write to an `eventfd`. Most wakes come from the driver's
//! own thread while it runs (a dispatch waking tasks, a task waking
//! another), when nobody is asleep: paying that write for each of them
//! would cost a system call per wake and a spurious event on the next wait.
//!
//! So the driver keeps one atomic: `RUNNING`, `PARKED` or `NOTIFIED`. The
//! waking side writes to the `eventfd` only when it finds `PARKED`, and the
//! waiting side enters the kernel only through a compare-and-swap from
//! `RUNNING` to `PARKED`. Chapter 4 explains the race this closes; the loom
//! model `tests/loom_park_state.rs` checks that no interleaving loses a
//! wake. Both drivers use this type; only what they do around it differs.

use std::time::Duration;

use crate::sync::atomic::{AtomicU8, Ordering};

// ANCHOR: park_states
/// The driver is running (or about to park): an unpark needs no syscall.
/// Set only by the driver's thread, after its wait.
const RUNNING: u8 = 0;
/// The driver is blocked in (or committed to) the OS wait: an unpark must
/// make the system call that ends it. Set only by the driver's thread,
/// only from `RUNNING`.
const PARKED: u8 = 1;
/// An unpark came while the driver was not blocked: its next park must not
/// block. Set by any thread, from any state.
const NOTIFIED: u8 = 2;

/// One driver's park state: `RUNNING`, `PARKED` or `NOTIFIED`.
#[derive(Debug)]
pub struct ParkState(AtomicU8);
// ANCHOR_END: park_states

impl ParkState {
    /// A running driver's state.
    pub fn new() -> Self {
        ParkState(AtomicU8::new(RUNNING))
    }

    // ANCHOR: before_wait
    /// The driver's side, just before its OS wait, which was asked to last
    /// `timeout` at most (`None`: until woken). Returns the timeout to wait
    /// with: the same, after committing to the wait (`PARKED`), or
    /// `Some(Duration::ZERO)` if an unpark came after the executor last
    /// looked at its queue (`NOTIFIED`): collect events, but do not sleep.
    /// A zero timeout does not sleep anyway, so it commits to nothing.
    pub fn before_wait(&self, timeout: Option<Duration>) -> Option<Duration> {
        if timeout != Some(Duration::ZERO)
            && self
                .0
                .compare_exchange(RUNNING, PARKED, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
        {
            return Some(Duration::ZERO);
        }
        timeout
    }

    /// The driver's side, once the OS wait has returned (woken, timed out
    /// or interrupted): unparks are free again until the next wait. This
    /// also drops a `NOTIFIED` that is no longer needed: whoever set it
    /// queued its work first, and the executor looks at its queue before
    /// it parks again.
    pub fn set_running(&self) {
        self.0.store(RUNNING, Ordering::SeqCst);
    }
    // ANCHOR_END: before_wait

    // ANCHOR: unpark
    /// The waking side, from any thread, after queueing the work it wakes
    /// the driver for. Makes the driver's current or next park return, and
    /// returns whether that takes the system call: `true` when the driver
    /// is blocked in (or committed to) its OS wait, and only then.
    ///
    /// Either this swap comes before the driver's compare-and-swap, which
    /// then finds `NOTIFIED` and does not sleep, or after it, and finds
    /// `PARKED`: there is no third order, since read-modify-writes of one
    /// atomic are totally ordered. `SeqCst` includes what the first order
    /// needs: a release here and an acquire there, so that the work queued
    /// before this call is visible to the driver's next look.
    #[must_use = "`true` means the driver is blocked: make the system call that wakes it"]
    pub fn unpark(&self) -> bool {
        self.0.swap(NOTIFIED, Ordering::SeqCst) == PARKED
    }
    // ANCHOR_END: unpark

    /// Whether the driver is blocked in (or committed to) its OS wait. For
    /// a waking side that must not leave `NOTIFIED` behind when the driver
    /// runs (chapter 10's submissions: the running driver takes them before
    /// it waits, and a `NOTIFIED` would cost it a turn).
    pub fn is_parked(&self) -> bool {
        self.0.load(Ordering::SeqCst) == PARKED
    }
}

impl Default for ParkState {
    fn default() -> Self {
        ParkState::new()
    }
}
