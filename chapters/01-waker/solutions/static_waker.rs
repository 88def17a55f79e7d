//! Exercise 1.3, solved: a waker without an `Arc`.

use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{RawWaker, RawWakerVTable, Waker};

/// A waker that adds one to `counter` each time it is woken.
pub fn counting_waker(counter: &'static AtomicUsize) -> Waker {
    let data = ptr::from_ref(counter).cast::<()>();
    // SAFETY: `data` points to a `&'static AtomicUsize`, which is valid for
    // the whole program and may be used from any thread; the functions in
    // `VTABLE` only ever read it as that, and none of them frees anything.
    unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
}

/// One `static` (not a `const`): one address, so that `will_wake`, which
/// compares the vtable pointers too, sees two of our wakers as the same.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);

/// Copying is copying the pointer: there is no count to raise.
unsafe fn clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

/// `wake` and `wake_by_ref` are the same: consuming the waker releases
/// nothing.
unsafe fn wake(data: *const ()) {
    // SAFETY: `data` came from `counting_waker`, so it is a valid
    // `&'static AtomicUsize`.
    let counter = unsafe { &*data.cast::<AtomicUsize>() };
    counter.fetch_add(1, Ordering::SeqCst);
}

/// Nothing to release: the counter is `'static` and not owned by the waker.
unsafe fn drop(_data: *const ()) {}
