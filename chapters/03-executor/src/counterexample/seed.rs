//! COUNTER-EXAMPLE, do not use: the seed design's executor, rebuilt to show
//! exactly how it breaks.
//!
//! The seed runtime (`mini-async-rt`) kept a bare future per task and used a
//! bounded `sync_channel` as its run queue: a wake sends the task on the
//! channel, and the executor receives and polls whatever arrives. Both
//! choices look harmless and both are wrong:
//!
//! - nothing records that a task has finished, so a waker left behind (in a
//!   reactor's table, in the losing branch of a `select`) sends a finished
//!   task back to the queue, and the executor polls a completed `async`
//!   block, which panics;
//! - every wake is one more message, so a task woken ten times is queued ten
//!   times; and when the channel is full, `send` blocks. If the thread that
//!   wakes is the executor's own (one task waking another), nobody is left
//!   to empty the channel: the executor deadlocks on itself.
//!
//! `tests/seed_design.rs` proves both failures, next to the tests showing
//! that [`Runtime`](crate::Runtime) does not have them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::task::Context;

use waker::raw_waker::{self, ArcWake};

// ANCHOR: seed_task
/// A task of the seed design: the future and a way back into the queue.
/// There is no state: nothing says "finished" or "already queued".
struct SeedTask {
    future: Mutex<Pin<Box<dyn Future<Output = ()> + Send>>>,
    queue: SyncSender<Arc<SeedTask>>,
}

impl ArcWake for SeedTask {
    fn wake_by_ref(self: &Arc<Self>) {
        // Every wake is one more message, and `send` on a full bounded
        // channel blocks until somebody receives.
        self.queue.send(self.clone()).expect("the executor is gone");
    }
}
// ANCHOR_END: seed_task

/// The seed design's executor: a bounded channel of tasks.
pub struct SeedExecutor {
    receiver: Receiver<Arc<SeedTask>>,
    sender: SyncSender<Arc<SeedTask>>,
}

impl SeedExecutor {
    /// An executor whose run queue holds at most `capacity` wakes.
    pub fn new(capacity: usize) -> Self {
        let (sender, receiver) = sync_channel(capacity);
        SeedExecutor { receiver, sender }
    }

    /// Queues `future` as a task (blocking if the queue is full).
    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let task = Arc::new(SeedTask {
            future: Mutex::new(Box::pin(future)),
            queue: self.sender.clone(),
        });
        self.sender.send(task).expect("the executor is gone");
    }

    // ANCHOR: seed_run
    /// Polls whatever is in the queue until it is empty.
    pub fn run_until_idle(&self) {
        while let Ok(task) = self.receiver.try_recv() {
            let waker = raw_waker::waker(task.clone());
            let mut cx = Context::from_waker(&waker);
            // No check of any kind: a task that already returned `Ready` is
            // polled again if a wake brought it back.
            let _ = task
                .future
                .lock()
                .expect("a task panicked")
                .as_mut()
                .poll(&mut cx);
        }
    }
    // ANCHOR_END: seed_run
}

impl fmt::Debug for SeedExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeedExecutor").finish_non_exhaustive()
    }
}
