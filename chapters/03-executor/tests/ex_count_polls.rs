//! Exercise 3.2: `count_polls` counts the polls a future receives.

use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use executor::exercises::count_polls::count_polls;
use executor::{Runtime, spawn, yield_now};

#[test]
fn a_ready_future_is_polled_once() {
    testkit::within("count ready", || {
        let mut runtime = Runtime::new();
        assert_eq!(runtime.block_on(count_polls(async { 'x' })), ('x', 1));
    });
}

#[test]
fn each_yield_costs_one_more_poll() {
    testkit::within("count yields", || {
        let mut runtime = Runtime::new();
        let counted = runtime.block_on(async {
            spawn(count_polls(async {
                for _ in 0..3 {
                    yield_now().await;
                }
                "done"
            }))
            .await
        });
        assert_eq!(counted.unwrap(), ("done", 4));
    });
}

#[test]
fn a_task_woken_many_times_is_polled_once_more() {
    testkit::within("count many wakes", || {
        let mut runtime = Runtime::new();
        let slot: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
        let counted = runtime.block_on({
            let slot = slot.clone();
            async move {
                let waiting = slot.clone();
                let mut first = true;
                let task = spawn(count_polls(poll_fn(move |cx| {
                    if std::mem::take(&mut first) {
                        *waiting.lock().unwrap() = Some(cx.waker().clone());
                        Poll::Pending
                    } else {
                        Poll::Ready(())
                    }
                })));
                for _ in 0..10 {
                    yield_now().await;
                }
                assert!(slot.lock().unwrap().is_some(), "the task did not run");
                for _ in 0..100 {
                    slot.lock().unwrap().as_ref().unwrap().wake_by_ref();
                }
                task.await
            }
        });
        assert_eq!(counted.unwrap(), ((), 2));
    });
}
