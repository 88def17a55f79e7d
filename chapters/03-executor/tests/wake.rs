//! Wakes from other threads reach the executor, even while it sleeps, and it
//! sleeps rather than spins while it waits.

mod common;

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use common::{counted, has_waker, wake, waker_slot};
use executor::{Park, Runtime, ThreadPark, yield_now};

// ANCHOR: counting_park
/// A driver that sleeps like `ThreadPark` and counts how often the executor
/// asked it to: a busy-waiting executor would ask thousands of times.
struct CountingPark {
    inner: ThreadPark,
    waits: Arc<AtomicUsize>,
}

impl Park for CountingPark {
    type Unpark = <ThreadPark as Park>::Unpark;

    fn unpark(&self) -> Self::Unpark {
        self.inner.unpark()
    }

    fn park(&mut self) -> io::Result<()> {
        self.waits.fetch_add(1, Ordering::SeqCst);
        self.inner.park()
    }

    fn park_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.waits.fetch_add(1, Ordering::SeqCst);
        self.inner.park_timeout(timeout)
    }
}
// ANCHOR_END: counting_park

// ANCHOR: wake_while_idle
#[test]
fn wake_from_another_thread_reaches_the_idle_executor() {
    testkit::within("wake while idle", || {
        let waits = Arc::new(AtomicUsize::new(0));
        let mut runtime = Runtime::with_park(CountingPark {
            inner: ThreadPark::new(),
            waits: waits.clone(),
        });
        let (polls, slot) = (Arc::new(AtomicUsize::new(0)), waker_slot());
        let task = runtime.spawn(counted(polls.clone(), slot.clone(), 2));
        let waker_thread = thread::spawn(move || {
            while !has_waker(&slot) {
                thread::yield_now();
            }
            // By now the executor has nothing to run and is asleep.
            thread::sleep(Duration::from_millis(200));
            wake(&slot);
        });
        runtime.block_on(task).expect("the wake arrived");
        waker_thread.join().unwrap();
        assert_eq!(polls.load(Ordering::SeqCst), 2);
        let waits = waits.load(Ordering::SeqCst);
        assert!(
            waits <= 4,
            "the executor spun instead of sleeping: {waits} waits"
        );
    });
}
// ANCHOR_END: wake_while_idle

#[test]
fn many_wakes_from_another_thread_queue_the_task_once() {
    testkit::within("many wakes from a thread", || {
        let mut runtime = Runtime::new();
        let waiting = common::spawn_waiting(&mut runtime);
        let slot = waiting.slot.clone();
        thread::spawn(move || {
            for _ in 0..1000 {
                wake(&slot);
            }
        })
        .join()
        .unwrap();
        assert_eq!(runtime.handle().queued_tasks(), 1);
        runtime.block_on(async {
            for _ in 0..10 {
                yield_now().await;
            }
        });
        assert_eq!(waiting.polls.load(Ordering::SeqCst), 2);
    });
}
