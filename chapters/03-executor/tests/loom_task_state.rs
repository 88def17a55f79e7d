//! A loom model of the task state machine: wake, run, abort, complete, and
//! the last waker dropped, each on its own thread, over the interleavings
//! (and the stale values a load may see) that loom explores.
//!
//! It compiles the executor's real state code, `src/state.rs`, with loom's
//! atomics (through `src/sync.rs`); only the queue, the future and the
//! handles around it are stand-ins. Run it with
//!
//! ```text
//! RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 \
//!     cargo test -p executor --release --test loom_task_state
//! ```
#![cfg(loom)]

#[allow(dead_code)] // the model uses only part of the shim
#[path = "../src/sync.rs"]
mod sync;

#[allow(dead_code)] // and only the state machine of the task
#[path = "../src/state.rs"]
mod state;

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;

use state::{Claim, State};

/// A task as the executor sees it: the real state word, a stand-in run
/// queue (how many entries it holds for this task), and a future that is
/// ready on its `ready_on`-th poll (never, if 0).
struct ModelTask {
    state: State,
    queued: AtomicUsize,
    /// `Some(polls so far)` while the future exists. Loom's `UnsafeCell`
    /// fails the model if two threads ever touch it without the state
    /// machine ordering them: a poll racing a drop, for instance.
    future: UnsafeCell<Option<usize>>,
    ready_on: usize,
}

impl ModelTask {
    fn new(ready_on: usize) -> Arc<ModelTask> {
        Arc::new(ModelTask {
            state: State::new(),
            queued: AtomicUsize::new(1), // a new task starts in the queue
            future: UnsafeCell::new(Some(0)),
            ready_on,
        })
    }

    /// What `Shared::push` does, minus the queue: count the entry.
    fn push(&self) {
        let before = self.queued.fetch_add(1, Ordering::AcqRel);
        assert_eq!(before, 0, "a task was queued twice");
    }

    fn wake(&self) {
        if self.state.wake() {
            self.push();
        }
    }

    fn abort(&self) {
        if self.state.abort() {
            self.push();
        }
    }

    /// What the executor does with each task it pops, as `Task::run` does.
    fn run_queue(&self) {
        self.run_queue_until(|| false);
    }

    /// `run_queue`, with a future that is also ready once `ready()` says so.
    fn run_queue_until(&self, ready: impl Fn() -> bool) {
        while self.queued.load(Ordering::Acquire) > 0 {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            match self.state.claim() {
                Claim::Skip => {}
                Claim::Abort => self.drop_future(),
                Claim::Poll => {
                    let ready = self.future.with_mut(|future| {
                        // SAFETY: `start` returned `Poll`: this thread holds
                        // the task RUNNING, and nobody else touches the future.
                        let polls = unsafe { (*future).as_mut() }.expect("polled after drop");
                        *polls += 1;
                        *polls == self.ready_on || ready()
                    });
                    if ready {
                        self.state.done();
                        self.drop_future();
                    } else if self.state.pending() {
                        self.push();
                    }
                }
            }
        }
    }

    fn drop_future(&self) {
        // SAFETY: only the executor's thread calls this, after `start` said
        // `Abort` or the poll completed: nobody polls the future any more.
        let future = self.future.with_mut(|future| unsafe { (*future).take() });
        assert!(future.is_some(), "the future was dropped twice");
    }

    fn future_dropped(&self) -> bool {
        // SAFETY: called by the executor's thread after every other thread
        // of the model has been joined.
        self.future.with(|future| unsafe { (*future).is_none() })
    }
}

// ANCHOR: lost_abort
/// The lost abort: `abort()` returns, the executor runs until it has nothing
/// left to do, and the task is still alive, idle, never to be polled again.
/// With the abort flag in a word of its own, loom finds the store-buffering
/// interleaving (abort reads a stale state, run reads a stale flag) at once.
#[test]
fn an_abort_is_never_lost_against_a_wake_and_a_run() {
    loom::model(|| {
        let task = ModelTask::new(0); // waits for good: only abort ends it
        let waker = {
            let task = task.clone();
            // Wakes the task, then drops the last waker: that must not free
            // (or drop the future of) a task the runtime still holds.
            thread::spawn(move || task.wake())
        };
        let aborter = {
            let task = task.clone();
            thread::spawn(move || task.abort())
        };
        task.run_queue();
        waker.join().unwrap();
        aborter.join().unwrap();
        task.run_queue();
        assert!(
            task.state.is_done(),
            "abort() returned and the executor is idle, but the task lives on"
        );
        assert!(
            task.future_dropped(),
            "the aborted future was never dropped"
        );
    });
}
// ANCHOR_END: lost_abort

/// The lost wake: a waker publishes something (here a flag, with a relaxed
/// store) and wakes the task; the task's next poll must see it. A wake that
/// finds the task already SCHEDULED and returns after a plain load writes
/// nothing the executor's next claim could read from, so nothing orders the
/// flag before that poll: loom finds the poll reading the old flag, the wake
/// seeing a stale SCHEDULED, and the task going idle for good.
#[test]
fn a_wake_is_never_lost() {
    loom::model(|| {
        let task = ModelTask::new(usize::MAX); // ready only once it sees `data`
        let data = Arc::new(AtomicBool::new(false));
        let waker = {
            let (task, data) = (task.clone(), data.clone());
            thread::spawn(move || {
                data.store(true, Ordering::Relaxed);
                task.wake();
            })
        };
        task.run_queue_until(|| data.load(Ordering::Relaxed));
        waker.join().unwrap();
        task.run_queue_until(|| data.load(Ordering::Relaxed));
        assert!(
            task.state.is_done(),
            "the task missed the wake that mattered"
        );
    });
}

/// Completion racing an abort and a wake: the task ends exactly once
/// (completed or aborted), its future is dropped exactly once, by the
/// executor, and it is never polled after that.
#[test]
fn a_task_completes_or_is_aborted_exactly_once() {
    loom::model(|| {
        let task = ModelTask::new(2); // ready on its second poll
        let waker = {
            let task = task.clone();
            thread::spawn(move || {
                task.wake();
                task.wake();
            })
        };
        let aborter = {
            let task = task.clone();
            thread::spawn(move || task.abort())
        };
        task.run_queue();
        waker.join().unwrap();
        aborter.join().unwrap();
        task.run_queue();
        assert!(task.state.is_done());
        assert!(task.future_dropped());
        // A wake after the end queues nothing and polls nothing.
        task.wake();
        assert_eq!(task.queued.load(Ordering::Acquire), 0);
    });
}
