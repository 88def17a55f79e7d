//! Small futures the tests share: each makes one situation easy to set up.
// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::future::{Future, poll_fn};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use executor::{JoinHandle, Runtime, yield_now};
use testkit::DropFlag;

/// Where a future leaves its waker for the test to use (or drop) later, the
/// way a reactor keeps a waker in its table.
pub type WakerSlot = Arc<Mutex<Option<Waker>>>;

pub fn waker_slot() -> WakerSlot {
    Arc::new(Mutex::new(None))
}

/// Wakes the waker left in `slot`, keeping it there.
pub fn wake(slot: &WakerSlot) {
    slot.lock()
        .unwrap()
        .as_ref()
        .expect("a waker was left")
        .wake_by_ref();
}

/// Whether a future has left its waker in `slot` yet.
pub fn has_waker(slot: &WakerSlot) -> bool {
    slot.lock().unwrap().is_some()
}

/// A future that counts its polls in `polls`, leaves its waker in `slot`,
/// and is ready on its `ready_on`-th poll (never, if `ready_on` is 0).
pub fn counted(
    polls: Arc<AtomicUsize>,
    slot: WakerSlot,
    ready_on: usize,
) -> impl Future<Output = ()> {
    poll_fn(move |cx| {
        let n = polls.fetch_add(1, Ordering::SeqCst) + 1;
        *slot.lock().unwrap() = Some(cx.waker().clone());
        if n == ready_on {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
}

/// A task that waits for good, as on a socket that never becomes ready: its
/// waker stays in `slot`, it counts its `polls`, and `dropped` says when its
/// future has been dropped.
pub struct Waiting {
    pub task: JoinHandle<()>,
    pub polls: Arc<AtomicUsize>,
    pub slot: WakerSlot,
    pub dropped: Arc<AtomicBool>,
}

/// Spawns a [`Waiting`] task and runs `runtime` until it has been polled
/// once and waits.
pub fn spawn_waiting(runtime: &mut Runtime) -> Waiting {
    let (polls, slot) = (Arc::new(AtomicUsize::new(0)), waker_slot());
    let (guard, dropped) = DropFlag::new();
    let future = counted(polls.clone(), slot.clone(), 0);
    let task = runtime.spawn(async move {
        let _guard = guard;
        future.await
    });
    runtime.block_on(async {
        while !has_waker(&slot) {
            yield_now().await;
        }
    });
    Waiting {
        task,
        polls,
        slot,
        dropped,
    }
}
