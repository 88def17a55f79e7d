//! Exercise 4.3: a per-slot readiness counter fed by the trace hook.

use std::io::{Read, Write};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use executor::Park;
use mio::unix::pipe;
use reactor::exercises::event_tally::{EventTally, Tally};
use reactor::{Async, Reactor};
use testkit::poll_once;

#[test]
fn counts_events_wakes_and_would_blocks_per_slot() {
    testkit::within("event tally: counts", || {
        let tally = EventTally::new();
        let mut reactor = Reactor::with_trace(tally.hook()).unwrap();
        let handle = reactor.handle();
        let (mut tx, rx) = pipe::new().unwrap();
        let (_tx2, idle) = pipe::new().unwrap();
        let rx = Async::with_handle(rx, &handle).unwrap();
        let idle = Async::with_handle(idle, &handle).unwrap();
        assert_eq!(tally.get(rx.slot()), Tally::default());

        let mut buf = [0u8; 16];
        let mut read = pin!(rx.read_with(|mut r| r.read(&mut buf)));
        assert!(poll_once(read.as_mut()).is_pending());
        let waiting = Tally {
            events: 0,
            wakes: 0,
            would_blocks: 1,
        };
        assert_eq!(tally.get(rx.slot()), waiting);

        tx.write_all(b"ping").unwrap();
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        let woken = Tally {
            events: 1,
            wakes: 1,
            would_blocks: 1,
        };
        assert_eq!(tally.get(rx.slot()), woken);
        assert!(matches!(poll_once(read.as_mut()), Poll::Ready(Ok(4))));
        assert_eq!(
            tally.get(idle.slot()),
            Tally::default(),
            "another slot's events counted"
        );
    })
}

#[test]
fn a_slot_with_a_new_owner_starts_from_zero() {
    testkit::within("event tally: reused slot", || {
        let tally = EventTally::new();
        let mut reactor = Reactor::with_trace(tally.hook()).unwrap();
        let handle = reactor.handle();
        let (mut tx, rx) = pipe::new().unwrap();
        let rx = Async::with_handle(rx, &handle).unwrap();
        let slot = rx.slot();
        tx.write_all(b"x").unwrap();
        reactor.park_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(tally.get(slot).events, 1);
        drop(rx);

        let (_tx, again) = pipe::new().unwrap();
        let again = Async::with_handle(again, &handle).unwrap();
        assert_eq!(again.slot(), slot, "the slab reuses the slot");
        assert_eq!(
            tally.get(slot),
            Tally::default(),
            "the old owner's count leaked"
        );
    })
}
