//! The executor: a run queue, the tasks on it, and the loop that runs them.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use slab::Slab;
use waker::raw_waker::{self, ArcWake};

use crate::current::{Current, EnterGuard};
use crate::join::JoinHandle;
use crate::park::{Park, ThreadPark, Unpark};
use crate::task::{Runnable, Task};

/// How many tasks run between two looks at the OS (`park_timeout(ZERO)`), so
/// that a busy run queue cannot starve I/O. Tokio uses the same number.
const EVENT_INTERVAL: usize = 61;

// ANCHOR: shared
/// The part of the executor that wakers and handles reach from any thread.
pub(crate) struct Shared {
    /// Tasks woken from other threads (or while no thread runs the
    /// loop), in the order they were woken. The loop moves them to `local`
    /// at the start of every batch.
    queue: Mutex<VecDeque<Arc<dyn Runnable>>>,
    /// Tasks woken on the runtime's own thread while it runs the loop: most
    /// wakes (a task waking another, a yield, the reactor's dispatch). No
    /// lock and no unpark: nobody else touches it, and the loop looks at it
    /// before it parks.
    local: LocalQueue,
    /// Wakes the executor's thread when it is parked.
    unpark: Box<dyn Unpark>,
    /// The task list: every task that has not finished, strongly. The
    /// runtime owns its tasks (as tokio's `OwnedTasks` does): a task that
    /// waits stays here however many of its wakers are dropped, and leaves
    /// only when the executor's thread has dropped its future, after it
    /// completed, was aborted, or at shutdown.
    tasks: Mutex<Slab<Arc<dyn Runnable>>>,
    /// Set once the runtime is dropped: nothing is queued or listed after.
    shut_down: AtomicBool,
    /// How many `Task`s exist (listed, or finished but still referenced by
    /// a waker, a queue entry or a `JoinHandle`). `Task::new` counts up,
    /// `Task::drop` down.
    pub(crate) allocated: AtomicUsize,
}

/// The run queue of the runtime's own thread. Touched only by the thread
/// that is inside this runtime's `block_on` or `drop`, which is the thread
/// whose `CURRENT` holds this runtime's handle: `push` checks that, and
/// the loop and the shutdown are that thread. Both take `&mut Runtime`, so
/// at most one thread at a time is that thread. Empty whenever no thread
/// is (the loop hands what is left to `queue` when `block_on` returns).
pub(crate) struct LocalQueue(RefCell<VecDeque<Arc<dyn Runnable>>>);

