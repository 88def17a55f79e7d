//! The `async fn` and its hand-written twin behave the same: same output,
//! same polls of their steps in the same order, same panic after `Ready`.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::task::{Context, Waker};

use pin::log::Entry;
use pin::{Log, SumTwo, sum_two};

fn run<F: Future>(make: impl FnOnce(Log) -> F) -> (F::Output, Log) {
    let log = Log::new();
    let output = waker::block_on(make(log.clone()));
    (output, log)
}

// ANCHOR: same_trace
#[test]
fn the_async_fn_and_the_enum_poll_their_steps_identically() {
    let (compiled, by_hand) = testkit::within("both versions", || {
        let (a, log_a) = run(sum_two);
        let (b, log_b) = run(SumTwo::new);
        ((a, log_a.leaf_trace()), (b, log_b.leaf_trace()))
    });
    assert_eq!(compiled.0, 33);
    assert_eq!(by_hand, compiled);
    assert_eq!(
        compiled.1,
        [
            "poll a -> Pending",
            "poll a -> Ready(10)",
            "drop a",
            "poll b -> Pending",
            "poll b -> Ready(20)",
            "drop b",
        ]
    );
}
// ANCHOR_END: same_trace

#[test]
fn the_enum_reports_each_state_transition_once_in_order() {
    let states = testkit::within("states", || {
        let (_, log) = run(SumTwo::new);
        log.entries()
            .into_iter()
            .filter_map(|e| match e {
                Entry::State(s) => Some(s),
                Entry::Leaf(_) => None,
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(
        states,
        ["Start -> AwaitA", "AwaitA -> AwaitB", "AwaitB -> Done"]
    );
}

/// Polls to completion with a no-op waker, then once more; returns the
/// panic message of that extra poll.
fn poll_after_ready<F: Future>(future: F) -> String {
    let mut future = Box::pin(future);
    let mut cx = Context::from_waker(Waker::noop());
    while future.as_mut().poll(&mut cx).is_pending() {}
    let payload = panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = future.as_mut().poll(&mut cx);
    }))
    .expect_err("a poll after Ready must panic");
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

#[test]
fn both_panic_when_polled_after_ready() {
    let (compiled, by_hand) = testkit::within("after ready", || {
        (
            poll_after_ready(sum_two(Log::new())),
            poll_after_ready(SumTwo::new(Log::new())),
        )
    });
    assert_eq!(compiled, "`async fn` resumed after completion");
    assert_eq!(by_hand, compiled);
}

#[test]
fn creating_either_future_runs_none_of_its_body() {
    let traces = testkit::within("lazy", || {
        let (log_a, log_b) = (Log::new(), Log::new());
        drop(sum_two(log_a.clone()));
        drop(SumTwo::new(log_b.clone()));
        (log_a.entries(), log_b.entries())
    });
    assert_eq!(traces, (vec![], vec![]));
}
