//! The task state machine, observed from outside: polls are counted by the
//! futures themselves, and `Handle::live_tasks` tells when a task is freed.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{counted, has_waker, spawn_waiting, wake, waker_slot};
use executor::{Handle, Runtime, spawn, yield_now};
use testkit::DropFlag;

// ANCHOR: wake_after_completion
#[test]
fn wake_after_completion_does_not_repoll() {
    testkit::within("wake after completion", || {
        let mut runtime = Runtime::new();
        let (polls, slot) = (Arc::new(AtomicUsize::new(0)), waker_slot());
        // Ready on its first poll, leaving its waker behind like a stale
        // entry in a reactor's table.
        let task = runtime.spawn(counted(polls.clone(), slot.clone(), 1));
        runtime.block_on(task).expect("the task completes");

        for _ in 0..3 {
            wake(&slot);
        }
        assert_eq!(
            runtime.handle().queued_tasks(),
            0,
            "a finished task was queued"
        );
        runtime.block_on(async {
            yield_now().await; // give the executor every chance to re-poll
            yield_now().await;
        });
        assert_eq!(
            polls.load(Ordering::SeqCst),
            1,
            "a finished task was polled again"
        );

        // The stale waker keeps the (empty) task alive, and only that.
        assert_eq!(runtime.handle().live_tasks(), 1);
        drop(slot.lock().unwrap().take());
        assert_eq!(runtime.handle().live_tasks(), 0);
    });
}
// ANCHOR_END: wake_after_completion

// ANCHOR: queued_once
#[test]
fn waking_a_task_many_times_queues_it_once() {
    testkit::within("many wakes, one poll", || {
        let mut runtime = Runtime::new();
        let (polls, slot) = (Arc::new(AtomicUsize::new(0)), waker_slot());
        runtime.block_on(async {
            // Never ready: every queue entry would show up as one more poll.
            spawn(counted(polls.clone(), slot.clone(), 0));
            while !has_waker(&slot) {
                yield_now().await;
            }
            for _ in 0..1000 {
                wake(&slot);
            }
            assert_eq!(Handle::current().queued_tasks(), 1);
            for _ in 0..10 {
                yield_now().await;
            }
        });
        assert_eq!(
            polls.load(Ordering::SeqCst),
            2,
            "1000 wakes must cause one poll"
        );
    });
}
// ANCHOR_END: queued_once

// ANCHOR: last_waker
#[test]
fn dropping_the_last_waker_of_a_pending_task_keeps_it_until_shutdown() {
    testkit::within("the runtime keeps a task nothing can wake", || {
        let mut runtime = Runtime::new();
        let waiting = spawn_waiting(&mut runtime);
        assert_eq!(runtime.handle().live_tasks(), 1);

        // Nothing can wake the task any more, but it is the runtime's: it
        // is neither freed nor dropped here, on whatever thread this is.
        drop(waiting.slot.lock().unwrap().take());
        assert_eq!(runtime.handle().live_tasks(), 1, "the task was freed");
        assert!(
            !waiting.dropped.load(Ordering::SeqCst),
            "its future was dropped by a waker's drop"
        );
        assert!(
            !waiting.task.is_finished(),
            "its handle reported an outcome"
        );

        // Shutdown drops it, on the runtime's thread, and frees it.
        let handle = runtime.handle();
        drop(runtime);
        assert!(waiting.dropped.load(Ordering::SeqCst));
        // What is left is the memory its `JoinHandle` still refers to (the
        // join slot is part of the task); the handle's drop frees it.
        assert_eq!(handle.live_tasks(), 1, "more than the handle holds it");
        assert!(waker::block_on(waiting.task).unwrap_err().is_cancelled());
        assert_eq!(handle.live_tasks(), 0, "the task leaked");
    });
}
// ANCHOR_END: last_waker

#[test]
fn a_finished_task_drops_its_future_at_once() {
    testkit::within("finished task drops its future", || {
        let mut runtime = Runtime::new();
        let (guard, dropped) = DropFlag::new();
        let slot = waker_slot();
        let stale = slot.clone();
        let task = runtime.spawn(async move {
            let _guard = guard;
            // Leave a waker behind, so the task itself stays alive.
            std::future::poll_fn(|cx| {
                *stale.lock().unwrap() = Some(cx.waker().clone());
                std::task::Poll::Ready(())
            })
            .await
        });
        runtime.block_on(task).unwrap();
        assert_eq!(runtime.handle().live_tasks(), 1, "the waker keeps the task");
        assert!(
            dropped.load(Ordering::SeqCst),
            "but not what its future held"
        );
    });
}
