//! What happens to tasks still pending when `block_on` returns, and when the
//! runtime is dropped.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{counted, wake, waker_slot};
use executor::{Runtime, yield_now};
use testkit::DropFlag;

// ANCHOR: main_returns
#[test]
fn tasks_left_pending_by_block_on_run_in_the_next_one() {
    testkit::within("pending tasks survive block_on", || {
        let mut runtime = Runtime::new();
        let (polls, slot) = (Arc::new(AtomicUsize::new(0)), waker_slot());
        let task = runtime.spawn(counted(polls.clone(), slot.clone(), 2));
        // The main future returns at once; the task has run once and waits.
        runtime.block_on(yield_now());
        assert_eq!(polls.load(Ordering::SeqCst), 1);
        assert_eq!(runtime.handle().live_tasks(), 1);

        wake(&slot); // between two block_on calls: it is queued, not lost
        runtime.block_on(task).expect("the task finishes next time");
        assert_eq!(polls.load(Ordering::SeqCst), 2);
    });
}
// ANCHOR_END: main_returns

// ANCHOR: drop_runtime
#[test]
fn dropping_the_runtime_cancels_pending_tasks() {
    testkit::within("shutdown cancels", || {
        let mut runtime = Runtime::new();
        let (waiting_guard, waiting_dropped) = DropFlag::new();
        let (queued_guard, queued_dropped) = DropFlag::new();
        let waiting = runtime.spawn(async move {
            let _guard = waiting_guard;
            // The task keeps its own waker: a cycle (task, future, waker,
            // task) that only cancelling the task can break.
            let own_waker = common::waker_slot();
            counted(Arc::new(AtomicUsize::new(0)), own_waker, 0).await
        });
        runtime.block_on(yield_now()); // `waiting` has run and waits
        let never_ran = runtime.spawn(async move {
            let _guard = queued_guard;
        });

        assert_eq!(runtime.handle().live_tasks(), 2);
        let handle = runtime.handle();
        drop(runtime);
        assert!(waiting_dropped.load(Ordering::SeqCst));
        assert!(queued_dropped.load(Ordering::SeqCst));
        // Only the two `JoinHandle`s still refer to their tasks (each
        // task's join slot is part of it), not the runtime, nor a cycle.
        assert_eq!(handle.live_tasks(), 2, "tasks leaked at shutdown");
        // A JoinHandle is a future like any other: chapter 1's block_on
        // can wait for it, and it reports the cancellation.
        assert!(waker::block_on(waiting).unwrap_err().is_cancelled());
        assert!(waker::block_on(never_ran).unwrap_err().is_cancelled());
        assert_eq!(handle.live_tasks(), 0, "tasks leaked at shutdown");
    });
}
// ANCHOR_END: drop_runtime

#[test]
fn spawning_after_the_runtime_is_dropped_reports_cancelled() {
    testkit::within("spawn after shutdown", || {
        let runtime = Runtime::new();
        let handle = runtime.handle();
        drop(runtime);
        let (guard, dropped) = DropFlag::new();
        let task = handle.spawn(async move {
            let _guard = guard;
        });
        assert!(
            dropped.load(Ordering::SeqCst),
            "the future is dropped at once"
        );
        assert!(waker::block_on(task).unwrap_err().is_cancelled());
        assert_eq!(handle.live_tasks(), 0);
    });
}

#[test]
fn a_future_dropped_at_shutdown_may_spawn_and_wake_without_deadlock() {
    testkit::within("destructor that spawns", || {
        struct SpawnOnDrop;
        impl Drop for SpawnOnDrop {
            fn drop(&mut self) {
                // Runs while the runtime shuts down: must neither deadlock
                // nor queue anything.
                drop(executor::spawn(async {}));
            }
        }
        let mut runtime = Runtime::new();
        runtime.spawn(async move {
            let _spawner = SpawnOnDrop;
            std::future::pending::<()>().await
        });
        runtime.block_on(yield_now());
        let handle = runtime.handle();
        drop(runtime);
        assert_eq!(handle.live_tasks(), 0);
    });
}
