//! Test support shared by every chapter of the book.
//!
//! A test of an async runtime that goes wrong usually does not fail: it
//! hangs (a lost wakeup leaves a task asleep forever). [`watchdog`] turns
//! that hang into a failure with a message, so CI never sits on a stuck run.
//! [`ServerProcess`] starts a chapter's server binary for end-to-end tests,
//! and [`echo_contract`] (feature `echo`) holds every TCP echo server the
//! book ships to one set of black-box tests. [`wakers`] has a counting waker
//! and a panicking one; [`DropFlag`] says when a future was dropped;
//! [`poll_once`] polls by hand; [`probe`] reads what `/proc` says about a
//! process; [`assert_capture`] compares a program's output with the capture
//! the book shows (and rewrites it, with `UPDATE_OUTPUT=1`).

pub mod capture;
pub mod client;
mod drop_flag;
#[cfg(feature = "echo")]
pub mod echo_contract;
mod poll;
pub mod probe;
mod server;
pub mod sigterm;
pub mod wakers;

pub use capture::{assert_capture, assert_capture_as, captured, session, stdout_of};
pub use drop_flag::DropFlag;
pub use poll::{poll_once, poll_with};
pub use server::ServerProcess;

use std::panic;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How much longer the watchdog waits under Miri, which interprets the
/// program a thousand times slower or more. Miri's clock (with isolation,
/// the default) advances with the work it interprets, so a test that takes
/// ten real seconds there also takes many "seconds" by its own clock.
const SLOWDOWN: u32 = if cfg!(miri) { 20 } else { 1 };

/// Runs `body` on its own thread and waits at most `limit` for it (twenty
/// times as long under Miri).
///
/// Returns what `body` returns; re-raises its panic (so assertion messages
/// come through unchanged); panics with a message naming `what` if it does
/// not finish in time. The stuck thread is left behind: the test process
/// ends when the harness does.
pub fn watchdog<T, F>(what: &str, limit: Duration, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let limit = limit * SLOWDOWN;
    let (tx, rx) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(format!("watchdog: {what}"))
        .spawn(move || {
            let result = panic::catch_unwind(panic::AssertUnwindSafe(body));
            let _ = tx.send(result);
        })
        .expect("spawn the watched thread");
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => {
            let _ = worker.join();
            value
        }
        Ok(Err(panic_payload)) => panic::resume_unwind(panic_payload),
        Err(_) => panic!(
            "watchdog: `{what}` did not finish within {limit:?}; \
             the runtime hung (a lost wakeup, a deadlock, or a future that never completes)"
        ),
    }
}

/// [`watchdog`] with the default limit of ten seconds, for ordinary tests.
pub fn within<T, F>(what: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    watchdog(what, Duration::from_secs(10), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_value_of_a_body_that_finishes() {
        assert_eq!(watchdog("quick", Duration::from_secs(5), || 42), 42);
    }

    #[test]
    #[should_panic(expected = "did not finish within")]
    fn a_hang_becomes_a_failure_with_a_message() {
        watchdog("forever", Duration::from_millis(50), || {
            thread::sleep(Duration::from_secs(3600))
        });
    }

    #[test]
    #[should_panic(expected = "the body's own message")]
    fn a_panic_in_the_body_comes_through_unchanged() {
        watchdog("panics", Duration::from_secs(5), || {
            panic!("the body's own message")
        });
    }
}
