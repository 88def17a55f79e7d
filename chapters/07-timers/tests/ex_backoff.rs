//! Exercise 7.1: `retry` sleeps 10, 20, 40, 40 ms between failed calls.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use timers::exercises::backoff::{Backoff, retry};
use timers::{Runtime, sleep, spawn};

const BACKOFF: Backoff = Backoff {
    attempts: 5,
    first: Duration::from_millis(10),
    max: Duration::from_millis(40),
};

/// An operation that fails `failures` times, recording when it was called.
fn flaky(
    failures: usize,
    calls: Arc<Mutex<Vec<Instant>>>,
) -> impl FnMut() -> std::future::Ready<Result<usize, String>> {
    move || {
        let mut calls = calls.lock().unwrap();
        calls.push(Instant::now());
        let n = calls.len();
        std::future::ready(if n > failures {
            Ok(n)
        } else {
            Err(format!("failure {n}"))
        })
    }
}

fn gaps(calls: &[Instant]) -> Vec<Duration> {
    calls.windows(2).map(|w| w[1] - w[0]).collect()
}

#[test]
fn retry_backs_off_exponentially_up_to_the_cap() {
    testkit::within("retry_backs_off", || {
        let mut rt = Runtime::new().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let result = rt.block_on(retry(BACKOFF, flaky(4, calls.clone())));
        assert_eq!(result, Ok(5), "the fifth call succeeds");
        let calls = calls.lock().unwrap();
        let expected = [10, 20, 40, 40].map(Duration::from_millis);
        for (gap, want) in gaps(&calls).into_iter().zip(expected) {
            assert!(gap >= want, "slept {gap:?}, expected at least {want:?}");
            assert!(
                gap < want + Duration::from_millis(30),
                "slept {gap:?} for {want:?}"
            );
        }
    })
}

#[test]
fn retry_gives_up_after_the_last_attempt_with_its_error() {
    testkit::within("retry_gives_up", || {
        let mut rt = Runtime::new().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let start = Instant::now();
        let result = rt.block_on(retry(BACKOFF, flaky(usize::MAX, calls.clone())));
        assert_eq!(result, Err("failure 5".to_string()));
        assert_eq!(calls.lock().unwrap().len(), 5);
        // No sleep after the last failure: 10 + 20 + 40 + 40 ms, not + 40.
        assert!(
            start.elapsed() < Duration::from_millis(150),
            "{:?}",
            start.elapsed()
        );
    })
}

#[test]
fn retry_sleeps_without_blocking_other_tasks() {
    testkit::within("retry_does_not_block", || {
        let mut rt = Runtime::new().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        rt.block_on(async move {
            let retrying = spawn(retry(BACKOFF, flaky(3, calls)));
            // While `retry` sleeps 10 + 20 + 40 ms, this task ticks.
            let start = Instant::now();
            sleep(Duration::from_millis(15)).await;
            assert!(start.elapsed() < Duration::from_millis(60), "blocked");
            assert_eq!(retrying.await.unwrap(), Ok(4));
        });
    })
}
