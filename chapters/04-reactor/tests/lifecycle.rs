//! Registering and dropping sources: slots are freed, reused, and never
//! woken for their previous owner; dropping a source from inside a wake
//! neither crashes nor deadlocks.

use std::io::{self, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use executor::Park;
use mio::net::UnixStream;
use mio::unix::pipe;
use reactor::{Async, Handle, Reactor, Runtime, spawn};
use testkit::poll_with;
use testkit::wakers::Counting;

// ANCHOR: leak_test
#[test]
fn dropping_1000_sources_leaves_the_tables_at_their_starting_size() {
    testkit::within("dropping_1000_sources", || {
        let reactor = Reactor::new().unwrap();
        let handle = reactor.handle();
        let (_, waker) = Counting::new();
        let mut capacity = None;
        // Four rounds of 250 live pipes (500 fds), well under any fd limit.
        for _round in 0..4 {
            let mut sources = Vec::new();
            for _ in 0..250 {
                let (sender, receiver) = pipe::new().unwrap();
                let receiver = Async::with_handle(receiver, &handle).unwrap();
                // Each one leaves a waiter, as a task blocked in a read does.
                let mut read = Box::pin(async move {
                    let r = receiver.read_with(|r| (&*r).read(&mut [0; 8])).await;
                    drop(sender);
                    r
                });
                assert!(poll_with(read.as_mut(), &waker).is_pending());
                sources.push(read);
            }
            assert_eq!(handle.registered_sources(), 250);
            assert_eq!(handle.waiters(), 250);
            drop(sources); // cancels each read, then drops (deregisters) its source
            assert_eq!(handle.registered_sources(), 0);
            assert_eq!(handle.waiters(), 0);
            // Freed slots are reused: the slab does not grow round after round.
            let now = handle.slot_capacity();
            assert_eq!(*capacity.get_or_insert(now), now);
        }
    })
}
// ANCHOR_END: leak_test

/// A waker that drops a source when woken: the worst thing a woken task
/// can do to a reactor that is still dispatching.
struct DropOnWake(Mutex<Option<Async<UnixStream>>>);

impl Wake for DropOnWake {
    fn wake(self: Arc<Self>) {
        self.0.lock().unwrap().take();
    }
}

// ANCHOR: drop_in_dispatch_test
#[test]
fn a_source_dropped_while_the_reactor_dispatches_does_not_deadlock() {
    testkit::within("a_source_dropped_during_dispatch", || {
        let mut reactor = Reactor::new().unwrap();
        let handle: Handle = reactor.handle();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let (other, mut other_peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &handle).unwrap();
        let other = Async::with_handle(other, &handle).unwrap();
        // Both sources start out presumed readable; a read that meets
        // WouldBlock makes them wait for a real event.
        let (others, other_waker) = Counting::new();
        let mut other_read = pin!(other.read_with(|s| (&*s).read(&mut [0; 8])));
        assert!(poll_with(other_read.as_mut(), &other_waker).is_pending());
        let holder = Arc::new(DropOnWake(Mutex::new(None)));
        let waker = Waker::from(holder.clone());
        let polled = ours.poll_read_with(&mut Context::from_waker(&waker), |s| {
            (&*s).read(&mut [0; 8])
        });
        assert!(polled.is_pending());
        *holder.0.lock().unwrap() = Some(ours);

        // Two events in one batch; the first wake drops its own source.
        peer.write_all(b"a").unwrap();
        other_peer.write_all(b"b").unwrap();
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        assert!(holder.0.lock().unwrap().is_none(), "the wake ran");
        assert_eq!(others.get(), 1, "the other source's waiter was woken too");
        assert_eq!(handle.registered_sources(), 1);
    })
}
// ANCHOR_END: drop_in_dispatch_test

#[test]
fn a_source_created_outside_a_runtime_is_a_clear_error() {
    let (ours, _peer) = UnixStream::pair().unwrap();
    let err = Async::new(ours).unwrap_err();
    assert!(
        err.to_string().contains("no reactor on this thread"),
        "{err}"
    );
}

#[test]
fn tasks_spawned_inside_block_on_can_create_sources() {
    testkit::within("tasks_can_create_sources", || {
        let mut rt = Runtime::new().unwrap();
        let got = rt.block_on(async {
            let (ours, mut peer) = UnixStream::pair().unwrap();
            let task = spawn(async move {
                let ours = Async::new(ours)?;
                let mut buf = [0u8; 8];
                let n = ours.read_with(|s| (&*s).read(&mut buf)).await?;
                std::io::Result::Ok(buf[..n].to_vec())
            });
            peer.write_all(b"ok").unwrap();
            task.await.unwrap().unwrap()
        });
        assert_eq!(got, b"ok");
        assert_eq!(rt.reactor().registered_sources(), 0);
    })
}

fn read8(source: &UnixStream) -> io::Result<usize> {
    (&*source).read(&mut [0; 8])
}

// ANCHOR: waker_drop_tests
/// A waker whose last reference owns a source. Dropping it drops the source,
/// which deregisters itself and so takes the reactor's lock: what happens
/// when a waker is the last handle to a task that holds an `Async`.
struct OwnsSource(#[allow(dead_code)] Async<UnixStream>);

impl Wake for OwnsSource {
    fn wake(self: Arc<Self>) {}
}

/// A registered source, and a waker that owns another one.
fn source_and_owning_waker(handle: &Handle) -> (Async<UnixStream>, Waker, UnixStream) {
    let (ours, peer) = UnixStream::pair().unwrap();
    let (other, _) = UnixStream::pair().unwrap();
    let other = Async::with_handle(other, handle).unwrap();
    let waker = Waker::from(Arc::new(OwnsSource(other)));
    (Async::with_handle(ours, handle).unwrap(), waker, peer)
}

#[test]
fn a_replaced_waker_is_dropped_outside_the_reactors_lock() {
    testkit::within("a_replaced_waker_is_dropped_outside_the_lock", || {
        let reactor = Reactor::new().unwrap();
        let handle = reactor.handle();
        let (ours, first, _peer) = source_and_owning_waker(&handle);
        let mut read = pin!(ours.read_with(read8));
        assert!(poll_with(read.as_mut(), &first).is_pending());
        drop(first); // the record now holds the only reference
        // The future moved to another task: its waker replaces the first,
        // and dropping the first deregisters the other source.
        let (_, second) = Counting::new();
        assert!(poll_with(read.as_mut(), &second).is_pending());
        assert_eq!(handle.registered_sources(), 1);
    })
}

#[test]
fn a_cancelled_futures_waker_is_dropped_outside_the_reactors_lock() {
    testkit::within(
        "a_cancelled_futures_waker_is_dropped_outside_the_lock",
        || {
            let reactor = Reactor::new().unwrap();
            let handle = reactor.handle();
            let (ours, waker, _peer) = source_and_owning_waker(&handle);
            let mut read = Box::pin(ours.read_with(read8));
            assert!(poll_with(read.as_mut(), &waker).is_pending());
            drop(waker);
            drop(read); // frees its waiter slot, and with it the last waker
            assert_eq!(handle.registered_sources(), 1);
        },
    )
}

#[test]
fn a_dropped_sources_waker_is_dropped_outside_the_reactors_lock() {
    testkit::within(
        "a_dropped_sources_waker_is_dropped_outside_the_lock",
        || {
            let reactor = Reactor::new().unwrap();
            let handle = reactor.handle();
            let (ours, waker, _peer) = source_and_owning_waker(&handle);
            // The poll-style slot keeps the waker after the call returns.
            let polled = ours.poll_read_with(&mut Context::from_waker(&waker), read8);
            assert!(polled.is_pending());
            drop(waker);
            drop(ours); // frees its record, and the waker in it
            assert_eq!(handle.registered_sources(), 0);
        },
    )
}
// ANCHOR_END: waker_drop_tests

// ANCHOR: shutdown_race_test
#[test]
fn a_waiter_that_races_the_reactors_shutdown_is_refused_or_woken() {
    testkit::watchdog(
        "a_waiter_that_races_the_shutdown",
        Duration::from_secs(60),
        || {
            const ROUNDS: usize = 1000;
            let mut lost = 0;
            for _ in 0..ROUNDS {
                let reactor = Reactor::new().unwrap();
                let handle = reactor.handle();
                let (ours, _peer) = UnixStream::pair().unwrap();
                let ours = Async::with_handle(ours, &handle).unwrap();
                let go = Arc::new(Barrier::new(3));
                let done = Arc::new(AtomicBool::new(false));
                let dropper = {
                    let go = go.clone();
                    thread::spawn(move || {
                        go.wait();
                        drop(reactor);
                    })
                };
                // A third thread keeps the reactor's lock busy, as other
                // sources would: the waiter and the shutdown then often
                // queue for it together, which is where they can cross.
                let contender = {
                    let (go, done) = (go.clone(), done.clone());
                    thread::spawn(move || {
                        go.wait();
                        while !done.load(Ordering::Relaxed) {
                            handle.registered_sources();
                        }
                    })
                };
                go.wait();
                // Wait again and again while the other thread shuts the
                // reactor down, keeping the latest waiting future alive.
                let mut last = None;
                loop {
                    let (count, waker) = Counting::new();
                    let mut read = Box::pin(ours.read_with(read8));
                    match poll_with(read.as_mut(), &waker) {
                        Poll::Pending => last = Some((count, read)),
                        Poll::Ready(Err(_)) => break, // refused: shut down
                        Poll::Ready(Ok(n)) => panic!("read {n} bytes nobody sent"),
                    }
                }
                dropper.join().unwrap();
                done.store(true, Ordering::Relaxed);
                contender.join().unwrap();
                // It waited before the shutdown was seen: the shutdown must
                // have woken it, or it sleeps for ever.
                if let Some((count, _read)) = last
                    && count.get() == 0
                {
                    lost += 1;
                }
            }
            assert_eq!(lost, 0, "{lost} of {ROUNDS} waiters were never woken");
        },
    )
}
// ANCHOR_END: shutdown_race_test

// ANCHOR: panicking_waker_test
/// A waker that panics when woken.
struct Panics;

impl Wake for Panics {
    fn wake(self: Arc<Self>) {
        panic!("this waker panics");
    }
}

#[test]
fn a_panicking_waker_does_not_keep_the_rest_of_its_batch_asleep() {
    testkit::within("a_panicking_waker_in_a_batch", || {
        let mut reactor = Reactor::new().unwrap();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (before, before_waker) = Counting::new();
        let (after, after_waker) = Counting::new();
        let panics = Waker::from(Arc::new(Panics));
        let mut first = pin!(ours.read_with(read8));
        let mut second = pin!(ours.read_with(read8));
        let mut third = pin!(ours.read_with(read8));
        assert!(poll_with(first.as_mut(), &before_waker).is_pending());
        assert!(poll_with(second.as_mut(), &panics).is_pending());
        assert!(poll_with(third.as_mut(), &after_waker).is_pending());

        peer.write_all(b"x").unwrap(); // one event, three wakers
        let parked = catch_unwind(AssertUnwindSafe(|| {
            reactor.park_timeout(Duration::from_secs(5))
        }));
        assert!(parked.is_err(), "the waker's panic reaches the caller");
        assert_eq!(
            (before.get(), after.get()),
            (1, 1),
            "every other waker of the batch was woken"
        );
    })
}
// ANCHOR_END: panicking_waker_test

#[test]
fn a_panicking_waker_does_not_keep_the_rest_asleep_at_shutdown() {
    testkit::within("a_panicking_waker_at_shutdown", || {
        let reactor = Reactor::new().unwrap();
        let (ours, _peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (after, after_waker) = Counting::new();
        let panics = Waker::from(Arc::new(Panics));
        let mut first = pin!(ours.read_with(read8));
        let mut second = pin!(ours.read_with(read8));
        assert!(poll_with(first.as_mut(), &panics).is_pending());
        assert!(poll_with(second.as_mut(), &after_waker).is_pending());
        let dropped = catch_unwind(AssertUnwindSafe(|| drop(reactor)));
        assert!(dropped.is_err(), "the waker's panic reaches the caller");
        assert_eq!(after.get(), 1, "the other waiter was woken");
    })
}
