//! How the reactor keeps and clears readiness: the edge-triggered rules,
//! and the race between a `WouldBlock` and the next event.

use std::cell::{Cell, RefCell};
use std::io::{self, Read, Write};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use executor::Park;
use mio::net::UnixStream;
use reactor::{Async, Reactor, Ready};
use testkit::poll_with;
use testkit::wakers::Counting;

fn read_some(io: &UnixStream, len: usize) -> io::Result<usize> {
    let mut buf = vec![0; len];
    (&*io).read(&mut buf)
}

// ANCHOR: drain_test
#[test]
fn readiness_stays_until_an_operation_sees_would_block() {
    testkit::within(
        "readiness_stays_until_an_operation_sees_would_block",
        || {
            let mut reactor = Reactor::new().unwrap();
            let (ours, mut peer) = UnixStream::pair().unwrap();
            let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
            let (count, waker) = Counting::new();

            let mut first = pin!(ours.read_with(|io| read_some(io, 4)));
            assert!(
                poll_with(first.as_mut(), &waker).is_pending(),
                "nothing sent yet"
            );
            peer.write_all(b"0123456789").unwrap(); // one write: one edge
            reactor.park_timeout(Duration::from_secs(5)).unwrap();
            assert_eq!(count.get(), 1);
            assert!(matches!(poll_with(first, &waker), Poll::Ready(Ok(4))));

            // Six bytes are still there, and the OS will not report them again
            // (edge-triggered): the record must still say readable.
            for expected in [4, 2] {
                let mut next = pin!(ours.read_with(|io| read_some(io, 4)));
                match poll_with(next.as_mut(), &waker) {
                    Poll::Ready(Ok(n)) => assert_eq!(n, expected),
                    other => {
                        panic!("a drained read waited for an event that never comes: {other:?}")
                    }
                }
            }
            // Drained: this read meets WouldBlock, clears the readiness and waits.
            let mut last = pin!(ours.read_with(|io| read_some(io, 4)));
            assert!(poll_with(last.as_mut(), &waker).is_pending());
            assert!(!ours.readiness().intersects(Ready::READABLE));
        },
    )
}
// ANCHOR_END: drain_test

// ANCHOR: race_test
#[test]
fn an_event_between_would_block_and_the_waker_is_not_lost() {
    testkit::within(
        "an_event_between_would_block_and_the_waker_is_not_lost",
        || {
            let reactor = RefCell::new(Reactor::new().unwrap());
            let (ours, mut peer) = UnixStream::pair().unwrap();
            let ours = Async::with_handle(ours, &reactor.borrow().handle()).unwrap();
            let (count, waker) = Counting::new();

            let mut tries = 0;
            let mut read = pin!(ours.read_with(|io| {
                tries += 1;
                let result = read_some(io, 64);
                if tries == 1 {
                    // The worst moment: the read has returned WouldBlock, the
                    // future has not yet told the reactor. Data arrives now and
                    // the reactor dispatches its (only) event.
                    assert_eq!(
                        result.as_ref().unwrap_err().kind(),
                        io::ErrorKind::WouldBlock
                    );
                    peer.write_all(b"late").unwrap();
                    reactor
                        .borrow_mut()
                        .park_timeout(Duration::from_secs(5))
                        .unwrap();
                }
                result
            }));
            // The event bumped the record's tick, so the WouldBlock does not
            // clear the readiness it brought: the future tries again at once.
            match poll_with(read.as_mut(), &waker) {
                Poll::Ready(Ok(4)) => {}
                other => panic!("the event that raced the WouldBlock was lost: {other:?}"),
            }
            assert_eq!(count.get(), 0, "it never had to wait");
        },
    )
}
// ANCHOR_END: race_test

#[test]
fn a_new_source_is_tried_before_any_event() {
    testkit::within("a_new_source_is_tried_before_any_event", || {
        let reactor = Reactor::new().unwrap();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        // Data is there before the source is registered.
        peer.write_all(b"early").unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (_, waker) = Counting::new();
        let read = pin!(ours.read_with(|io| read_some(io, 64)));
        assert!(matches!(poll_with(read, &waker), Poll::Ready(Ok(5))));
    })
}

/// The byte-stream rule `TcpStream::read` uses (chapter 6): a read that
/// fills less than its buffer has emptied the receive queue.
fn short(len: usize) -> impl Fn(&usize) -> bool {
    move |&n| n > 0 && n < len
}

