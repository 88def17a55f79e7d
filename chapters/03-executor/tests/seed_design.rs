//! The seed design's two failures, proved on `executor::counterexample::seed` (a deliberate
//! counter-example), next to the proof that `Runtime` does not have them.

mod common;

use std::future::poll_fn;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

use common::{WakerSlot, counted, has_waker, wake, waker_slot};
use executor::counterexample::seed::SeedExecutor;
use executor::{Runtime, yield_now};

/// An `async` block that leaves its waker in `slot` and finishes: the waker
/// left behind is stale, like the losing branch of a `select`.
async fn finish_leaving_a_waker(slot: WakerSlot) {
    poll_fn(|cx| {
        *slot.lock().unwrap() = Some(cx.waker().clone());
        Poll::Ready(())
    })
    .await;
}

// ANCHOR: seed_repoll
#[test]
fn seed_design_repolls_a_finished_task_and_panics() {
    testkit::within("seed re-poll", || {
        let executor = SeedExecutor::new(16);
        let slot = waker_slot();
        executor.spawn(finish_leaving_a_waker(slot.clone()));
        executor.run_until_idle(); // the task finishes

        wake(&slot); // the stale waker sends the finished task back
        let panic = panic::catch_unwind(AssertUnwindSafe(|| executor.run_until_idle()))
            .expect_err("polling a finished async block panics");
        let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
        assert_eq!(message, "`async fn` resumed after completion");
    });
}

#[test]
fn runtime_never_repolls_a_finished_task() {
    testkit::within("runtime no re-poll", || {
        let mut runtime = Runtime::new();
        let slot = waker_slot();
        let task = runtime.spawn(finish_leaving_a_waker(slot.clone()));
        runtime.block_on(task).unwrap();

        wake(&slot); // the same stale wake: the task is DONE, nothing happens
        assert_eq!(runtime.handle().queued_tasks(), 0);
        runtime.block_on(yield_now()); // let the executor run its queue
        assert_eq!(
            runtime.handle().live_tasks(),
            1,
            "only the stale waker holds it"
        );
    });
}
// ANCHOR_END: seed_repoll

// ANCHOR: seed_deadlock
/// One task waits; another, on the same thread, wakes it `wakes` times, as a
/// reactor reporting several events would. Returns how often the waiting
/// task was polled, and how many of the wakes have returned.
fn sleeper_and_notifier(
    wakes: usize,
    spawn: impl Fn(std::pin::Pin<Box<dyn Future<Output = ()> + Send>>),
) -> (Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let (polls, slot) = (Arc::new(AtomicUsize::new(0)), waker_slot());
    let sent = Arc::new(AtomicUsize::new(0));
    spawn(Box::pin(counted(polls.clone(), slot.clone(), 0)));
    spawn(Box::pin({
        let sent = sent.clone();
        async move {
            while !has_waker(&slot) {
                yield_now().await;
            }
            for _ in 0..wakes {
                wake(&slot);
                sent.fetch_add(1, Ordering::SeqCst);
            }
        }
    }));
    (polls, sent)
}

#[test]
#[cfg_attr(
    miri,
    ignore = "leaves its deadlocked executor thread behind for good, which Miri reports as an error when the test's main thread exits"
)]
fn seed_design_deadlocks_when_a_wake_finds_the_queue_full() {
    testkit::within("seed deadlock", || {
        let (done_tx, done_rx) = mpsc::channel();
        let (sent_tx, sent_rx) = mpsc::channel();
        // The executor runs on a helper thread, because it never comes back.
        thread::spawn(move || {
            let executor = SeedExecutor::new(4);
            let (_, sent) = sleeper_and_notifier(10, |future| executor.spawn(future));
            sent_tx.send(sent).unwrap();
            executor.run_until_idle();
            let _ = done_tx.send(());
        });
        let sent = sent_rx.recv().unwrap();
        // The fifth wake blocks in `send`, on the one thread that could make
        // room in the queue. (The helper thread stays blocked until the test
        // process exits: that is the bug.)
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(2)),
            Err(mpsc::RecvTimeoutError::Timeout),
            "the seed executor finished: it was supposed to deadlock"
        );
        assert_eq!(sent.load(Ordering::SeqCst), 4, "stuck in the fifth wake");
    });
}

/// Ten thousand; a thousand under Miri, which interprets every wake.
const WAKES: usize = if cfg!(miri) { 1_000 } else { 10_000 };

#[test]
fn runtime_never_blocks_a_wake() {
    testkit::within("runtime wakes never block", || {
        let mut runtime = Runtime::new();
        let (polls, sent) = sleeper_and_notifier(WAKES, |future| drop(runtime.spawn(future)));
        runtime.block_on(async {
            for _ in 0..10 {
                yield_now().await;
            }
        });
        // Ten thousand wakes, one more poll: the task was queued once.
        assert_eq!(sent.load(Ordering::SeqCst), WAKES);
        assert_eq!(polls.load(Ordering::SeqCst), 2);
    });
}
// ANCHOR_END: seed_deadlock

#[test]
#[cfg_attr(
    miri,
    ignore = "the seed executor has no shutdown: its never-ready task and the waker kept in the task's own slot form a reference cycle, which Miri reports as a leak"
)]
fn seed_design_queues_a_task_once_per_wake() {
    testkit::within("seed queues every wake", || {
        // The same scenario with room for every wake: no deadlock, but each wake
        // is one more poll.
        let executor = SeedExecutor::new(64);
        let (polls, _) = sleeper_and_notifier(10, |future| executor.spawn(future));
        executor.run_until_idle();
        assert_eq!(polls.load(Ordering::SeqCst), 11);
    });
}
