//! The table of operations in flight: one slot per submitted operation,
//! keyed by the `user_data` the kernel hands back in its completion.
//!
//! With readiness (chapter 4) the table held *sources*: a socket is
//! registered once and waited on many times. With completion it holds
//! *operations*: every read, write or accept gets a slot when it is
//! submitted and loses it when its completion has been taken. The slot is
//! also where a buffer lives when nobody else can keep it alive: the future
//! that asked for the operation was dropped, and the kernel has not said it
//! is done with the memory yet.

use std::any::Any;
use std::task::Waker;

use slab::Slab;

// ANCHOR: key
/// Names one operation: its slot, and the generation the slot had when the
/// operation was submitted. A completion for a freed slot that was reused
/// carries the old generation and reaches nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    pub(crate) slot: u32,
    pub(crate) generation: u32,
}

impl Key {
    /// The `user_data` of the operation's submission and completion.
    pub(crate) fn user_data(self) -> u64 {
        (u64::from(self.generation) << 32) | u64::from(self.slot)
    }

    pub(crate) fn from_user_data(user_data: u64) -> Key {
        Key {
            slot: user_data as u32,
            generation: (user_data >> 32) as u32,
        }
    }
}

/// The `user_data` of the driver's own eventfd read (its unpark). No key
/// has it: that would need slot `u32::MAX`, and the slab never gets there.
pub(crate) const UNPARK: u64 = u64::MAX;
/// The `user_data` of cancellation requests, whose own completions only
/// say whether the target was found; nothing waits for them.
pub(crate) const CANCEL: u64 = u64::MAX - 1;
// ANCHOR_END: key

// ANCHOR: lifecycle
/// Where an operation is between its submission and its end.
pub(crate) enum Lifecycle {
    /// In the kernel's hands; the future waits (with the waker of its last
    /// poll, once polled).
    Waiting(Option<Waker>),
    /// The kernel completed it with this result (a count, or `-errno`); the
    /// future takes it on its next poll.
    Completed(i32),
    /// The future was dropped first. The slot now owns whatever the kernel
    /// may still be writing to or reading from (buffers, the socket), and
    /// frees it only when the completion arrives.
    Abandoned(Leftover),
}
// ANCHOR_END: lifecycle

// ANCHOR: leftover
/// What an abandoned operation leaves for the driver: the resources the
/// kernel may still use, and what to do with a result nobody will read.
///
/// Dropping the resources is not always enough. An `accept` that completes
/// after its future was dropped (a cancellation that came too late) has
/// made a new descriptor, which exists only as the number in its result:
/// dropped with the result, it would stay open for the life of the process,
/// and the client would wait for ever for an end of file. The operation's
/// `cleanup` gets that result and closes the descriptor.
pub(crate) struct Leftover {
    pub(crate) keep: Box<dyn Any + Send>,
    pub(crate) cleanup: Option<Cleanup>,
}

/// Gets the result of an operation whose future was dropped. `-ECANCELED`
/// when the kernel never ran it (cancelled in time, or never submitted).
pub(crate) type Cleanup = Box<dyn FnOnce(i32) + Send>;

impl Leftover {
    /// The operation is over with `result`: clean up what it produced, then
    /// free what it kept alive.
    pub(crate) fn finish(self, result: i32) {
        if let Some(cleanup) = self.cleanup {
            cleanup(result);
        }
        drop(self.keep);
    }
}
// ANCHOR_END: leftover

pub(crate) struct Entry {
    generation: u32,
    pub(crate) lifecycle: Lifecycle,
}

/// The slab of operations, with the next generation to hand out.
#[derive(Default)]
pub(crate) struct Ops {
    slots: Slab<Entry>,
    next_generation: u32,
}

impl Ops {
    pub(crate) fn insert(&mut self) -> Key {
        let generation = self.next_generation;
        self.next_generation = generation.wrapping_add(1);
        let slot = self.slots.insert(Entry {
            generation,
            lifecycle: Lifecycle::Waiting(None),
        });
        Key {
            slot: u32::try_from(slot).expect("fewer than 2^32 operations in flight"),
            generation,
        }
    }

    /// The entry `key` names, if it is still that operation's.
    pub(crate) fn get_mut(&mut self, key: Key) -> Option<&mut Entry> {
        self.slots
            .get_mut(key.slot as usize)
            .filter(|entry| entry.generation == key.generation)
    }

    pub(crate) fn remove(&mut self, key: Key) -> Option<Entry> {
        self.get_mut(key)?;
        Some(self.slots.remove(key.slot as usize))
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Operations the kernel has not finished (completed ones only wait
    /// for their future to take the result).
    pub(crate) fn unfinished(&self) -> usize {
        self.slots
            .iter()
            .filter(|(_, entry)| !matches!(entry.lifecycle, Lifecycle::Completed(_)))
            .count()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.slots.iter().map(|(slot, entry)| Key {
            slot: slot as u32,
            generation: entry.generation,
        })
    }

    // ANCHOR: complete
    /// Records a completion. Returns the waker to wake (after the caller
    /// has released the lock), and pushes onto `free` what an abandoned
    /// operation left, with its result: the kernel is done with it now, and
    /// the caller finishes it once the lock is released.
    pub(crate) fn complete(
        &mut self,
        key: Key,
        result: i32,
        free: &mut Vec<(Leftover, i32)>,
    ) -> Option<Waker> {
        let entry = self.get_mut(key)?;
        // One completion ends an operation here, because this driver
        // submits nothing that completes several times: no multishot
        // accept or receive, no zero-copy send. Those set
        // `IORING_CQE_F_MORE` on every completion but the last
        // (`io_uring::cqueue::more`); a zero-copy send's last one is a
        // notification (`IORING_CQE_F_NOTIF`, `cqueue::notif`) that the
        // kernel is done with the buffer. Supporting them would mean
        // keeping the slot, and the buffer, while `more` says so.
        match std::mem::replace(&mut entry.lifecycle, Lifecycle::Completed(result)) {
            Lifecycle::Waiting(waker) => waker,
            Lifecycle::Abandoned(leftover) => {
                self.slots.remove(key.slot as usize);
                free.push((leftover, result));
                None
            }
            // Each operation completes once (we submit no multishot ones).
            Lifecycle::Completed(_) => unreachable!("an operation completed twice"),
        }
    }
    // ANCHOR_END: complete
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_slot_ignores_the_old_operations_completion() {
        let mut ops = Ops::default();
        let old = ops.insert();
        ops.remove(old);
        let new = ops.insert();
        assert_eq!(old.slot, new.slot, "the slab reuses the slot");
        let mut free = Vec::new();
        assert!(ops.complete(old, 5, &mut free).is_none());
        assert!(matches!(
            ops.get_mut(new).unwrap().lifecycle,
            Lifecycle::Waiting(None)
        ));
    }

    #[test]
    fn user_data_round_trips_and_never_collides_with_the_driver_tags() {
        let key = Key {
            slot: 7,
            generation: u32::MAX,
        };
        assert_eq!(Key::from_user_data(key.user_data()), key);
        assert_ne!(key.user_data(), UNPARK);
        assert_ne!(key.user_data(), CANCEL);
    }
}
