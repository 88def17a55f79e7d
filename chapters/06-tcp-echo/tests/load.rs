//! The load generator's core against servers that behave, and against
//! servers that do not: it must notice every wrong byte, and keep exactly
//! the pipeline depth in flight.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener as StdTcpListener, TcpStream as StdTcpStream};
use std::thread;
use std::time::Duration;

use reactor::Runtime;
use tcp_echo::Config as ServerConfig;
use tcp_echo::load::{self, Config, Stop};

use common::in_process_server;

fn config(addr: SocketAddr, connections: usize, messages: u64, pipeline: usize) -> Config {
    Config {
        addr,
        connections,
        size: 64,
        stop: Stop::Messages(messages),
        pipeline,
        warmup: Duration::ZERO,
    }
}

fn run(config: &Config) -> std::io::Result<load::Report> {
    Runtime::new().unwrap().block_on(load::run(config))
}

/// A server on a thread of its own, one connection at a time, that answers
/// with `respond` (which gets the stream).
fn misbehaving_server(respond: impl Fn(StdTcpStream) + Send + 'static) -> SocketAddr {
    let listener = StdTcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming() {
            respond(stream.unwrap());
        }
    });
    addr
}

#[test]
fn every_echo_is_checked_and_counted() {
    testkit::within("load counts", || {
        let (addr, _, _) = in_process_server(ServerConfig::default());
        let report = run(&config(addr, 20, 100, 4)).unwrap();
        let summary = report.summary();
        assert_eq!(summary.round_trips, 2000);
        assert_eq!(summary.bytes, 2000 * 64);
        assert_eq!(report.latency.len(), 2000);
        assert!(summary.round_trips_per_sec > 0.0);
    })
}

// ANCHOR: corrupt_test
#[test]
fn one_wrong_byte_in_the_echo_fails_the_run() {
    testkit::within("corrupt echo", || {
        let addr = misbehaving_server(|mut stream| {
            let mut buf = [0u8; 4096];
            let mut total = 0;
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                // Flip one bit of the 1,000th byte of the stream.
                if (total..total + n).contains(&1000) {
                    buf[1000 - total] ^= 0x10;
                }
                total += n;
                stream.write_all(&buf[..n]).unwrap();
            }
        });
        let error = run(&config(addr, 1, 100, 1)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    })
}

#[test]
fn a_server_that_sends_more_than_it_got_fails_the_run() {
    testkit::within("extra bytes", || {
        let addr = misbehaving_server(|mut stream| {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    let _ = stream.write_all(b"!");
                    break;
                }
                stream.write_all(&buf[..n]).unwrap();
            }
        });
        let error = run(&config(addr, 1, 10, 1)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    })
}
// ANCHOR_END: corrupt_test

// ANCHOR: pipeline_test
#[test]
fn a_connection_keeps_exactly_the_pipeline_depth_in_flight() {
    testkit::within("pipeline depth", || {
        let addr = misbehaving_server(|mut stream| {
            // Hold back all echoes until 5 messages (5 x 64 bytes) are in...
            let mut first = vec![0u8; 5 * 64];
            stream.read_exact(&mut first).unwrap();
            // ...and check the client sends nothing more meanwhile.
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let extra = stream.read(&mut [0u8; 1]);
            assert!(
                matches!(&extra, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
                "the client sent a 6th message with a depth of 5: {extra:?}"
            );
            stream.set_read_timeout(None).unwrap();
            stream.write_all(&first).unwrap();
            std::io::copy(&mut stream.try_clone().unwrap(), &mut stream).unwrap();
        });
        let report = run(&config(addr, 1, 50, 5)).unwrap();
        assert_eq!(report.round_trips, 50);
    })
}
// ANCHOR_END: pipeline_test

#[test]
fn an_at_least_run_measures_every_message_it_promised_however_short_its_time() {
    testkit::within("at least", || {
        let (addr, _, _) = in_process_server(ServerConfig::default());
        let mut config = config(addr, 4, 0, 2);
        // No time at all, but 300 measured messages per connection: the
        // count decides, whatever the machine's load.
        config.stop = Stop::AtLeast(Duration::ZERO, 300);
        config.warmup = Duration::from_millis(20);
        let report = run(&config).unwrap();
        assert!(report.round_trips >= 4 * 300, "{report:?}");
    })
}

#[test]
fn a_timed_run_with_a_warmup_stops_by_itself_and_counts_apart() {
    testkit::within("duration", || {
        let (addr, _, _) = in_process_server(ServerConfig::default());
        let mut config = config(addr, 4, 0, 2);
        config.stop = Stop::Duration(Duration::from_millis(300));
        config.warmup = Duration::from_millis(100);
        let report = run(&config).unwrap();
        assert!(report.warmup_round_trips > 0);
        assert!(report.round_trips > 0);
        assert!(
            report.elapsed >= Duration::from_millis(250),
            "{:?}",
            report.elapsed
        );
        // A run that did not stop by itself would run on until the watchdog
        // failed it; an upper bound in wall time would only measure the load.
    })
}

#[test]
fn a_message_too_small_for_its_header_is_refused_up_front() {
    let mut config = config("127.0.0.1:9".parse().unwrap(), 1, 1, 1);
    config.size = 11;
    assert_eq!(run(&config).unwrap_err().kind(), ErrorKind::InvalidInput);
}
