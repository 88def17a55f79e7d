//! Who owns a task: the runtime does. A task that merely waits stays alive
//! (in the runtime's task list) however many of its wakers are dropped, and
//! its future is dropped only by the runtime, on the runtime's thread: after
//! it completes, when it is aborted, or at shutdown.

mod common;

use std::future::{Future, pending, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::thread;

use common::{has_waker, waker_slot};
use executor::{Runtime, yield_now};

// ANCHOR: pending_stays_pending
#[test]
fn a_task_whose_wakers_are_all_dropped_stays_pending() {
    testkit::within("a waiting task stays pending", || {
        let mut runtime = Runtime::new();
        // `pending()` drops the waker of every poll: after its first poll,
        // nothing outside the runtime refers to the task any more.
        let mut task = runtime.spawn(pending::<()>());
        // Poll the handle on each of 100 turns of the loop, counting: a
        // handle that reports anything (`cancelled`, say) ends the count.
        let mut pending_polls = 0;
        runtime.block_on(poll_fn(|cx| {
            if Pin::new(&mut task).poll(cx).is_ready() {
                return Poll::Ready(());
            }
            pending_polls += 1;
            if pending_polls == 100 {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref(); // come round again
            Poll::Pending
        }));
        assert_eq!(
            pending_polls, 100,
            "the handle of a task that merely waits reported an outcome"
        );
        assert_eq!(runtime.handle().live_tasks(), 1, "the runtime keeps it");
        // Shutdown is what ends it.
        drop(runtime);
        assert!(waker::block_on(task).unwrap_err().is_cancelled());
    });
}
// ANCHOR_END: pending_stays_pending

/// Records the name of the thread its destructor runs on.
struct RecordDropThread(Arc<Mutex<Option<String>>>);

impl Drop for RecordDropThread {
    fn drop(&mut self) {
        let name = thread::current().name().unwrap_or("<unnamed>").to_owned();
        *self.0.lock().unwrap() = Some(name);
    }
}

// ANCHOR: drop_thread
#[test]
fn a_future_is_never_dropped_by_a_thread_that_drops_its_waker() {
    testkit::within("futures are dropped on the runtime's thread", || {
        let runtime_thread = thread::current().name().map(str::to_owned);
        let mut runtime = Runtime::new();
        let dropped_on = Arc::new(Mutex::new(None));
        let slot = waker_slot();
        let (recorder, stash) = (RecordDropThread(dropped_on.clone()), slot.clone());
        let task = runtime.spawn(async move {
            let _recorder = recorder;
            // Hand the only waker to the test, then wait for good.
            poll_fn(|cx| {
                *stash.lock().unwrap() = Some(cx.waker().clone());
                Poll::<()>::Pending
            })
            .await
        });
        runtime.block_on(async {
            while !has_waker(&slot) {
                yield_now().await;
            }
        });
        // A thread named `other` takes the last waker and drops it.
        thread::Builder::new()
            .name("other".into())
            .spawn(move || drop(slot.lock().unwrap().take()))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(*dropped_on.lock().unwrap(), None, "dropped by `other`");
        drop(runtime);
        assert_eq!(*dropped_on.lock().unwrap(), runtime_thread);
        assert!(waker::block_on(task).unwrap_err().is_cancelled());
    });
}
// ANCHOR_END: drop_thread
