//! Exercise 7.2: `select_deadline` returns the first of two futures or the
//! deadline, and leaves nothing behind.

use std::future::pending;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use testkit::DropFlag;
use timers::exercises::select_deadline::{Winner, select_deadline};
use timers::{Runtime, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

async fn after(delay: Duration, value: &'static str) -> &'static str {
    sleep(delay).await;
    value
}

#[test]
fn the_first_future_to_finish_wins_on_either_side() {
    testkit::within("select_deadline winner", || {
        let mut rt = Runtime::new().unwrap();
        // The other side never finishes and the deadline is an hour away:
        // the winner does not depend on how late a busy machine runs the
        // timers (two sleeps 10 and 50 ms long can expire in the same turn).
        let in_an_hour = || Instant::now() + Duration::from_secs(3600);
        let first = rt.block_on(select_deadline(
            in_an_hour(),
            after(ms(10), "a"),
            pending::<&str>(),
        ));
        assert_eq!(first, Winner::First("a"));
        let second = rt.block_on(select_deadline(
            in_an_hour(),
            pending::<&str>(),
            after(ms(10), "b"),
        ));
        assert_eq!(second, Winner::Second("b"));
        assert_eq!(rt.timers().pending(), 0, "a loser's sleep was left behind");
    })
}

#[test]
fn the_deadline_wins_when_both_are_slower_and_they_are_dropped() {
    testkit::within("select_deadline elapsed", || {
        let mut rt = Runtime::new().unwrap();
        let dropped = Arc::new(AtomicBool::new(false));
        let flag = DropFlag(dropped.clone());
        let start = Instant::now();
        let winner = rt.block_on(select_deadline(
            start + ms(30),
            async move {
                let _flag = flag;
                pending::<()>().await
            },
            after(ms(3_600_000), "b"),
        ));
        assert_eq!(winner, Winner::Elapsed);
        let elapsed = start.elapsed();
        assert!(elapsed >= ms(30), "returned early, after {elapsed:?}");
        // Returning late means waiting for `b`'s hour: the watchdog fails
        // that, without a wall-time bound that a busy machine could stretch.
        assert!(dropped.load(Ordering::SeqCst), "the loser was not dropped");
        assert_eq!(rt.timers().pending(), 0, "a timer was left behind");
    })
}

#[test]
fn a_future_ready_at_once_wins_over_a_past_deadline() {
    testkit::within("select_deadline tie", || {
        let mut rt = Runtime::new().unwrap();
        let past = Instant::now() - ms(1);
        let winner = rt.block_on(select_deadline(past, async { 1 }, async { 2 }));
        assert_eq!(winner, Winner::First(1));
    })
}