// ANCHOR: short_read_test
#[test]
fn a_short_read_clears_readiness_and_new_data_still_wakes() {
    testkit::within(
        "a_short_read_clears_readiness_and_new_data_still_wakes",
        || {
            let mut reactor = Reactor::new().unwrap();
            let (ours, mut peer) = UnixStream::pair().unwrap();
            let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
            let (count, waker) = Counting::new();

            peer.write_all(b"abc").unwrap();
            reactor.park_timeout(Duration::from_secs(5)).unwrap();
            let first = pin!(ours.read_with_drain(|io| read_some(io, 16), short(16)));
            assert!(matches!(poll_with(first, &waker), Poll::Ready(Ok(3))));
            assert!(
                !ours.readiness().intersects(Ready::READABLE),
                "3 bytes into a 16-byte buffer emptied the socket: the readiness is spent"
            );

            // So the next read waits without trying: no system call at all.
            let calls = Cell::new(0);
            let mut next = pin!(ours.read_with_drain(
                |io| {
                    calls.set(calls.get() + 1);
                    read_some(io, 16)
                },
                short(16),
            ));
            assert!(poll_with(next.as_mut(), &waker).is_pending());
            // And data that comes later is reported, and wakes it.
            peer.write_all(b"more").unwrap();
            reactor.park_timeout(Duration::from_secs(5)).unwrap();
            assert_eq!(count.get(), 1, "the new data woke the reader");
            assert!(matches!(poll_with(next, &waker), Poll::Ready(Ok(4))));
            assert_eq!(
                calls.get(),
                1,
                "it tried once: when the event came, not before"
            );
        },
    )
}
// ANCHOR_END: short_read_test

#[test]
fn a_full_read_keeps_readiness() {
    testkit::within("a_full_read_keeps_readiness", || {
        let mut reactor = Reactor::new().unwrap();
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.handle()).unwrap();
        let (count, waker) = Counting::new();

        peer.write_all(&[7; 20]).unwrap(); // one write: one edge
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        let full = pin!(ours.read_with_drain(|io| read_some(io, 16), short(16)));
        assert!(matches!(poll_with(full, &waker), Poll::Ready(Ok(16))));
        // A full buffer proves nothing about what is left: 4 bytes are.
        let rest = pin!(ours.read_with_drain(|io| read_some(io, 16), short(16)));
        match poll_with(rest, &waker) {
            Poll::Ready(Ok(4)) => {}
            other => panic!("a full read gave up readiness it had no proof was spent: {other:?}"),
        }
        assert_eq!(count.get(), 0);
    })
}

#[test]
fn an_event_during_a_short_read_keeps_readiness() {
    testkit::within("an_event_during_a_short_read_keeps_readiness", || {
        let reactor = RefCell::new(Reactor::new().unwrap());
        let (ours, mut peer) = UnixStream::pair().unwrap();
        let ours = Async::with_handle(ours, &reactor.borrow().handle()).unwrap();
        let (count, waker) = Counting::new();

        peer.write_all(b"abc").unwrap();
        let first = pin!(ours.read_with_drain(
            |io| {
                let result = read_some(io, 16);
                // Data arrives after the read emptied the socket, and the
                // reactor reports it before the future clears the readiness.
                peer.write_all(b"late").unwrap();
                reactor
                    .borrow_mut()
                    .park_timeout(Duration::from_secs(5))
                    .unwrap();
                result
            },
            short(16),
        ));
        assert!(matches!(poll_with(first, &waker), Poll::Ready(Ok(3))));
        let next = pin!(ours.read_with_drain(|io| read_some(io, 16), short(16)));
        match poll_with(next, &waker) {
            Poll::Ready(Ok(4)) => {}
            other => panic!("the event that raced the short read was lost: {other:?}"),
        }
        assert_eq!(count.get(), 0, "it never had to wait");
    })
}

/// Why a new record may start "not ready" and still be correct (tokio's does):
/// epoll checks a source's readiness when it is added, and reports the
/// readiness it already has on the next wait. Data written before the
/// registration is announced; a source with no data is not.
#[test]
fn epoll_reports_readiness_that_exists_at_registration() {
    use mio::{Events, Interest, Poll, Token};

    testkit::within("readiness at registration", || {
        let mut poll = Poll::new().unwrap();
        let (mut writer, mut with_data) = UnixStream::pair().unwrap();
        let (_keep, mut without_data) = UnixStream::pair().unwrap();
        writer.write_all(b"before").unwrap();
        // Registered after the data arrived: no edge happens from here on.
        poll.registry()
            .register(&mut with_data, Token(1), Interest::READABLE)
            .unwrap();
        poll.registry()
            .register(&mut without_data, Token(2), Interest::READABLE)
            .unwrap();
        let mut events = Events::with_capacity(8);
        poll.poll(&mut events, Some(Duration::from_secs(5)))
            .unwrap();
        let readable: Vec<usize> = events
            .iter()
            .filter(|e| e.is_readable())
            .map(|e| e.token().0)
            .collect();
        assert_eq!(readable, [1], "readable events after registering");
    });
}

