//! A sleep that nobody waits for leaves the timer store at once.

use std::future::{Future, pending};
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::Duration;

use timers::{Runtime, sleep, spawn, timeout};

// ANCHOR: cancel_test
#[test]
fn dropped_sleeps_leave_the_store_at_its_starting_size() {
    testkit::within("dropped_sleeps_leave_the_store", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        rt.block_on(async {
            let start = timers.pending();
            // 10,000 timeouts of an hour, each around a future that is
            // ready at once: the future wins, the sleep is dropped.
            for i in 0..10_000 {
                let value = timeout(Duration::from_secs(3600), async { i }).await;
                assert_eq!(value, Ok(i));
            }
            assert_eq!(timers.pending(), start);
            // Registered sleeps, then dropped before their deadline.
            let mut sleeps: Vec<_> = (0..1000)
                .map(|_| Box::pin(sleep(Duration::from_secs(3600))))
                .collect();
            let mut cx = Context::from_waker(Waker::noop());
            for sleep in &mut sleeps {
                assert!(sleep.as_mut().poll(&mut cx).is_pending());
            }
            assert_eq!(timers.pending(), start + 1000);
            drop(sleeps);
            assert_eq!(timers.pending(), start);
        });
    })
}
// ANCHOR_END: cancel_test

#[test]
fn a_timeout_that_elapses_leaves_no_entry_behind() {
    testkit::within("a_timeout_that_elapses_leaves_no_entry", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        rt.block_on(async {
            let result = timeout(Duration::from_millis(5), pending::<()>()).await;
            assert!(result.is_err());
            assert_eq!(timers.pending(), 0);
        });
    })
}

#[test]
fn a_cancelled_task_removes_its_sleep() {
    testkit::within("a_cancelled_task_removes_its_sleep", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        let task = rt.handle().spawn(sleep(Duration::from_secs(3600)));
        rt.block_on(async {
            // Let the task run once, and register.
            timers::yield_now().await;
        });
        assert_eq!(timers.pending(), 1);
        // Dropping the runtime cancels the task, which drops its sleep.
        drop(rt);
        assert_eq!(timers.pending(), 0);
        drop(task);
    })
}

#[test]
fn repeated_polls_of_one_sleep_keep_one_entry() {
    testkit::within("repeated_polls_keep_one_entry", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        rt.block_on(async {
            let mut sleep = pin!(sleep(Duration::from_secs(3600)));
            let mut cx = Context::from_waker(Waker::noop());
            for _ in 0..100 {
                assert!(sleep.as_mut().poll(&mut cx).is_pending());
            }
            assert_eq!(timers.pending(), 1);
            // And from a task, polled by the executor with its own waker.
            let task = spawn(async { timers::sleep(Duration::from_secs(3600)).await });
            timers::yield_now().await;
            assert_eq!(timers.pending(), 2);
            drop(task);
        });
    })
}
