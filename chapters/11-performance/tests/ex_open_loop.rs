//! Exercise 11.1: `open_loop` times each request from its due time, sends
//! it no earlier than that and never while the previous one is in flight.

use std::time::Duration;

use performance::exercises::open_loop::open_loop;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A server that answers after `service`, except that it is frozen from
/// `freeze_from` to `freeze_until`: a request that arrives then (or is
/// still being served) is answered only after the freeze, and it records
/// every send time it was handed.
fn server(
    service: Duration,
    freeze_from: Duration,
    freeze_until: Duration,
    sends: &mut Vec<Duration>,
) -> impl FnMut(Duration) -> Duration + '_ {
    move |sent| {
        sends.push(sent);
        let done = sent + service;
        if done > freeze_from && sent < freeze_until {
            freeze_until.max(done)
        } else {
            done
        }
    }
}

#[test]
fn a_server_that_keeps_up_is_timed_by_its_service_time() {
    let mut sends = Vec::new();
    let latencies = open_loop(ms(1), 100, server(ms(0), ms(1000), ms(1000), &mut sends));
    assert_eq!(latencies.len(), 100);
    assert!(
        latencies.iter().all(|&l| l == Duration::ZERO),
        "{latencies:?}"
    );
    // Sent exactly on schedule.
    let expected: Vec<Duration> = (0..100).map(ms).collect();
    assert_eq!(sends, expected);
}

#[test]
fn a_freeze_shows_in_every_request_that_was_due_during_it() {
    // One request every millisecond, answered in 0.1 ms, and a 50 ms
    // freeze from 100 ms on.
    let service = Duration::from_micros(100);
    let mut sends = Vec::new();
    let latencies = open_loop(ms(1), 300, server(service, ms(100), ms(150), &mut sends));
    assert_eq!(latencies.len(), 300);
    // The request due at 100 ms waits the whole freeze; the ones due after
    // it go out one by one as the echoes come back, each 0.9 ms less late
    // than the one before: 45 of them are 10 ms late or more. A closed-loop
    // view, timing from the send, records one.
    let slow = latencies.iter().filter(|&&l| l >= ms(10)).count();
    assert_eq!(
        slow, 45,
        "requests of 300 that took 10 ms or more, with a 50 ms freeze at one request per ms"
    );
    let worst = latencies.iter().max().unwrap();
    assert!(
        *worst >= ms(50),
        "the worst latency is {worst:?}, the freeze was 50 ms"
    );
    // Requests due long after the freeze are on time again.
    assert!(
        latencies[250..].iter().all(|&l| l == service),
        "{:?}",
        &latencies[250..]
    );
}

#[test]
fn a_request_is_sent_at_its_due_time_or_when_the_connection_is_free() {
    // A slow server: each echo takes 3 ms, requests are due every 1 ms, so
    // the connection is always busy and the requests fall further behind.
    let mut sends = Vec::new();
    let latencies = open_loop(ms(1), 10, server(ms(3), ms(1000), ms(1000), &mut sends));
    let expected_sends: Vec<Duration> = (0..10).map(|i| ms(3 * i)).collect();
    assert_eq!(
        sends, expected_sends,
        "one request in flight: each goes out when the last echo is back"
    );
    let expected: Vec<Duration> = (0..10).map(|i| ms(3 * i + 3 - i)).collect();
    assert_eq!(
        latencies, expected,
        "the latency starts when the request was due"
    );
    // And never before its due time: a fast server after a slow start.
    let mut sends = Vec::new();
    let mut calls = 0;
    let mut fast_after_first = |sent: Duration| {
        sends.push(sent);
        calls += 1;
        if calls == 1 { sent + ms(5) } else { sent }
    };
    let latencies = open_loop(ms(2), 6, &mut fast_after_first);
    assert_eq!(sends, vec![ms(0), ms(5), ms(5), ms(6), ms(8), ms(10)]);
    assert_eq!(latencies, vec![ms(5), ms(3), ms(1), ms(0), ms(0), ms(0)]);
}
