//! Exercise 3.3: `race` returns the first task to finish and aborts the other.

use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use executor::exercises::race::race;
use executor::{Runtime, spawn, yield_now};
use testkit::DropFlag;

async fn after_yields(yields: u32, value: &'static str) -> &'static str {
    for _ in 0..yields {
        yield_now().await;
    }
    value
}

#[test]
fn race_returns_the_first_to_finish_whichever_side_it_is_on() {
    testkit::within("race winner", || {
        let mut runtime = Runtime::new();
        // Raced from a task, so that the race takes its turn in the run
        // queue between the other two tasks' steps.
        let (left, right) = runtime.block_on(async {
            let left = spawn(race(
                spawn(after_yields(1, "fast")),
                spawn(after_yields(9, "slow")),
            ));
            let right = spawn(race(
                spawn(after_yields(9, "slow")),
                spawn(after_yields(1, "fast")),
            ));
            (left.await.unwrap(), right.await.unwrap())
        });
        assert_eq!((left.unwrap(), right.unwrap()), ("fast", "fast"));
    });
}

#[test]
fn race_aborts_the_loser() {
    testkit::within("race aborts", || {
        let mut runtime = Runtime::new();
        let loser_dropped = Arc::new(AtomicBool::new(false));
        // The loser waits for a wake that never comes, and its waker is kept
        // here (as a reactor would keep it), so the task stays alive.
        let slot: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
        let winner = runtime.block_on({
            let flag = DropFlag(loser_dropped.clone());
            let slot = slot.clone();
            async move {
                let loser = spawn(async move {
                    let _flag = flag;
                    poll_fn(|cx| {
                        *slot.lock().unwrap() = Some(cx.waker().clone());
                        Poll::<&str>::Pending
                    })
                    .await
                });
                spawn(race(loser, spawn(after_yields(2, "winner")))).await
            }
        });
        assert_eq!(winner.unwrap().unwrap(), "winner");
        assert!(slot.lock().unwrap().is_some(), "the loser ran and waits");
        // The abort queued the loser; the next turn of the loop drops it.
        runtime.block_on(yield_now());
        assert!(
            loser_dropped.load(Ordering::SeqCst),
            "the loser kept running"
        );
    });
}

#[test]
fn race_passes_on_the_winner_panic() {
    testkit::within("race panic", || {
        let mut runtime = Runtime::new();
        let result = runtime.block_on(async {
            let crash = spawn(async { panic!("crashed first") });
            race(crash, spawn(after_yields(3, "late"))).await
        });
        assert_eq!(result.unwrap_err().message(), Some("crashed first"));
    });
}

#[test]
fn when_both_finished_before_the_race_is_polled_a_wins() {
    testkit::within("race tie", || {
        let mut runtime = Runtime::new();
        let winner = runtime.block_on(async {
            let finished = Arc::new(Mutex::new(0));
            let task = |value: &'static str| {
                let finished = Arc::clone(&finished);
                spawn(async move {
                    *finished.lock().unwrap() += 1;
                    value
                })
            };
            let a = task("a");
            let b = task("b");
            // Let both tasks run to completion before the race first looks.
            while *finished.lock().unwrap() < 2 {
                yield_now().await;
            }
            race(a, b).await
        });
        assert_eq!(winner.unwrap(), "a", "with both ready, `a` must win");
    });
}
