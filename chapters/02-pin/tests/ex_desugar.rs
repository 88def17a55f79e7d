//! Exercise 2.1 (`cargo ex check desugar`): `greet` desugared into `Greet`.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Waker};

mod common;

use pin::Log;
use pin::exercises::desugar::{Greet, greet};

/// Runs a future to completion with `block_on`; returns its output and the
/// leaf trace it wrote.
fn run<F: Future>(make: impl FnOnce(Log) -> F) -> (F::Output, Vec<String>) {
    let log = Log::new();
    let output = waker::block_on(make(log.clone()));
    (output, log.leaf_trace())
}

#[test]
fn returns_what_the_async_fn_returns() {
    let (by_hand, compiled) = testkit::within("output", || (run(Greet::new).0, run(greet).0));
    assert_eq!(by_hand, compiled);
}

#[test]
fn polls_and_drops_its_steps_exactly_as_the_async_fn_does() {
    let (by_hand, compiled) = testkit::within("trace", || (run(Greet::new).1, run(greet).1));
    assert_eq!(by_hand, compiled);
}

/// What the future logs while it is dropped after `polls` polls.
fn dropped_after<F: Future>(polls: usize, make: impl FnOnce(Log) -> F) -> Vec<String> {
    common::drop_after(polls, make).0
}

#[test]
fn dropped_in_each_state_it_drops_what_the_async_fn_drops() {
    let states = testkit::within("drops", || {
        (0..3)
            .map(|polls| {
                (
                    dropped_after(polls, Greet::new),
                    dropped_after(polls, greet),
                )
            })
            .collect::<Vec<_>>()
    });
    for (polls, (by_hand, compiled)) in states.into_iter().enumerate() {
        assert_eq!(by_hand, compiled, "dropped after {polls} poll(s)");
    }
}

#[test]
fn creating_it_runs_nothing_until_the_first_poll() {
    let trace = testkit::within("lazy", || {
        let log = Log::new();
        let before = {
            let _future = Greet::new(log.clone());
            log.leaf_trace()
        };
        (before, log.leaf_trace())
    });
    assert_eq!(trace, (vec![], vec![]));
}

#[test]
fn polling_after_ready_panics_like_the_async_fn() {
    let panicked = testkit::within("after ready", || {
        let mut future = Box::pin(Greet::new(Log::new()));
        let mut cx = Context::from_waker(Waker::noop());
        let mut ready = false;
        for _ in 0..10 {
            if future.as_mut().poll(&mut cx).is_ready() {
                ready = true;
                break;
            }
        }
        assert!(ready, "Greet never became ready");
        panic::catch_unwind(AssertUnwindSafe(|| {
            let _ = Pin::as_mut(&mut future).poll(&mut cx);
        }))
        .is_err()
    });
    assert!(panicked, "a second poll after Ready must panic");
}

#[test]
fn it_is_unpin_because_no_state_points_into_another() {
    fn assert_unpin<T: Unpin>() {}
    assert_unpin::<Greet>();
    assert!(pin::is_unpin!(Greet::new(Log::new())));
}
