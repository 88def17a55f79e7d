//! `JoinHandle`: values, panics, detaching and aborting.

mod common;

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::Poll;

use common::{spawn_waiting, wake};
use executor::{Runtime, spawn, yield_now};

#[test]
fn join_handle_returns_the_task_value() {
    testkit::within("join value", || {
        let mut runtime = Runtime::new();
        let value = runtime.block_on(async {
            let task = spawn(async {
                yield_now().await;
                String::from("from the task")
            });
            task.await
        });
        assert_eq!(value.unwrap(), "from the task");
    });
}

// ANCHOR: panic_to_handle
#[test]
fn join_handle_returns_the_task_panic() {
    testkit::within("join panic", || {
        let mut runtime = Runtime::new();
        let error = runtime
            .block_on(spawn_and_await_a_panic())
            .expect_err("the task panicked");
        assert!(error.is_panic());
        assert_eq!(error.message(), Some("the task's own message"));
        assert_eq!(error.to_string(), "task panicked: the task's own message");
        // The payload can be re-raised where the caller wants the panic.
        let payload = error.into_panic();
        let raised = panic::catch_unwind(AssertUnwindSafe(|| panic::resume_unwind(payload)));
        assert_eq!(
            raised.unwrap_err().downcast_ref::<&str>(),
            Some(&"the task's own message")
        );
    });
}

async fn spawn_and_await_a_panic() -> Result<(), executor::JoinError> {
    spawn(async {
        yield_now().await;
        panic!("the task's own message");
    })
    .await
}

#[test]
fn a_panicking_task_does_not_stop_the_rest() {
    testkit::within("panic isolation", || {
        let mut runtime = Runtime::new();
        let finished = Arc::new(AtomicUsize::new(0));
        let results = runtime.block_on({
            let finished = finished.clone();
            async move {
                let handles: Vec<_> = (0..10)
                    .map(|i| {
                        let finished = finished.clone();
                        spawn(async move {
                            yield_now().await;
                            if i % 2 == 1 {
                                panic!("task {i} fails");
                            }
                            yield_now().await;
                            finished.fetch_add(1, Ordering::SeqCst);
                            i
                        })
                    })
                    .collect();
                let mut results = Vec::new();
                for handle in handles {
                    results.push(handle.await.map_err(|e| e.message().map(str::to_owned)));
                }
                results
            }
        });
        assert_eq!(finished.load(Ordering::SeqCst), 5);
        for (i, result) in results.into_iter().enumerate() {
            if i % 2 == 1 {
                assert_eq!(result, Err(Some(format!("task {i} fails"))));
            } else {
                assert_eq!(result, Ok(i));
            }
        }
        // And the runtime is as good as new.
        assert_eq!(
            runtime
                .block_on(async { spawn(async { 7 }).await })
                .unwrap(),
            7
        );
        assert_eq!(runtime.handle().live_tasks(), 0);
    });
}
// ANCHOR_END: panic_to_handle

// ANCHOR: detach
#[test]
fn dropping_a_join_handle_detaches_the_task() {
    testkit::within("detach", || {
        let mut runtime = Runtime::new();
        let ran = Arc::new(AtomicBool::new(false));
        runtime.block_on({
            let ran = ran.clone();
            async move {
                drop(spawn(async move {
                    yield_now().await;
                    ran.store(true, Ordering::SeqCst);
                }));
                for _ in 0..3 {
                    yield_now().await;
                }
            }
        });
        assert!(ran.load(Ordering::SeqCst), "a detached task still runs");
        assert_eq!(runtime.handle().live_tasks(), 0);
    });
}
// ANCHOR_END: detach

// ANCHOR: abort
#[test]
fn abort_drops_a_pending_task_without_polling_it_again() {
    testkit::within("abort", || {
        let mut runtime = Runtime::new();
        let waiting = spawn_waiting(&mut runtime);
        waiting.task.abort();
        let error = runtime.block_on(waiting.task).expect_err("aborted");
        assert!(error.is_cancelled());
        assert!(waiting.dropped.load(Ordering::SeqCst));
        assert_eq!(
            waiting.polls.load(Ordering::SeqCst),
            1,
            "aborted, not polled"
        );
        // The waker left behind still points at the task, which is done.
        wake(&waiting.slot);
        runtime.block_on(yield_now());
        assert_eq!(waiting.polls.load(Ordering::SeqCst), 1);
    });
}
// ANCHOR_END: abort

#[test]
fn abort_after_completion_keeps_the_output() {
    testkit::within("abort after completion", || {
        let mut runtime = Runtime::new();
        let task = runtime.spawn(async { 5 });
        runtime.block_on(yield_now()); // let it finish
        assert!(task.is_finished());
        task.abort();
        assert_eq!(runtime.block_on(task).unwrap(), 5);
    });
}

#[test]
fn abort_from_another_thread_reaches_the_task() {
    testkit::within("abort from another thread", || {
        let mut runtime = Runtime::new();
        // Its waker stays in its slot: only the abort can end this task.
        let waiting = spawn_waiting(&mut runtime);
        let task = waiting.task;
        let task = std::thread::spawn(move || {
            task.abort();
            task
        })
        .join()
        .unwrap();
        let error = runtime.block_on(task).expect_err("aborted");
        assert!(error.is_cancelled());
        assert!(waiting.dropped.load(Ordering::SeqCst));
        assert_eq!(waiting.polls.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn dropping_a_join_handle_releases_the_waker_it_stored() {
    testkit::within("dropped handle releases waker", || {
        let mut runtime = Runtime::new();
        // Pending for good; kept alive by the waker in its slot.
        let waiting = spawn_waiting(&mut runtime);
        // Polls the handle once (storing its waker there), then drops it,
        // as the losing branch of a `select` does.
        let mut pending = waiting.task;
        let gives_up = runtime.spawn(async move {
            std::future::poll_fn(|cx| {
                assert!(Pin::new(&mut pending).poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
        });
        runtime.block_on(gives_up).unwrap();
        // Only the waiting task is left: the finished one is not kept
        // alive by a waker in a handle that nobody holds.
        assert_eq!(runtime.handle().live_tasks(), 1);
    });
}
