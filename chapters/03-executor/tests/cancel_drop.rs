//! A cancelled task's future is dropped first, and only then is its
//! `JoinHandle` told; a panic in that drop is the task's panic, reported
//! through the handle, and never escapes the executor.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use executor::{JoinHandle, Runtime, yield_now};
use testkit::DropFlag;

/// Where the task's own handle is kept, so its future's destructor can ask
/// whether the handle already has an outcome.
type HandleCell = Arc<Mutex<Option<JoinHandle<()>>>>;

/// In its destructor, records whether the task's handle was already
/// finished (had its outcome) at that point.
struct SeesHandle {
    handle: HandleCell,
    finished_before_drop: Arc<AtomicBool>,
}

impl Drop for SeesHandle {
    fn drop(&mut self) {
        let handle = self.handle.lock().unwrap();
        let finished = handle.as_ref().expect("the handle is stored").is_finished();
        self.finished_before_drop.store(finished, Ordering::SeqCst);
    }
}

// ANCHOR: report_after_drop
#[test]
fn an_aborted_task_is_reported_only_after_its_future_is_dropped() {
    testkit::within("report after drop", || {
        let mut runtime = Runtime::new();
        let handle: HandleCell = Arc::new(Mutex::new(None));
        let finished_before_drop = Arc::new(AtomicBool::new(true));
        let (flag, dropped) = DropFlag::new();
        let sees = SeesHandle {
            handle: handle.clone(),
            finished_before_drop: finished_before_drop.clone(),
        };
        let task = runtime.spawn(async move {
            let (_flag, _sees) = (flag, sees);
            std::future::pending::<()>().await
        });
        task.abort();
        *handle.lock().unwrap() = Some(task);
        runtime.block_on(yield_now());
        assert!(dropped.load(Ordering::SeqCst), "the abort ran");
        assert!(
            !finished_before_drop.load(Ordering::SeqCst),
            "the handle said `cancelled` while the future's destructors still ran"
        );
        let task = handle.lock().unwrap().take().unwrap();
        assert!(runtime.block_on(task).unwrap_err().is_cancelled());
    });
}
// ANCHOR_END: report_after_drop

/// Panics in its destructor.
struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("a destructor panicked");
    }
}

// ANCHOR: panic_in_drop
#[test]
fn a_panic_while_dropping_an_aborted_future_reaches_its_handle() {
    testkit::within("panic in an aborted future's drop", || {
        let mut runtime = Runtime::new();
        let task = runtime.spawn(async {
            let _bomb = PanicOnDrop;
            std::future::pending::<()>().await
        });
        runtime.block_on(yield_now()); // it runs, and waits
        task.abort();
        // The abort runs inside `block_on`: the panic must not escape it.
        let error = runtime.block_on(task).expect_err("aborted");
        assert!(error.is_panic());
        assert_eq!(error.message(), Some("a destructor panicked"));
        // And the runtime carries on.
        assert_eq!(runtime.block_on(runtime.spawn(async { 3 })).unwrap(), 3);
    });
}

#[test]
fn a_panic_while_dropping_a_future_at_shutdown_stays_in_its_handle() {
    testkit::within("panic in a future's drop at shutdown", || {
        let mut runtime = Runtime::new();
        let task = runtime.spawn(async {
            let _bomb = PanicOnDrop;
            std::future::pending::<()>().await
        });
        runtime.block_on(yield_now());
        // Must not panic: the destructor's panic belongs to the task.
        drop(runtime);
        let error = waker::block_on(task).expect_err("cancelled at shutdown");
        assert_eq!(error.message(), Some("a destructor panicked"));
    });
}
// ANCHOR_END: panic_in_drop
