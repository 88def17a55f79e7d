//! The wakers of the futures waiting for one event (a token's cancellation,
//! a tracker's last task), each in a slot of its own.
//!
//! A slot per waiting future, freed when that future is dropped, is what
//! makes waiting cancel safe and leak-free: a `select` that drops a waiter
//! takes its waker out of the list at once, so a thousand abandoned waits
//! leave nothing behind, and a waiter polled again replaces its own waker
//! instead of adding another.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use slab::Slab;

/// Locks a state whose every change is a single assignment, so that a
/// panic under the lock cannot leave it half changed: a poisoned lock is
/// still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: waiters
/// The waiting futures' wakers, keyed by the slot each future remembers.
#[derive(Debug, Default)]
pub(crate) struct Waiters {
    wakers: Slab<Waker>,
    /// How many times [`take_all`](Self::take_all) emptied the list. A key
    /// from an earlier round names a slot that may belong to someone else
    /// by now (a tracker can be waited on, finish, and be waited on again).
    round: u64,
}

/// A waiting future's slot in [`Waiters`]: `None` until its first poll.
pub(crate) type Key = Option<(usize, u64)>;

impl Waiters {
    /// Stores `waker` in the slot `key` names, taking a slot on the first
    /// call (or when the key is from an emptied round). Returns the waker
    /// it replaced, for the caller to drop after unlocking: dropping a
    /// waker runs its code, and no code of others runs under our lock.
    pub(crate) fn register(&mut self, key: &mut Key, waker: &Waker) -> Option<Waker> {
        match *key {
            Some((slot, round)) if round == self.round => {
                let stored = &mut self.wakers[slot];
                if stored.will_wake(waker) {
                    None
                } else {
                    Some(std::mem::replace(stored, waker.clone()))
                }
            }
            _ => {
                *key = Some((self.wakers.insert(waker.clone()), self.round));
                None
            }
        }
    }

    /// Frees the slot of a waiter that is going away without its event.
    pub(crate) fn remove(&mut self, key: &mut Key) -> Option<Waker> {
        match key.take() {
            Some((slot, round)) if round == self.round => self.wakers.try_remove(slot),
            _ => None,
        }
    }

    /// Empties the list: the wakers to wake once the lock is released.
    pub(crate) fn take_all(&mut self) -> Vec<Waker> {
        self.round += 1;
        self.wakers.drain().collect()
    }

    /// How many futures are waiting.
    pub(crate) fn len(&self) -> usize {
        self.wakers.len()
    }
}
// ANCHOR_END: waiters

// ANCHOR: wait_for
/// A future that completes once `done` holds for the state in `mutex`:
/// a token's `cancelled()`, a tracker's `wait()`. The one who makes `done`
/// true does it under the same lock and then wakes `waiters(state)`.
pub(crate) struct WaitFor<'a, T> {
    mutex: &'a Mutex<T>,
    done: fn(&T) -> bool,
    waiters: fn(&mut T) -> &mut Waiters,
    key: Key,
}

impl<'a, T> WaitFor<'a, T> {
    pub(crate) fn new(
        mutex: &'a Mutex<T>,
        done: fn(&T) -> bool,
        waiters: fn(&mut T) -> &mut Waiters,
    ) -> Self {
        WaitFor {
            mutex,
            done,
            waiters,
            key: None,
        }
    }

    /// Whether this future has a waker in the list.
    pub(crate) fn is_waiting(&self) -> bool {
        self.key.is_some()
    }
}

impl<T> Future for WaitFor<'_, T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let mut state = lock(this.mutex);
        // The condition and the list are read under one lock, the lock the
        // event is set under: either it happened before this (and we return
        // here) or whoever sets it will find our waker in the list.
        let (gone, result) = if (this.done)(&state) {
            (
                (this.waiters)(&mut state).remove(&mut this.key),
                Poll::Ready(()),
            )
        } else {
            let replaced = (this.waiters)(&mut state).register(&mut this.key, cx.waker());
            (replaced, Poll::Pending)
        };
        drop(state);
        drop(gone); // a waker is never dropped under our lock
        result
    }
}

impl<T> Drop for WaitFor<'_, T> {
    /// A waiter that gives up (it lost a `select`) leaves the list now.
    fn drop(&mut self) {
        if self.key.is_some() {
            let removed = (self.waiters)(&mut lock(self.mutex)).remove(&mut self.key);
            drop(removed);
        }
    }
}
// ANCHOR_END: wait_for
