//! Put a thread to sleep until someone has something for it.
//!
//! `std::thread::park` alone is not enough to build an executor on. Its
//! token keeps an `unpark` that comes before the `park`, but the token
//! belongs to the thread: any code on it may consume it (a blocking channel
//! receive parks too), any code holding the `Thread` may set it, and `park`
//! may also return for no reason at all (a *spurious* wakeup). A `Parker`
//! adds the one bit of state that only our wakes set: "you have been
//! notified".

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use crate::raw_waker::{self, ArcWake};

// ANCHOR: parker
/// The sleeping side. It belongs to the thread that created it.
///
/// ```
/// use std::thread;
/// use waker::Parker;
///
/// let parker = Parker::new();
/// let waker = parker.unparker().waker();
/// thread::spawn(move || waker.wake());
/// parker.park(); // returns once the waker has been called, never before
/// ```
///
/// Its `Unparker` wakes the thread that created it, so a `Parker` moved to
/// another thread would sleep through every wake. The type says so: it is
/// not `Send`, and the mistake does not compile (only the `Unparker` and
/// its wakers cross threads):
///
/// ```compile_fail,E0277
/// let parker = waker::Parker::new();
/// std::thread::spawn(move || parker.park());
/// ```
#[derive(Debug)]
pub struct Parker {
    inner: Arc<Inner>,
    /// `*const ()` is neither `Send` nor `Sync`: pins the parker to its
    /// thread.
    _not_send: PhantomData<*const ()>,
}

/// The waking side: cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct Unparker {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    thread: Thread,
    /// Set by `unpark`, cleared by `park`. The thread's own park token
    /// cannot tell our wake from anyone else's `unpark`, or a spurious
    /// return, and other code on the thread may consume it first; this bit
    /// is touched by nobody else, so `park` returns exactly when it was set.
    notified: AtomicBool,
}
// ANCHOR_END: parker

impl Parker {
    /// A parker for the current thread.
    #[allow(clippy::new_without_default)] // bound to the calling thread: not a neutral default
    pub fn new() -> Self {
        Parker {
            inner: Arc::new(Inner {
                thread: thread::current(),
                notified: AtomicBool::new(false),
            }),
            _not_send: PhantomData,
        }
    }

    /// The handle other threads (and wakers) use to wake this one.
    pub fn unparker(&self) -> Unparker {
        Unparker {
            inner: self.inner.clone(),
        }
    }

    // ANCHOR: park
    /// Sleep until `unpark` has been called at least once since the last
    /// `park` returned. Returns at once if that already happened.
    pub fn park(&self) {
        self.assert_owner();
        // `swap(false)` both checks and consumes the notification. `Acquire`
        // pairs with the `Release` in `unpark`, so whatever the waker wrote
        // before waking us (a value in a channel, say) is visible now.
        while !self.inner.notified.swap(false, Ordering::Acquire) {
            // Returns on `unpark`, but also spuriously: the loop re-checks.
            thread::park();
        }
    }
    // ANCHOR_END: park

    /// Like `park`, but gives up after `timeout`. Returns whether it was
    /// notified (`false` means the time ran out).
    pub fn park_timeout(&self, timeout: Duration) -> bool {
        self.assert_owner();
        let deadline = Instant::now() + timeout;
        loop {
            if self.inner.notified.swap(false, Ordering::Acquire) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            thread::park_timeout(deadline - now);
        }
    }

    /// `unpark` wakes the thread that created the parker, so parking on any
    /// other thread would sleep through every wake. The type is not `Send`,
    /// so safe code cannot get there; this catches what `unsafe` code might.
    fn assert_owner(&self) {
        debug_assert_eq!(
            thread::current().id(),
            self.inner.thread.id(),
            "a Parker must be parked on the thread that created it"
        );
    }
}

impl Unparker {
    // ANCHOR: unpark
    /// Wake the parked thread, or make its next `park` return at once.
    pub fn unpark(&self) {
        // Only the first notification since the last `park` needs the
        // (comparatively costly) `Thread::unpark`; later ones find the flag
        // already set and do nothing.
        if !self.inner.notified.swap(true, Ordering::Release) {
            self.inner.thread.unpark();
        }
    }
    // ANCHOR_END: unpark

    /// A `Waker` that unparks this thread, built with the hand-written vtable.
    pub fn waker(&self) -> std::task::Waker {
        raw_waker::waker(self.inner.clone())
    }
}

impl ArcWake for Inner {
    fn wake_by_ref(self: &Arc<Self>) {
        Unparker {
            inner: Arc::clone(self),
        }
        .unpark();
    }
}
