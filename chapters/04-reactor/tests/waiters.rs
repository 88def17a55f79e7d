//! Who gets woken: several tasks on one source, readers apart from writers,
//! and always the newest waker of a future.

use std::io::{self, Read, Write};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use executor::Park;
use mio::net::{UnixDatagram, UnixStream};
use reactor::{Async, Reactor, Runtime, spawn, yield_now};
use testkit::poll_with;
use testkit::wakers::Counting;

// ANCHOR: two_readers_test
#[test]
fn two_tasks_reading_one_source_both_complete_when_two_messages_arrive() {
    testkit::within("two_tasks_reading_one_source_both_complete", || {
        let mut rt = Runtime::new().unwrap();
        let reactor = rt.reactor().clone();
        let mut got = rt.block_on(async move {
            let (ours, peer) = UnixDatagram::pair().unwrap();
            let ours = std::sync::Arc::new(Async::new(ours).unwrap());
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let ours = ours.clone();
                    spawn(async move {
                        let mut buf = [0u8; 16];
                        let n = ours.read_with(|s| s.recv(&mut buf)).await.unwrap();
                        buf[..n].to_vec()
                    })
                })
                .collect();
            yield_now().await; // both readers run, find nothing, and wait
            assert_eq!(reactor.waiters(), 2);

            peer.send(b"one").unwrap();
            // Both are woken by the one event; one gets the datagram, the
            // other meets WouldBlock and must go back to waiting, not fail.
            while reactor.waiters() != 1 {
                yield_now().await;
            }
            peer.send(b"two").unwrap();
            let mut got = Vec::new();
            for reader in readers {
                got.push(reader.await.unwrap());
            }
            got
        });
        got.sort();
        assert_eq!(got, [b"one".to_vec(), b"two".to_vec()]);
    })
}
// ANCHOR_END: two_readers_test

/// Writes into `stream` until the socket buffer is full.
fn fill(stream: &Async<UnixStream>) {
    let chunk = [7u8; 4096];
    loop {
        match stream.get_ref().write(&chunk) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) => panic!("fill: {e}"),
        }
    }
}

// ANCHOR: directions_test
#[test]
fn a_reader_and_a_writer_on_one_source_are_woken_independently() {
    testkit::within("a_reader_and_a_writer_are_woken_independently", || {
        let mut reactor = Reactor::new().unwrap();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        fill(&ours);
        let (reads, read_waker) = Counting::new();
        let (writes, write_waker) = Counting::new();
        let mut read = pin!(ours.read_with(|s| (&*s).read(&mut [0; 64])));
        let mut write = pin!(ours.write_with(|s| (&*s).write(&[1; 64])));
        assert!(poll_with(read.as_mut(), &read_waker).is_pending());
        assert!(poll_with(write.as_mut(), &write_waker).is_pending());

        // The peer drains our writes: room to write, nothing to read.
        let mut sink = vec![0; 1 << 20];
        while reactor.handle().waiters() == 2 && writes.get() == 0 {
            match peer.read(&mut sink) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    reactor.park_timeout(Duration::from_millis(100)).unwrap()
                }
                Err(e) => panic!("drain: {e}"),
            }
        }
        assert_eq!(
            (reads.get(), writes.get()),
            (0, 1),
            "room to write woke the reader"
        );
        assert!(poll_with(write.as_mut(), &write_waker).is_ready());

        // The peer writes: data to read. Only the reader wakes.
        peer.write_all(b"hi").unwrap();
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!((reads.get(), writes.get()), (1, 1));
        assert!(matches!(
            poll_with(read.as_mut(), &read_waker),
            Poll::Ready(Ok(2))
        ));
    })
}
// ANCHOR_END: directions_test

// ANCHOR: moved_test
#[test]
fn a_future_that_moved_to_another_task_wakes_the_new_task() {
    testkit::within("a_future_that_moved_wakes_the_new_task", || {
        let mut reactor = Reactor::new().unwrap();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (old_task, old_waker) = Counting::new();
        let (new_task, new_waker) = Counting::new();
        let mut read = pin!(ours.read_with(|s| (&*s).read(&mut [0; 64])));
        assert!(poll_with(read.as_mut(), &old_waker).is_pending());
        // Polled again by another task (as after being sent to a new task,
        // or passed between branches of a select): its waker changed.
        assert!(poll_with(read.as_mut(), &new_waker).is_pending());

        peer.write_all(b"x").unwrap();
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!((old_task.get(), new_task.get()), (0, 1));
        assert_eq!(reactor.handle().waiters(), 1, "one future, one waiter slot");
    })
}
// ANCHOR_END: moved_test

#[test]
fn a_waiting_future_that_is_dropped_leaves_no_waiter_behind() {
    testkit::within("a_dropped_future_leaves_no_waiter", || {
        let reactor = Reactor::new().unwrap();
        let (ours, _peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (_, waker) = Counting::new();
        {
            let mut readable = pin!(ours.readable());
            let mut read = pin!(ours.read_with(|s| (&*s).read(&mut [0; 8])));
            assert!(poll_with(read.as_mut(), &waker).is_pending());
            // The failed read cleared the readiness: `readable` waits too.
            assert!(poll_with(readable.as_mut(), &waker).is_pending());
            assert_eq!(reactor.handle().waiters(), 2);
        } // both cancelled here, the way a select or a timeout drops its losers
        assert_eq!(reactor.handle().waiters(), 0);
    })
}

#[test]
fn dropping_the_reactor_wakes_its_waiters_with_an_error() {
    testkit::within("dropping_the_reactor_wakes_its_waiters", || {
        let reactor = Reactor::new().unwrap();
        let (ours, _peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (count, waker) = Counting::new();
        let mut read = pin!(ours.read_with(|s| (&*s).read(&mut [0; 8])));
        assert!(poll_with(read.as_mut(), &waker).is_pending());
        drop(reactor);
        assert_eq!(count.get(), 1, "a waiter was left asleep forever");
        assert!(matches!(poll_with(read, &waker), Poll::Ready(Err(_))));
    })
}