// SAFETY: the `RefCell` is only ever borrowed by the one thread that is
// running this runtime's loop or shutdown (see above), never by two
// threads at once; every borrow is short and runs no code of a task's.
// What it holds, `Arc<dyn Runnable>`, is `Send` and `Sync`.
unsafe impl Sync for LocalQueue {}
// ANCHOR_END: shared

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // No code that panics runs under these locks, but a poisoned lock must
    // not turn one task's panic into everyone's.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    // ANCHOR: push
    /// Queues a woken task and makes sure the executor will see it.
    pub(crate) fn push(&self, task: Arc<dyn Runnable>) {
        if let Some(local) = self.local() {
            // On the loop's own thread: the loop looks at `local` before it
            // parks, so no unpark is needed. The flag is set on this same
            // thread, by the shutdown, before it drains `local`.
            if !self.shut_down.load(Ordering::Acquire) {
                local.borrow_mut().push_back(task);
                return;
            }
            drop(task);
            return;
        }
        {
            let mut queue = lock(&self.queue);
            // Checked under the queue lock, which shutdown also takes to
            // drain the queue: a push either lands before the drain (and is
            // drained) or sees the flag. Checked outside, a push could slip
            // in after the drain and leave a task (and a cycle through
            // `Shared`) in the queue forever.
            if !self.shut_down.load(Ordering::Acquire) {
                queue.push_back(task);
                drop(queue);
                // After unlocking: the executor may be parked, or about to
                // park. The driver remembers an unpark that comes before the
                // park, so "push, then unpark" cannot lose this task.
                self.unpark.unpark();
                return;
            }
        }
        // The runtime is gone: queue nothing. The reference is dropped here,
        // outside the lock, because it may be the task's last one, and
        // dropping a task drops its future, which may wake (and push) others.
        drop(task);
    }
    // ANCHOR_END: push

    /// The local queue, if this thread is the one running this runtime.
    fn local(&self) -> Option<&RefCell<VecDeque<Arc<dyn Runnable>>>> {
        let here = Current::is(&CURRENT, |handle: &Handle| {
            std::ptr::eq(Arc::as_ptr(&handle.shared), self)
        });
        here.then_some(&self.local.0)
    }

    /// Moves the tasks woken from elsewhere behind the local ones: one lock
    /// per batch, not per task. Called by the loop only.
    fn take_remote(&self) {
        let mut remote = lock(&self.queue);
        if !remote.is_empty() {
            self.local.0.borrow_mut().extend(remote.drain(..));
        }
    }

    /// Called by the loop only.
    fn pop(&self) -> Option<Arc<dyn Runnable>> {
        self.local.0.borrow_mut().pop_front()
    }

    /// Called by the loop only.
    fn has_queued(&self) -> bool {
        !self.local.0.borrow().is_empty() || !lock(&self.queue).is_empty()
    }

    // ANCHOR: spawn
    /// `Handle::spawn`, minus the cancel of a task refused after shutdown:
    /// that task is returned, for the caller to cancel where no borrow of
    /// this thread's `CURRENT` is held (cancelling runs the future's
    /// destructor, which may do anything, even enter another runtime).
    fn spawn<F>(shared: &Arc<Shared>, future: F) -> (JoinHandle<F::Output>, Option<Arc<Task<F>>>)
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let mut tasks = lock(&shared.tasks);
        // Checked under the list's lock, which shutdown takes to set the
        // flag: a spawn is either listed before shutdown empties the list
        // (and is cancelled there), or sees the flag.
        if shared.shut_down.load(Ordering::Acquire) {
            drop(tasks);
            // Never listed (no key): the handle still needs its slot.
            let task = Task::new(future, shared.clone(), usize::MAX);
            return (JoinHandle::new(task.clone()), Some(task));
        }
        let entry = tasks.vacant_entry();
        // The one allocation: the future moves into the task's block.
        let task = Task::new(future, shared.clone(), entry.key());
        // Three references to it, three views: the list's and the queue's
        // as `Arc<dyn Runnable>`, the handle's as `Arc<dyn JoinSlot<_>>`.
        // Unsizing an `Arc` changes its type, not its allocation.
        entry.insert(task.clone());
        drop(tasks);
        let handle = JoinHandle::new(task.clone());
        // A new task starts SCHEDULED: it runs once without being woken.
        shared.push(task);
        (handle, None)
    }
    // ANCHOR_END: spawn

    // ANCHOR: release
    /// Removes a task whose future the executor has dropped from the task
    /// list, by its key. The list's reference is dropped outside the lock
    /// (the caller still holds one, so it is never the last).
    pub(crate) fn release(&self, key: usize) {
        let owned = lock(&self.tasks).try_remove(key);
        drop(owned);
    }
    // ANCHOR_END: release
}

// ANCHOR: handle
/// A cheap, cloneable, `Send` handle for spawning onto a runtime from
/// anywhere, including other threads and tasks.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
}

