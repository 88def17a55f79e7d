//! The task tracker counts tasks until their futures are dropped.

mod common;

use common::run;

use std::time::Duration;

use cancellation::{CancellationToken, TaskTracker};
use timers::{sleep, yield_now};

#[test]
fn wait_completes_once_closed_and_every_task_is_done() {
    run("a tracker test", || async {
        let tracker = TaskTracker::new();
        for n in 0..5 {
            tracker.spawn(async move { sleep(Duration::from_millis(n)).await });
        }
        assert_eq!(tracker.len(), 5);
        tracker.close();
        tracker.wait().await;
        assert!(tracker.is_empty());
    });
}

#[test]
fn an_open_tracker_with_no_tasks_is_not_done() {
    run("a tracker test", || async {
        let tracker = TaskTracker::new();
        let waited = timers::timeout(Duration::from_millis(20), tracker.wait()).await;
        assert!(waited.is_err(), "wait() completed before close()");
        tracker.close();
        tracker.wait().await;
    });
}

#[test]
fn aborted_tasks_count_out_too() {
    run("a tracker test", || async {
        let tracker = TaskTracker::new();
        let stuck = tracker.spawn(std::future::pending::<()>());
        yield_now().await;
        assert_eq!(tracker.len(), 1);
        stuck.abort();
        tracker.close();
        tracker.wait().await;
        assert!(stuck.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn a_token_and_a_tracker_stop_and_collect_a_group() {
    run("a tracker test", || async {
        let token = CancellationToken::new();
        let tracker = TaskTracker::new();
        for _ in 0..10 {
            let token = token.child_token();
            tracker.spawn(async move { token.cancelled().await });
        }
        tracker.close();
        yield_now().await;
        assert_eq!(tracker.len(), 10);
        token.cancel();
        tracker.wait().await;
        assert!(tracker.is_empty());
    });
}

#[test]
fn a_dropped_wait_leaves_no_waker_and_a_new_one_still_completes() {
    run("a tracker test", || async {
        let tracker = TaskTracker::new();
        let task = tracker.spawn(async { sleep(Duration::from_millis(5)).await });
        tracker.close();
        for _ in 0..10 {
            let _ = timers::timeout(Duration::ZERO, tracker.wait()).await;
        }
        task.await.unwrap();
        tracker.wait().await;
        // Reopened, it waits again, and a new task is counted anew.
        tracker.reopen();
        let again = tracker.spawn(async {});
        tracker.close();
        tracker.wait().await;
        again.await.unwrap();
    });
}
