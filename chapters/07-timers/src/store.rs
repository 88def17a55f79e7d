//! The timer store: every pending deadline of one runtime, in order.
//!
//! The driver asks it two questions on every turn, "when is the nearest
//! deadline?" (that is how long the OS may sleep) and "which deadlines have
//! passed?" (those tasks are woken). A sleep that is dropped or reset must
//! leave it at once: a store that only forgets entries when their deadline
//! comes keeps every cancelled `timeout` around for its whole duration.
//!
//! So the store is an ordered map keyed by `(deadline, id)`: the first entry
//! is the nearest deadline, expired entries are a prefix, and an entry can be
//! removed by its key, each in O(log n). `std`'s `BinaryHeap` answers the
//! first two just as fast but cannot remove an entry from the middle.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::{Duration, Instant};

use executor::{Current, Unpark};

// ANCHOR: key
/// Where one timer sits in the store. The id breaks ties between timers
/// with the same deadline, so two sleeps never share an entry, and timers
/// with equal deadlines fire in the order they were registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub(crate) deadline: Instant,
    id: u64,
}
// ANCHOR_END: key

// ANCHOR: state
/// What the driver and every sleep share, under one lock.
struct State {
    /// Pending timers, nearest deadline first, each with the waker of the
    /// last poll of its sleep.
    timers: BTreeMap<Key, Waker>,
    /// The id the next timer gets.
    next_id: u64,
    /// How long the driver is (about to be) blocked in the OS wait. A timer
    /// registered with an earlier deadline must wake it, or it would fire
    /// late: the driver chose its timeout before that timer existed.
    parked: Parked,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parked {
    /// The driver is running: it looks at the store before it parks again.
    No,
    /// Blocked until this instant at the latest.
    Until(Instant),
    /// Blocked with no timeout: only an unpark or an I/O event ends it.
    Forever,
}

pub(crate) struct Shared {
    state: Mutex<State>,
    /// The inner driver's unpark (the reactor's): ends the driver's wait.
    unpark: Box<dyn Unpark>,
}
// ANCHOR_END: state

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing that can panic runs under this lock (wakers are woken after
        // it is released), but a poisoned lock must not spread one panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ANCHOR: insert
    /// Adds a timer; returns its key, and whether the driver must be
    /// unparked: it is asleep past this deadline (possible only when the
    /// timer comes from another thread than the driver's).
    fn insert(state: &mut State, deadline: Instant, waker: Waker) -> (Key, bool) {
        let key = Key {
            deadline,
            id: state.next_id,
        };
        state.next_id += 1;
        state.timers.insert(key, waker);
        let too_late = match state.parked {
            Parked::No => false,
            Parked::Until(until) => deadline < until,
            Parked::Forever => true,
        };
        if too_late {
            // One unpark is enough: the driver recomputes its timeout from
            // the whole store when it wakes.
            state.parked = Parked::No;
        }
        (key, too_late)
    }

    /// Unparks the driver if `insert` said so; called after the lock is
    /// released, like every call out of the store.
    fn unpark_if(&self, needed: bool) {
        if needed {
            self.unpark.unpark();
        }
    }
    // ANCHOR_END: insert
}

// ANCHOR: handle
/// A cheap, cloneable, `Send` reference to a runtime's timer store.
#[derive(Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
}

impl Handle {
    pub(crate) fn new(unpark: Box<dyn Unpark>) -> Handle {
        Handle {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    timers: BTreeMap::new(),
                    next_id: 0,
                    parked: Parked::No,
                }),
                unpark,
            }),
        }
    }

    /// The timer store of the runtime running on this thread.
    ///
    /// # Panics
    /// Outside a runtime with a timer driver: a sleep polled there could
    /// never be woken, and hanging silently would be worse.
    pub fn current() -> Handle {
        Handle::try_current().expect(
            "no timer driver on this thread: poll sleeps and timeouts inside \
             timers::Runtime::block_on (or a task it runs)",
        )
    }

    /// The timer store of the runtime running on this thread, if any: the
    /// one entered last with [`enter`](Self::enter) and not left yet.
    pub fn try_current() -> Option<Handle> {
        Current::get(&CURRENT)
    }

    /// Makes this the thread's current timer store until the guard is
    /// dropped (what `Runtime::block_on` does).
    pub fn enter(&self) -> EnterGuard {
        Current::enter(&CURRENT, self.clone())
    }

    /// How many timers are registered and have not fired. A dropped sleep
    /// leaves at once, so this goes back to where it was.
    pub fn pending(&self) -> usize {
        self.shared.lock().timers.len()
    }

    /// The nearest pending deadline, if any.
    pub fn next_deadline(&self) -> Option<Instant> {
        let state = self.shared.lock();
        state.timers.first_key_value().map(|(key, _)| key.deadline)
    }
}
// ANCHOR_END: handle