impl Handle {
    /// Spawns `future` as a new task; its output arrives through the handle.
    /// After the runtime has been dropped nothing is spawned: `future` is
    /// dropped unpolled, and the handle reports [`JoinError`] with
    /// `is_cancelled()`.
    ///
    /// [`JoinError`]: crate::JoinError
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (handle, refused) = Shared::spawn(&self.shared, future);
        // After shutdown the future is dropped here, unpolled, outside the
        // lock: its handle reports `cancelled`.
        if let Some(task) = refused {
            task.cancel();
        }
        handle
    }

    /// The handle of the runtime running on this thread.
    ///
    /// # Panics
    /// When called outside `Runtime::block_on` (no runtime on this thread).
    pub fn current() -> Handle {
        Current::get(&CURRENT).expect(
            "no runtime on this thread: call spawn from inside Runtime::block_on, \
             or use Runtime::handle() to spawn from elsewhere",
        )
    }

    /// How many tasks exist and have not been freed: every task the runtime
    /// holds (pending, queued or running), and every finished one that a
    /// waker or its `JoinHandle` still refers to. A finished task's future
    /// is already gone; the rest of it (one allocation, with the join slot)
    /// is freed when its last waker, and its handle, are dropped.
    pub fn live_tasks(&self) -> usize {
        self.shared.allocated.load(Ordering::Relaxed)
    }

    /// How many tasks are in the run queue right now, waiting to be polled.
    /// Each task is in it at most once, however often it was woken. Exact
    /// on the runtime's own thread, and while no thread runs it; from
    /// another thread while it runs, the tasks woken on the runtime's own
    /// thread are not counted (their queue is that thread's alone).
    pub fn queued_tasks(&self) -> usize {
        let local = self.shared.local().map_or(0, |local| local.borrow().len());
        local + lock(&self.shared.queue).len()
    }
}
// ANCHOR_END: handle

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("live_tasks", &self.live_tasks())
            .finish()
    }
}

thread_local! {
    /// The runtime whose `block_on` (or drop) is running on this thread.
    static CURRENT: Current<Handle> = const { Current::new() };
}

/// Spawns onto the runtime running on this thread; see [`Handle::spawn`].
///
/// # Panics
/// When called outside `Runtime::block_on`.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // The current handle is borrowed, not cloned (a clone is an atomic
    // increment and decrement of the runtime's count, for every spawn).
    let spawned = Current::with(&CURRENT, |current| match current {
        Some(handle) => Ok(Shared::spawn(&handle.shared, future)),
        None => Err(future),
    });
    match spawned {
        Ok((handle, refused)) => {
            // Outside the borrow: see `Shared::spawn`.
            if let Some(task) = refused {
                task.cancel();
            }
            handle
        }
        Err(future) => {
            drop(future);
            panic!(
                "no runtime on this thread: call spawn from inside Runtime::block_on, \
                 or use Runtime::handle() to spawn from elsewhere"
            )
        }
    }
}

impl Handle {
    /// Makes this the runtime of the calling thread (what `spawn` finds)
    /// until the guard is dropped, which puts back what was there before
    /// (runtimes may nest in tests): `block_on` and the runtime's drop.
    fn enter(&self) -> EnterGuard<Handle> {
        Current::enter(&CURRENT, self.clone())
    }
}

// ANCHOR: runtime
/// A single-threaded executor driven by a [`Park`] implementation.
pub struct Runtime<P: Park = ThreadPark> {
    park: P,
    shared: Arc<Shared>,
}
// ANCHOR_END: runtime

/// The waker of the future passed to `block_on`: it is not a task, so a wake
/// only raises a flag and unparks the loop.
struct MainWake {
    woken: AtomicBool,
    shared: Arc<Shared>,
}

impl ArcWake for MainWake {
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.shared.unpark.unpark();
    }
}

impl Runtime<ThreadPark> {
    /// A runtime that sleeps with chapter 1's parker when idle.
    #[allow(clippy::new_without_default)] // bound to the calling thread
    pub fn new() -> Self {
        Runtime::with_park(ThreadPark::new())
    }
}

