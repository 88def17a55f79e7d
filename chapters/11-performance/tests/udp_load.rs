//! The UDP generator counts what it must count: a benchmark that does not
//! check its echoes, or that waits for ever on a lost datagram, measures
//! nothing. Each test runs it against a small blocking echo server that
//! misbehaves on purpose.

use std::net::UdpSocket;
use std::thread;
use std::time::Duration;

use performance::udp_load::{Config, run};

/// An echo server on its own thread that passes each datagram through
/// `alter` (which may drop it by returning `false`), until the test ends.
fn server(mut alter: impl FnMut(u64, &mut [u8]) -> bool + Send + 'static) -> std::net::SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0u8; 2048];
        let mut count = 0u64;
        while let Ok((n, peer)) = socket.recv_from(&mut buf) {
            count += 1;
            if alter(count, &mut buf[..n]) {
                let _ = socket.send_to(&buf[..n], peer);
            }
        }
    });
    addr
}

fn config(addr: std::net::SocketAddr) -> Config {
    Config {
        addr,
        flows: 4,
        size: 64,
        window: 2,
        warmup: Duration::from_millis(20),
        duration: Duration::from_millis(200),
        loss_timeout: Duration::from_millis(50),
        at_least: 0,
    }
}

#[test]
fn an_at_least_run_keeps_sending_until_it_has_measured_its_echoes() {
    testkit::within("an_at_least_run", || {
        // No measured time at all: only the count keeps the flows sending.
        let config = Config {
            duration: Duration::ZERO,
            loss_timeout: Duration::from_secs(3),
            at_least: 2_000,
            ..config(server(|_, _| true))
        };
        let measured = run(&config).unwrap();
        assert!(measured.round_trips >= 2_000, "{measured:?}");
        assert_eq!((measured.lost, measured.late), (0, 0));
    })
}

#[test]
fn a_faithful_echo_is_counted_with_no_losses() {
    testkit::within("a_faithful_echo_is_counted_with_no_losses", || {
        // A loss timeout no loaded CI machine can reach by accident.
        let config = Config {
            loss_timeout: Duration::from_secs(3),
            ..config(server(|_, _| true))
        };
        let measured = run(&config).unwrap();
        assert!(measured.round_trips > 0);
        assert_eq!((measured.lost, measured.late), (0, 0));
        assert_eq!(measured.latency.len(), measured.round_trips);
    })
}

#[test]
fn dropped_datagrams_are_counted_lost_and_the_run_still_ends() {
    testkit::within(
        "dropped_datagrams_are_counted_lost_and_the_run_still_ends",
        || {
            // Every fifth datagram vanishes: the flow must notice (by the echo
            // of a later one, or by the timeout) and carry on.
            let measured = run(&config(server(|n, _| n % 5 != 0))).unwrap();
            assert!(measured.lost > 0, "no loss counted: {measured:?}");
            assert!(measured.round_trips > 0);
        },
    )
}

#[test]
fn a_corrupted_echo_fails_the_run() {
    testkit::within("a_corrupted_echo_fails_the_run", || {
        let error = run(&config(server(|n, datagram| {
            if n == 50 {
                let last = datagram.len() - 1;
                datagram[last] ^= 1;
            }
            true
        })))
        .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{error}");
    })
}
