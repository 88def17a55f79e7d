//! `yield_now`: cooperative scheduling made visible.

use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use executor::{Runtime, spawn, yield_now};
use waker::wake_trait::WakeCounter;

/// Runs two tasks that each log their name three times, yielding between
/// entries or not, and returns the log.
fn two_tasks(yielding: bool) -> String {
    let mut runtime = Runtime::new();
    let log = Arc::new(Mutex::new(String::new()));
    runtime.block_on({
        let log = log.clone();
        async move {
            let tasks: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|name| {
                    let log = log.clone();
                    spawn(async move {
                        for _ in 0..3 {
                            log.lock().unwrap().push_str(name);
                            if yielding {
                                yield_now().await;
                            }
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        }
    });
    log.lock().unwrap().clone()
}

// ANCHOR: fairness
#[test]
fn yield_now_lets_the_others_run() {
    testkit::within("yield fairness", || {
        assert_eq!(two_tasks(true), "ababab");
    });
}

#[test]
fn without_yield_a_task_runs_until_it_awaits_something() {
    testkit::within("no yield, no turn", || {
        assert_eq!(two_tasks(false), "aaabbb");
    });
}
// ANCHOR_END: fairness

#[test]
fn yield_now_wakes_itself_then_returns_ready() {
    let (counter, waker) = WakeCounter::new();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(yield_now());
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(
        counter.wakes(),
        1,
        "Pending without a wake would hang the task"
    );
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(()));
    assert_eq!(counter.wakes(), 1);
}