// ANCHOR: icmp_test
#[test]
fn an_icmp_error_does_not_close_a_udp_sockets_write_side() {
    testkit::within("an_icmp_error_does_not_close_the_write_side", || {
        let mut reactor = Reactor::new().unwrap();
        // A loopback port with nobody on it: bind one, note it, close it.
        let closed = std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let socket = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        socket.connect(closed).unwrap();
        let socket = Async::with_handle(socket, &reactor.handle()).unwrap();
        let (_, waker) = Counting::new();

        // The datagram goes out; the ICMP "port unreachable" that comes back
        // is a pending error, which epoll reports as EPOLLOUT | EPOLLERR.
        let send = pin!(socket.write_with(|s| s.send(b"ping")));
        assert!(matches!(poll_with(send, &waker), Poll::Ready(Ok(4))));
        for _ in 0..50 {
            if socket.readiness().intersects(Ready::ERROR) {
                break;
            }
            reactor.park_timeout(Duration::from_millis(100)).unwrap();
        }
        assert!(socket.readiness().intersects(Ready::ERROR));
        let send = pin!(socket.write_with(|s| s.send(b"ping")));
        match poll_with(send, &waker) {
            Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::ConnectionRefused => {}
            other => panic!("the ICMP error should be the next send's result: {other:?}"),
        }

        // The error is spent. A send that finds the buffer full (the
        // operation says so: on loopback a real one rarely does) must wait.
        let tries = Cell::new(0);
        let mut full = pin!(socket.write_with(|_| {
            tries.set(tries.get() + 1);
            if tries.get() > 1000 {
                return Ok(0);
            }
            Err::<usize, _>(io::ErrorKind::WouldBlock.into())
        }));
        assert!(
            poll_with(full.as_mut(), &waker).is_pending(),
            "a WouldBlock send was retried {} times without waiting",
            tries.get()
        );
        assert_eq!(tries.get(), 1);
    })
}
// ANCHOR_END: icmp_test

#[test]
fn a_writer_whose_reader_is_gone_gets_broken_pipe() {
    testkit::within("a_writer_whose_reader_is_gone", || {
        let mut reactor = Reactor::new().unwrap();
        let (sender, receiver) = mio::unix::pipe::new().unwrap();
        let sender = Async::with_handle(sender, &reactor.handle()).unwrap();
        let (count, waker) = Counting::new();
        // Fill the pipe, so the writer has to wait.
        let mut fill = pin!(sender.write_with(|s| -> io::Result<()> {
            loop {
                let _ = (&*s).write(&[0; 4096])?;
            }
        }));
        assert!(poll_with(fill.as_mut(), &waker).is_pending());
        drop(receiver); // epoll reports EPOLLERR on the write end
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(count.get(), 1, "the error woke the writer");
        match poll_with(fill, &waker) {
            Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => {}
            other => panic!("expected EPIPE: {other:?}"),
        }
    })
}

// ANCHOR: readable_guard_test
#[test]
fn readable_and_a_would_block_read_wait_once_the_guard_clears() {
    testkit::within("readable_and_a_would_block_read_wait", || {
        let reactor = Reactor::new().unwrap();
        let (_sender, receiver) = mio::unix::pipe::new().unwrap();
        let receiver = Async::with_handle(receiver, &reactor.handle()).unwrap();
        let (_, waker) = Counting::new();
        // The loop a task writes: wait for readable, try to read. On an empty
        // pipe the read says WouldBlock, and the next wait must be a real one
        // (bounded: without a way to clear, this loop would never end).
        let mut readies = 0;
        for _ in 0..1000 {
            let mut readable = pin!(receiver.readable());
            match poll_with(readable.as_mut(), &waker) {
                Poll::Ready(Ok(mut guard)) => {
                    readies += 1;
                    // WouldBlock: `try_io` clears the readiness it came with.
                    if let Ok(read) = guard.try_io(|r| (&*r).read(&mut [0; 8])) {
                        panic!("an empty pipe read {read:?}");
                    }
                }
                Poll::Ready(Err(e)) => panic!("{e}"),
                Poll::Pending => break,
            }
        }
        assert_eq!(
            readies, 1,
            "readable() was Ready {readies} times on an empty pipe"
        );
    })
}
// ANCHOR_END: readable_guard_test

#[test]
fn a_guard_cleared_after_its_own_would_block_waits_for_the_next_event() {
    testkit::within("a_guard_cleared_after_its_own_would_block", || {
        let mut reactor = Reactor::new().unwrap();
        let (mut sender, receiver) = mio::unix::pipe::new().unwrap();
        let receiver = Async::with_handle(receiver, &reactor.handle()).unwrap();
        let (count, waker) = Counting::new();
        let mut guard = match poll_with(pin!(receiver.readable()), &waker) {
            Poll::Ready(Ok(guard)) => guard,
            other => panic!("a new source starts readable: {other:?}"),
        };
        // The caller's own read, outside the guard, says WouldBlock.
        let read = receiver.get_ref().read(&mut [0; 8]);
        assert_eq!(read.unwrap_err().kind(), io::ErrorKind::WouldBlock);
        guard.clear_ready();
        let mut readable = pin!(receiver.readable());
        assert!(poll_with(readable.as_mut(), &waker).is_pending());
        sender.write_all(b"x").unwrap();
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(count.get(), 1, "the data woke the waiting readable()");
        let Poll::Ready(Ok(mut guard)) = poll_with(readable, &waker) else {
            panic!("readable after the event");
        };
        assert!(matches!(
            guard.try_io(|r| (&*r).read(&mut [0; 8])),
            Ok(Ok(1))
        ));
    })
}
