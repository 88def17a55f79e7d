//! `timeout`: the inner result if it is in time, `Elapsed` if not.

use std::future::pending;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use testkit::DropFlag;
use timers::{Runtime, sleep, timeout};

// ANCHOR: timeout_test
#[test]
fn timeout_returns_the_inner_result_when_it_is_in_time() {
    testkit::within("timeout_returns_the_inner_result", || {
        let mut rt = Runtime::new().unwrap();
        let result = rt.block_on(timeout(Duration::from_secs(5), async {
            sleep(Duration::from_millis(10)).await;
            "in time"
        }));
        assert_eq!(result, Ok("in time"));
    })
}

#[test]
fn timeout_returns_elapsed_and_drops_the_inner_future_when_late() {
    testkit::within("timeout_returns_elapsed", || {
        let mut rt = Runtime::new().unwrap();
        let dropped = Arc::new(AtomicBool::new(false));
        let guard = DropFlag(dropped.clone());
        let start = Instant::now();
        let result = rt.block_on(timeout(Duration::from_millis(30), async move {
            let _guard = guard;
            sleep(Duration::from_secs(3600)).await;
        }));
        let elapsed = start.elapsed();
        let error = result.unwrap_err();
        assert!(elapsed >= Duration::from_millis(30), "{elapsed:?}");
        // (No upper bound in wall time, which a busy machine can stretch: a
        // timeout that waited for the hour-long sleep instead would never
        // return, and the watchdog would fail the test.)
        assert!(error.deadline() <= Instant::now());
        assert!(dropped.load(Ordering::SeqCst), "the inner future lives on");
        assert_eq!(rt.timers().pending(), 0, "the inner sleep was left behind");
    })
}
// ANCHOR_END: timeout_test

#[test]
fn a_future_ready_at_the_deadline_wins_over_the_error() {
    testkit::within("ready_at_the_deadline_wins", || {
        let mut rt = Runtime::new().unwrap();
        // Both are due at the same instant: `Timeout` polls the future first.
        let result = rt.block_on(async {
            let deadline = Instant::now() + Duration::from_millis(10);
            timers::timeout_at(deadline, timers::sleep_until(deadline)).await
        });
        assert_eq!(result, Ok(()));
    })
}

#[test]
fn elapsed_converts_to_an_io_error_of_kind_timed_out() {
    testkit::within("elapsed_converts_to_io_timed_out", || {
        let mut rt = Runtime::new().unwrap();
        let result: io::Result<()> = rt.block_on(async {
            timeout(Duration::from_millis(1), pending::<()>()).await?;
            Ok(())
        });
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::TimedOut);
    })
}
