//! Exercise 7.1: `retry` follows the schedule 10, 20, 40, 40 ms between
//! failed calls, sleeping the jittered form of each delay.

use std::cell::RefCell;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use timers::exercises::backoff::{Backoff, equal_jitter, retry};
use timers::{Runtime, sleep, spawn};

thread_local! {
    /// The delays `retry` asked `halve` to jitter, on this thread.
    static ASKED: RefCell<Vec<Duration>> = const { RefCell::new(Vec::new()) };
}

/// A predictable jitter: half of each delay, noting what it was asked.
fn halve(delay: Duration) -> Duration {
    ASKED.with(|asked| asked.borrow_mut().push(delay));
    delay / 2
}

fn asked() -> Vec<Duration> {
    ASKED.with(|asked| asked.borrow().clone())
}

const BACKOFF: Backoff = Backoff {
    attempts: 5,
    first: Duration::from_millis(10),
    max: Duration::from_millis(40),
    jitter: halve,
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
fn retry_backs_off_exponentially_up_to_the_cap_and_sleeps_the_jittered_delay() {
    testkit::within("retry_backs_off", || {
        let mut rt = Runtime::new().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let result = rt.block_on(retry(BACKOFF, flaky(4, calls.clone())));
        assert_eq!(result, Ok(5), "the fifth call succeeds");
        assert_eq!(
            asked(),
            [10, 20, 40, 40].map(Duration::from_millis),
            "the schedule doubles its own delay up to the cap, and each delay \
             goes through `backoff.jitter` once"
        );
        let calls = calls.lock().unwrap();
        // A sleep never ends early: each gap is at least the jittered delay.
        for (gap, slept) in gaps(&calls).into_iter().zip([5, 10, 20, 20]) {
            let slept = Duration::from_millis(slept);
            assert!(
                gap >= slept,
                "a gap of {gap:?}, but the sleep was {slept:?}"
            );
        }
    })
}

#[test]
fn retry_gives_up_after_the_last_attempt_with_its_error() {
    testkit::within("retry_gives_up", || {
        let mut rt = Runtime::new().unwrap();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let result = rt.block_on(retry(BACKOFF, flaky(usize::MAX, calls.clone())));
        assert_eq!(result, Err("failure 5".to_string()));
        assert_eq!(calls.lock().unwrap().len(), 5);
        assert_eq!(
            asked().len(),
            4,
            "four sleeps between five calls: none after the last failure"
        );
    })
}

#[test]
fn retry_sleeps_without_blocking_other_tasks() {
    testkit::within("retry_does_not_block", || {
        let mut rt = Runtime::new().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        rt.block_on(async move {
            let op = {
                let log = log.clone();
                let mut n = 0;
                move || {
                    n += 1;
                    log.lock().unwrap().push("call");
                    std::future::ready(if n > 3 { Ok(n) } else { Err(n) })
                }
            };
            let retrying = spawn(retry(BACKOFF, op));
            let ticker = {
                let log = log.clone();
                spawn(async move {
                    for _ in 0..3 {
                        sleep(Duration::from_millis(1)).await;
                        log.lock().unwrap().push("tick");
                    }
                })
            };
            assert_eq!(retrying.await.unwrap(), Ok(4));
            ticker.await.unwrap();
            let log = log.lock().unwrap();
            let first = log.iter().position(|e| *e == "call").unwrap();
            let last = log.iter().rposition(|e| *e == "call").unwrap();
            assert!(
                log[first..last].contains(&"tick"),
                "no other task ran while `retry` slept: {log:?}"
            );
        });
    })
}

#[test]
fn equal_jitter_sleeps_between_half_the_delay_and_all_of_it() {
    let delay = Duration::from_millis(40);
    let slept: Vec<Duration> = (0..100).map(|_| equal_jitter(delay)).collect();
    assert!(
        slept.iter().all(|s| *s >= delay / 2 && *s <= delay),
        "{slept:?}"
    );
    assert!(
        slept.iter().any(|s| *s != slept[0]),
        "a hundred sleeps of the same length: no jitter"
    );
    assert_eq!(equal_jitter(Duration::ZERO), Duration::ZERO);
}
