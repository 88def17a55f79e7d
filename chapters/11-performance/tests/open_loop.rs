//! The open-loop generator counts what it must count: every echo checked,
//! every request due in the window either echoed or counted unsent, and
//! the requests a slow server made wait counted as held back. Each test
//! runs it against a small blocking TCP echo server, a thread per
//! connection, that may misbehave on purpose.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::Duration;

use performance::open_loop::{Config, run};

/// An echo server: each connection on its own thread, each chunk read
/// passed through `alter` (with the connection's byte offset) and written
/// back, until the client closes.
fn server(alter: fn(usize, &mut [u8])) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let mut offset = 0;
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    alter(offset, &mut buf[..n]);
                    offset += n;
                    if stream.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn config(addr: SocketAddr) -> Config {
    Config {
        addr,
        connections: 4,
        size: 64,
        rate: 2000.0,
        depth: 1,
        warmup: Duration::from_millis(50),
        duration: Duration::from_millis(200),
        // No loaded CI machine takes this long by accident.
        drain_timeout: Duration::from_secs(10),
    }
}

#[test]
fn every_request_due_in_the_window_is_echoed_or_counted_unsent() {
    testkit::within(
        "every_request_due_in_the_window_is_echoed_or_counted_unsent",
        || {
            let m = run(&config(server(|_, _| {}))).unwrap();
            // 2000 per second for 0.2 s: the schedule puts 400 requests in
            // the window, whatever the server does.
            assert_eq!(m.scheduled, 400);
            assert!(m.round_trips > 0, "{m:?}");
            assert_eq!(m.round_trips + m.unsent, m.scheduled, "{m:?}");
            assert!(m.held_back <= m.scheduled, "{m:?}");
            assert_eq!(m.latency.len(), m.round_trips);
            // Every request that found room has its slip recorded.
            assert_eq!(m.slip.len(), m.scheduled - m.held_back, "{m:?}");
            assert!(m.achieved_per_sec() <= m.offered_per_sec());
            assert!((m.offered_per_sec() - 2000.0).abs() < 1e-6);
        },
    )
}

#[test]
fn a_changed_byte_fails_the_run() {
    testkit::within("a_changed_byte_fails_the_run", || {
        // The 100th byte of each connection: inside its second message.
        let err = run(&config(server(|offset, chunk| {
            if (offset..offset + chunk.len()).contains(&100) {
                chunk[100 - offset] ^= 1;
            }
        })))
        .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{err}");
    })
}

#[test]
fn requests_due_while_the_server_stalls_are_held_back_and_timed_from_their_due_time() {
    testkit::within(
        "requests_due_while_the_server_stalls_are_held_back_and_timed_from_their_due_time",
        || {
            // A server that sits on each connection's first message for
            // ten times the whole schedule (warm-up and window) before it
            // echoes anything: with one request in flight per connection,
            // every request due in the window finds its connection full.
            let addr = server(|offset, _| {
                if offset == 0 {
                    thread::sleep(Duration::from_millis(2500));
                }
            });
            let m = run(&config(addr)).unwrap();
            assert_eq!(m.scheduled, 400);
            assert_eq!(m.held_back, m.scheduled, "{m:?}");
            assert_eq!(m.unsent, m.scheduled, "{m:?}");
            assert_eq!(m.round_trips, 0, "{m:?}");
            assert_eq!(m.slip.len(), 0, "no measured request found room");
            // The four first requests (one per connection, due in the
            // warm-up) were echoed and checked.
            assert_eq!(m.warmup_round_trips, 4, "{m:?}");
        },
    )
}

#[test]
fn bad_configurations_are_refused() {
    let good = config("127.0.0.1:9".parse().unwrap());
    for bad in [
        Config {
            rate: 0.0,
            ..good.clone()
        },
        Config {
            depth: 0,
            ..good.clone()
        },
        Config {
            size: 4,
            ..good.clone()
        },
        Config {
            duration: Duration::ZERO,
            ..good.clone()
        },
    ] {
        let err = run(&bad).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}");
    }
}
