//! The reactor as the executor's park: sleeping in the OS wait, and being
//! woken out of it without losing a wake or paying for one needlessly.

use std::future::poll_fn;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Poll, Waker};
use std::thread;
use std::time::Duration;

use executor::{Park, Unpark};
use reactor::{Reactor, Runtime, Step, spawn, yield_now};

// ANCHOR: unpark_first_test
#[test]
fn an_unpark_before_the_park_makes_it_return_at_once() {
    testkit::within("an_unpark_before_the_park", || {
        let mut reactor = Reactor::new().unwrap();
        let unpark = reactor.unpark();
        // The executor looked at its queue, found it empty, and is about to
        // park; a wake lands right now, before the OS wait has begun.
        unpark.unpark();
        reactor.park().unwrap(); // must not sleep: the wake would be lost
        assert_eq!(reactor.handle().waker_writes(), 0, "and it cost no syscall");
    })
}
// ANCHOR_END: unpark_first_test

#[test]
fn an_unpark_from_another_thread_ends_a_blocked_park() {
    testkit::within("an_unpark_ends_a_blocked_park", || {
        // The hook reports the park, so the other thread unparks a reactor
        // that is committed to sleeping, never one that is still running.
        let (parked, wait_for_park) = mpsc::channel();
        let parked = Mutex::new(parked);
        let mut reactor = Reactor::with_trace(Arc::new(move |step: &Step| {
            if let Step::Park { timeout: None } = step {
                let _ = parked.lock().unwrap().send(());
            }
        }))
        .unwrap();
        let unpark = reactor.unpark();
        let waker = thread::spawn(move || {
            wait_for_park.recv().unwrap();
            unpark.unpark();
        });
        reactor.park().unwrap();
        waker.join().unwrap();
        assert_eq!(reactor.handle().waker_writes(), 1);
    })
}

// ANCHOR: free_unpark_test
#[test]
fn wakes_on_the_executors_own_thread_never_write_the_eventfd() {
    testkit::within("own_thread_wakes_are_free", || {
        let mut rt = Runtime::new().unwrap();
        rt.block_on(async {
            let tasks: Vec<_> = (0..10)
                .map(|_| {
                    spawn(async {
                        for _ in 0..100 {
                            yield_now().await; // a wake from the executor's thread
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
        assert_eq!(rt.reactor().waker_writes(), 0);
    })
}
// ANCHOR_END: free_unpark_test

/// A one-way counter another thread bumps, with the waker of the task
/// waiting for it to reach a value.
#[derive(Default)]
struct Signal {
    count: AtomicUsize,
    waker: Mutex<Option<Waker>>,
}

impl Signal {
    fn bump(&self) {
        self.count.fetch_add(1, Ordering::SeqCst);
        if let Some(waker) = self.waker.lock().unwrap().take() {
            waker.wake(); // from another thread: the reactor must be unparked
        }
    }

    async fn reach(&self, target: usize) {
        poll_fn(|cx| {
            // Store the waker before looking, so a bump in between still
            // finds a waker to wake.
            *self.waker.lock().unwrap() = Some(cx.waker().clone());
            if self.count.load(Ordering::SeqCst) >= target {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
    }
}

// ANCHOR: cross_thread_test
#[test]
fn a_wake_from_another_thread_is_never_lost_however_it_races_the_park() {
    testkit::within("cross_thread_wakes_are_not_lost", || {
        let mut rt = Runtime::new().unwrap();
        let signal = Arc::new(Signal::default());
        for round in 1..=300usize {
            let bumper = {
                let signal = signal.clone();
                thread::spawn(move || {
                    // Vary the moment: before, during and after the park.
                    thread::sleep(Duration::from_micros((round as u64 % 7) * 20));
                    signal.bump();
                })
            };
            // Hangs (and the watchdog fails the test) if a wake is lost.
            rt.block_on(signal.reach(round));
            bumper.join().unwrap();
        }
        assert!(
            rt.reactor().waker_writes() > 0,
            "some wakes found the reactor asleep"
        );
    })
}
// ANCHOR_END: cross_thread_test

// ANCHOR: threaded_test
#[test]
fn the_reactor_on_its_own_thread_delivers_the_same_reads() {
    testkit::within("threaded reactor", || {
        let mut rt = Runtime::threaded().unwrap();
        let got = rt.block_on(async {
            let (ours, mut peer) = mio::net::UnixStream::pair().unwrap();
            let ours = reactor::Async::new(ours).unwrap();
            let writer = thread::spawn(move || {
                for chunk in [&b"across "[..], b"threads"] {
                    thread::sleep(Duration::from_millis(20));
                    std::io::Write::write_all(&mut peer, chunk).unwrap();
                }
                peer
            });
            let mut got = Vec::new();
            while got.len() < 14 {
                let mut buf = [0u8; 32];
                let n = ours
                    .read_with(|s| std::io::Read::read(&mut &*s, &mut buf))
                    .await
                    .unwrap();
                got.extend_from_slice(&buf[..n]);
            }
            drop(writer.join().unwrap());
            got
        });
        assert_eq!(got, b"across threads");
        assert_eq!(rt.reactor().registered_sources(), 0);
    })
}
// ANCHOR_END: threaded_test