impl<P: Park> Runtime<P> {
    /// A runtime that sleeps in `park` when idle (a reactor, a timer driver).
    pub fn with_park(park: P) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            local: LocalQueue(RefCell::new(VecDeque::new())),
            unpark: Box::new(park.unpark()),
            tasks: Mutex::new(Slab::new()),
            shut_down: AtomicBool::new(false),
            allocated: AtomicUsize::new(0),
        });
        Runtime { park, shared }
    }

    /// A handle for spawning onto this runtime from anywhere.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: self.shared.clone(),
        }
    }

    /// Spawns a task; it starts running once `block_on` runs the loop.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle().spawn(future)
    }

    /// The driver, for drivers that offer more than parking (the reactor).
    pub fn park_mut(&mut self) -> &mut P {
        &mut self.park
    }

    // ANCHOR: block_on
    /// Runs `future` to completion, running spawned tasks meanwhile.
    ///
    /// Returns as soon as `future` is ready, even if other tasks are still
    /// pending: they stay on the runtime and run again in the next
    /// `block_on`, or are cancelled (dropped, never polled again) when the
    /// runtime is dropped. That is tokio's rule, and the only one that never
    /// hangs on a task that waits forever.
    ///
    /// # Panics
    /// If `future` panics (a spawned task's panic goes to its
    /// `JoinHandle` instead), or if the driver's `park` returns an error:
    /// the loop cannot go on without a way to wait.
    pub fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        let _enter = self.handle().enter();
        // Dropped before `_enter`, on return or unwind: hands the tasks
        // still in the local queue to the shared one.
        let _running = Running(&self.shared);
        let mut future = pin!(future);
        let main = Arc::new(MainWake {
            woken: AtomicBool::new(true), // poll it once to start
            shared: self.shared.clone(),
        });
        let main_waker = raw_waker::waker(main.clone());
        let mut cx = Context::from_waker(&main_waker);
        loop {
            // Poll the main future only when it was woken: polling it on
            // every turn would be busy work, and hides lost-wakeup bugs.
            if main.woken.swap(false, Ordering::AcqRel)
                && let Poll::Ready(output) = future.as_mut().poll(&mut cx)
            {
                return output;
            }
            // Run a bounded batch, so the main future and the OS get a turn
            // even when tasks keep waking each other.
            self.shared.take_remote();
            for _ in 0..EVENT_INTERVAL {
                let Some(task) = self.shared.pop() else { break };
                // Back in the queue, if it was woken while it ran, with the
                // reference we popped. A finished task has left the list.
                if let Some(task) = task.run() {
                    self.shared.push(task);
                }
            }
            let result = if self.shared.has_queued() || main.woken.load(Ordering::Acquire) {
                // More work is waiting: only collect events, don't sleep.
                self.park.park_timeout(Duration::ZERO)
            } else {
                // Nothing to do: sleep until a wake (or an OS event) arrives.
                self.park.park()
            };
            result.expect("the runtime's driver failed while waiting for events");
        }
    }
    // ANCHOR_END: block_on
}

/// While `block_on` runs; on the way out, moves what is left in the local
/// queue to the shared one, where the next `block_on` (or the shutdown)
/// finds it and where any thread can count it.
struct Running<'a>(&'a Shared);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let left: Vec<_> = self.0.local.0.borrow_mut().drain(..).collect();
        if !left.is_empty() {
            lock(&self.0.queue).extend(left);
        }
    }
}

// ANCHOR: shutdown
impl<P: Park> Drop for Runtime<P> {
    /// Cancels every task that is still alive: each future is dropped (never
    /// polled again) here, on the runtime's thread, and its `JoinHandle`
    /// reports `JoinError::Cancelled`.
    fn drop(&mut self) {
        let _enter = self.handle().enter();
        // Under the list's lock: from here on `spawn` lists nothing, and
        // `push` (which checks under the queue lock) queues nothing.
        let owned: Vec<Arc<dyn Runnable>> = {
            let mut tasks = lock(&self.shared.tasks);
            self.shared.shut_down.store(true, Ordering::Release);
            tasks.drain().collect()
        };
        let mut queued: Vec<_> = lock(&self.shared.queue).drain(..).collect();
        queued.extend(self.shared.local.0.borrow_mut().drain(..));
        // Outside both locks: dropping a future runs arbitrary code, which
        // may spawn or wake (and finds the runtime shut down).
        for task in &owned {
            task.cancel();
        }
        drop(queued);
        drop(owned);
    }
}
// ANCHOR_END: shutdown

impl<P: Park> fmt::Debug for Runtime<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("live_tasks", &self.handle().live_tasks())
            .finish_non_exhaustive()
    }
}
