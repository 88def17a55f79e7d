//! Exercise 8.3 (`cargo ex check first-failure`): a group of tasks that
//! stops at its first failure, without cancelling its parent.

mod common;

use common::run;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cancellation::CancellationToken;
use cancellation::exercises::first_failure::run_group;
use timers::{sleep, spawn};

/// Counts the jobs whose futures are gone (finished or dropped).
struct Gone(Arc<AtomicUsize>);

impl Drop for Gone {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

type Job =
    Box<dyn FnOnce(CancellationToken) -> futures::future::BoxFuture<'static, Result<(), String>>>;

/// A job that waits for its token, then (after a little clean-up) succeeds.
fn patient(gone: &Arc<AtomicUsize>) -> Job {
    let gone = Gone(gone.clone());
    Box::new(move |token| {
        Box::pin(async move {
            let _gone = gone;
            token.cancelled().await;
            sleep(Duration::from_millis(5)).await;
            Ok(())
        })
    })
}

#[test]
fn the_first_failure_stops_the_group_but_not_its_parent() {
    let (result, parent, gone) = run("exercise 8.3", || async {
        let gone = Arc::new(AtomicUsize::new(0));
        let parent = CancellationToken::new();
        let failing: Job = {
            let gone = Gone(gone.clone());
            Box::new(move |_| {
                Box::pin(async move {
                    let _gone = gone;
                    sleep(Duration::from_millis(2)).await;
                    Err("disk full".to_owned())
                })
            })
        };
        let jobs = vec![patient(&gone), failing, patient(&gone)];
        let result = run_group(&parent, jobs).await;
        let gone = gone.load(Ordering::SeqCst);
        (result, parent.is_cancelled(), gone)
    });
    assert_eq!(result, Err("disk full".to_owned()));
    assert!(!parent, "a failure in the group cancelled the parent");
    assert_eq!(gone, 3, "run_group returned while jobs were still running");
}

#[test]
fn cancelling_the_parent_stops_the_group() {
    let (result, gone) = run("exercise 8.3", || async {
        let gone = Arc::new(AtomicUsize::new(0));
        let parent = CancellationToken::new();
        let canceller = {
            let parent = parent.clone();
            spawn(async move {
                sleep(Duration::from_millis(5)).await;
                parent.cancel();
            })
        };
        let jobs = vec![patient(&gone), patient(&gone)];
        let result = run_group(&parent, jobs).await;
        canceller.await.unwrap();
        (result, gone.load(Ordering::SeqCst))
    });
    assert_eq!(result, Ok(2));
    assert_eq!(gone, 2);
}

#[test]
fn a_group_that_succeeds_counts_its_jobs() {
    let result = run("exercise 8.3", || async {
        let jobs: Vec<Job> = (0..4)
            .map(|_| -> Job { Box::new(|_| Box::pin(async { Ok(()) })) })
            .collect();
        run_group(&CancellationToken::new(), jobs).await
    });
    assert_eq!(result, Ok(4));
}
