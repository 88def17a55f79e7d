//! A `Waker` built by hand from a `RawWakerVTable`.
//!
//! A `Waker` is two words: a data pointer and a pointer to four functions
//! (clone, wake, wake_by_ref, drop). The standard library does not care what
//! the data pointer is; here it is an `Arc<W>` turned into a raw pointer, so
//! the four functions are exactly the four things one can do with a
//! reference-counted pointer: copy it, consume it, borrow it, and release it.
//! Getting the counts right is the whole job: one increment too few is a
//! use-after-free, one too many is a leak.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::task::{RawWaker, RawWakerVTable, Waker};

// ANCHOR: arc_wake
/// What a task (or a thread, or anything else) does when it is woken.
///
/// This is the same contract as `std::task::Wake`; it is spelled out here so
/// that the vtable below has something to call.
pub trait ArcWake: Send + Sync + 'static {
    /// Wake without giving up this reference.
    fn wake_by_ref(self: &Arc<Self>);

    /// Wake and give up this reference. Override it when consuming the `Arc`
    /// saves work (for example, moving it into a queue without a clone).
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
}
// ANCHOR_END: arc_wake

// ANCHOR: waker_fn
/// Turns an `Arc<W>` into a `Waker`. The waker owns one strong reference.
pub fn waker<W: ArcWake>(wake: Arc<W>) -> Waker {
    let data = Arc::into_raw(wake).cast::<()>();
    // SAFETY: `data` came from `Arc::into_raw` of an `Arc<W>` and carries one
    // strong count, which the new waker now owns. `vtable::<W>()` holds the
    // functions that treat the pointer as exactly that, so every contract
    // of `RawWakerVTable` (see the functions below) is kept.
    unsafe { Waker::from_raw(RawWaker::new(data, vtable::<W>())) }
}
// ANCHOR_END: waker_fn

// ANCHOR: waker_ref
/// A `Waker` that borrows `wake` instead of owning a count of it: for an
/// executor that polls a task it holds anyway, so that a poll costs no
/// increment and decrement of the task's count. `Deref`s to `Waker`;
/// cloning that gives an ordinary, owning waker.
pub fn waker_ref<W: ArcWake>(wake: &Arc<W>) -> WakerRef<'_> {
    let data = Arc::as_ptr(wake).cast::<()>();
    // SAFETY: `data` points into an `Arc<W>` that `wake` keeps alive for
    // 'a, and the vtable treats it as such. The waker is wrapped in
    // `ManuallyDrop` and never dropped, so it never releases the count it
    // does not own; `clone` adds a count of its own, and `wake` (by value)
    // cannot be called on it: `WakerRef` only hands out `&Waker`.
    let waker = unsafe { Waker::from_raw(RawWaker::new(data, vtable::<W>())) };
    WakerRef {
        waker: ManuallyDrop::new(waker),
        _borrow: PhantomData,
    }
}

/// A borrowed waker: see [`waker_ref`].
#[derive(Debug)]
pub struct WakerRef<'a> {
    waker: ManuallyDrop<Waker>,
    _borrow: PhantomData<&'a ()>,
}

impl std::ops::Deref for WakerRef<'_> {
    type Target = Waker;

    fn deref(&self) -> &Waker {
        &self.waker
    }
}
// ANCHOR_END: waker_ref

// ANCHOR: vtable
/// The vtable for type `W`. A `static` cannot depend on `W`, so this is a
/// constant promoted to static memory. `will_wake` compares vtable addresses,
/// and Rust does not promise one address per promoted constant (a generic
/// function is instantiated per codegen unit, and each copy may carry its
/// own): two wakers of one task usually `will_wake` each other, but may not.
/// `will_wake` is documented as best-effort, so a false answer only costs the
/// caller a clone.
fn vtable<W: ArcWake>() -> &'static RawWakerVTable {
    &RawWakerVTable::new(
        VTable::<W>::clone,
        VTable::<W>::wake,
        VTable::<W>::wake_by_ref,
        VTable::<W>::drop,
    )
}

struct VTable<W>(PhantomData<W>);

impl<W: ArcWake> VTable<W> {
    /// Copy the waker: one more strong count for the copy.
    unsafe fn clone(data: *const ()) -> RawWaker {
        // SAFETY: `data` is a pointer from `Arc::<W>::into_raw` whose count is
        // owned by the waker being cloned, so the allocation is alive here.
        // The new count belongs to the new `RawWaker` we return.
        unsafe { Arc::increment_strong_count(data.cast::<W>()) };
        RawWaker::new(data, vtable::<W>())
    }

    /// `Waker::wake(self)`: the waker is consumed, so its count is handed to
    /// `W::wake`, which drops it (or keeps it, by moving the `Arc` on).
    unsafe fn wake(data: *const ()) {
        // SAFETY: the consumed waker owned exactly one count; `from_raw`
        // takes that one over, and no one uses `data` after this call.
        let arc = unsafe { Arc::from_raw(data.cast::<W>()) };
        W::wake(arc);
    }

    /// `Waker::wake_by_ref(&self)`: the waker stays alive, so its count must
    /// not be released. `ManuallyDrop` borrows the `Arc` without dropping it.
    unsafe fn wake_by_ref(data: *const ()) {
        // SAFETY: the waker still owns its count and lives for this call; the
        // `ManuallyDrop` never runs `Arc::drop`, so the count is unchanged.
        let arc = ManuallyDrop::new(unsafe { Arc::from_raw(data.cast::<W>()) });
        W::wake_by_ref(&arc);
    }

    /// The waker is dropped without waking: release its count.
    unsafe fn drop(data: *const ()) {
        // SAFETY: the dropped waker owned exactly one count, released here
        // once; the waker is gone, so nobody reads `data` again.
        drop(unsafe { Arc::from_raw(data.cast::<W>()) });
    }
}
// ANCHOR_END: vtable
