//! "The runtime running on this thread": a handle that code deep inside a
//! task can find without being handed it.
//!
//! `spawn` finds the executor this way, and from chapter 4 on `Async::new`
//! finds the reactor, `sleep` the timer store, and chapter 10's sockets the
//! ring. Each keeps its handle in a thread-local of its own, declared where
//! its `Handle` is; this type is the one way they all set and read it.
//! `block_on` enters its handle for as long as it runs, so every task it
//! polls sees it; the guard puts back what was there before, so runtimes
//! nest (a test may run one inside another's `block_on`).

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;
use std::thread::LocalKey;

// ANCHOR: current
/// The slot of one thread-local "current" handle. Declare it with
/// `thread_local! { static CURRENT: Current<Handle> = const { Current::new() }; }`.
pub struct Current<T: 'static> {
    slot: RefCell<Option<T>>,
}

impl<T: Clone + 'static> Current<T> {
    /// An empty slot: nothing is current until a guard enters a handle.
    pub const fn new() -> Self {
        Current {
            slot: RefCell::new(None),
        }
    }

    /// The handle entered on this thread, if any.
    pub fn get(key: &'static LocalKey<Current<T>>) -> Option<T> {
        key.with(|current| current.slot.borrow().clone())
    }

    /// Calls `body` with the handle entered on this thread, borrowed, or
    /// with `None`. `body` must not enter a handle on this key (nor drop a
    /// guard of it): the slot stays borrowed while it runs.
    pub fn with<R>(key: &'static LocalKey<Current<T>>, body: impl FnOnce(Option<&T>) -> R) -> R {
        key.with(|current| body(current.slot.borrow().as_ref()))
    }

    /// Whether the handle entered on this thread passes `test`, without
    /// cloning it. `false` if none is, or if the thread is tearing down its
    /// thread-locals (a waker dropped by another thread-local's destructor).
    pub fn is(key: &'static LocalKey<Current<T>>, test: impl FnOnce(&T) -> bool) -> bool {
        key.try_with(|current| current.slot.borrow().as_ref().is_some_and(test))
            .unwrap_or(false)
    }

    /// Makes `handle` current on this thread until the guard is dropped.
    pub fn enter(key: &'static LocalKey<Current<T>>, handle: T) -> EnterGuard<T> {
        let previous = key.with(|current| current.slot.replace(Some(handle)));
        EnterGuard {
            key,
            previous,
            _not_send: PhantomData,
        }
    }
}

/// Puts back the handle that was current before it was entered, when
/// dropped. It must be dropped on the thread that entered, so it is not
/// `Send` (`PhantomData<*const ()>`): moved to another thread, it would
/// overwrite that thread's current handle instead.
#[must_use = "the handle stays current only while the guard lives"]
pub struct EnterGuard<T: 'static> {
    key: &'static LocalKey<Current<T>>,
    previous: Option<T>,
    _not_send: PhantomData<*const ()>,
}

impl<T: 'static> Drop for EnterGuard<T> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let left = self.key.with(|current| current.slot.replace(previous));
        // Dropped after the slot is released: the last reference to a
        // runtime's shared half may go here, and dropping it runs code
        // (a task's future) that may look at this very slot.
        drop(left);
    }
}
// ANCHOR_END: current

impl<T: Clone + 'static> Default for Current<T> {
    fn default() -> Self {
        Current::new()
    }
}

impl<T: 'static> fmt::Debug for EnterGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard")
            .field("restores_a_handle", &self.previous.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: 'static> fmt::Debug for Current<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Current")
            .field("entered", &self.slot.try_borrow().map(|s| s.is_some()).ok())
            .finish()
    }
}