// ANCHOR: register
impl Handle {
    /// Registers a timer that wakes `waker` once `deadline` has passed.
    pub(crate) fn register(&self, deadline: Instant, waker: &Waker) -> Key {
        let (key, unpark) = Shared::insert(&mut self.shared.lock(), deadline, waker.clone());
        self.shared.unpark_if(unpark);
        key
    }

    /// Keeps the waker of the latest poll. Returns `false` if the timer is
    /// no longer in the store (it fired).
    pub(crate) fn set_waker(&self, key: Key, waker: &Waker) -> bool {
        let mut state = self.shared.lock();
        match state.timers.get_mut(&key) {
            Some(stored) => {
                // `will_wake` skips the clone (an atomic increment, and a
                // decrement for the old one) when the task did not change.
                if !stored.will_wake(waker) {
                    *stored = waker.clone();
                }
                true
            }
            None => false,
        }
    }

    /// Removes a timer (a sleep was dropped). Nothing happens if it fired.
    pub(crate) fn deregister(&self, key: Key) {
        let waker = self.shared.lock().timers.remove(&key);
        // Dropped outside the lock: a waker's drop may free its task, whose
        // future may own sleeps, whose drop takes this lock.
        drop(waker);
    }

    /// Moves a timer to a new deadline, keeping its waker. Returns the new
    /// key, or `None` if the timer had already fired (there is no waker to
    /// move; the sleep registers again on its next poll).
    pub(crate) fn reset(&self, key: Key, deadline: Instant) -> Option<Key> {
        let (key, unpark) = {
            let mut state = self.shared.lock();
            let waker = state.timers.remove(&key)?;
            Shared::insert(&mut state, deadline, waker)
        };
        self.shared.unpark_if(unpark);
        Some(key)
    }
}
// ANCHOR_END: register

// ANCHOR: driver_side
impl Handle {
    /// Called by the driver before it parks: how long it may sleep, given
    /// that it was asked to wait `limit` at most (`None`: no limit). Records
    /// the answer, so that an earlier timer registered meanwhile unparks it.
    pub(crate) fn park_timeout(&self, now: Instant, limit: Option<Duration>) -> Option<Duration> {
        let mut state = self.shared.lock();
        let until_next = state
            .timers
            .first_key_value()
            .map(|(key, _)| key.deadline.saturating_duration_since(now));
        let wait = match (limit, until_next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        state.parked = match wait {
            None => Parked::Forever,
            Some(wait) => Parked::Until(now + wait),
        };
        wait
    }

    /// Called by the driver after it wakes: removes every timer whose
    /// deadline is at or before `now` and moves its waker to `to_wake`, in
    /// deadline order. The caller wakes them once the lock is released.
    pub(crate) fn fire_expired(&self, now: Instant, to_wake: &mut Vec<Waker>) {
        let mut state = self.shared.lock();
        state.parked = Parked::No;
        while let Some(entry) = state.timers.first_entry() {
            if entry.key().deadline > now {
                break;
            }
            to_wake.push(entry.remove());
        }
    }
}
// ANCHOR_END: driver_side

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("pending", &self.pending())
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// The timer store of the runtime running on this thread (chapter 3's
    /// `Current`, as the executor and the reactor keep theirs).
    static CURRENT: Current<Handle> = const { Current::new() };
}

/// Restores the thread's previous timer store when dropped.
pub type EnterGuard = executor::EnterGuard<Handle>;
