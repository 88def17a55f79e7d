//! The server binary, end to end: idle connections are closed after the
//! idle timeout, active ones are not.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use testkit::ServerProcess;

const IDLE: Duration = Duration::from_millis(300);

fn server() -> ServerProcess {
    ServerProcess::start(
        env!("CARGO_BIN_EXE_tcp-echo-timeouts"),
        &["--addr", "127.0.0.1:0", "--idle-timeout", "300ms"],
    )
}

fn connect(server: &ServerProcess) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).expect("connect to the server");
    // A bound on every read, so a server that never closes fails the test
    // instead of hanging it.
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

/// Sends `message` and reads back exactly as many bytes.
fn round_trip(stream: &mut TcpStream, message: &[u8]) {
    stream.write_all(message).unwrap();
    let mut echo = vec![0; message.len()];
    stream.read_exact(&mut echo).expect("the echo");
    assert_eq!(echo, message);
}

/// Reads until the server closes the connection; returns when that was.
fn wait_for_close(stream: &mut TcpStream) -> Instant {
    let mut buf = [0; 64];
    match stream.read(&mut buf) {
        Ok(0) => Instant::now(),
        // A close with unread data in the server's buffer can be a reset.
        Err(e) if e.kind() == ErrorKind::ConnectionReset => Instant::now(),
        Ok(n) => panic!("expected the connection to close, got {n} bytes"),
        Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
            panic!("the idle connection was still open after 5 s")
        }
        Err(e) => panic!("reading from the server: {e}"),
    }
}

// ANCHOR: idle_test
#[test]
fn an_idle_connection_is_closed_after_the_idle_timeout() {
    testkit::within("an_idle_connection_is_closed", || {
        let server = server();
        let start = Instant::now();
        let mut idle = connect(&server);
        let closed = wait_for_close(&mut idle) - start;
        // Never early. (Never closed fails in `wait_for_close`; how late is
        // up to the machine's load, so the test does not bound it.)
        assert!(closed >= IDLE, "closed after only {closed:?}");
    })
}

#[test]
fn an_active_connection_is_not_closed_and_the_timeout_restarts_after_each_read() {
    testkit::within("an_active_connection_stays_open", || {
        let server = server();
        let mut active = connect(&server);
        // Something every 100 ms, for four idle timeouts' worth of time.
        let start = Instant::now();
        while start.elapsed() < IDLE * 4 {
            round_trip(&mut active, b"still here");
            thread::sleep(IDLE / 3);
        }
        // Then silence: closed one idle timeout after the last message. The
        // clock starts before it is sent: the server's timeout restarts when
        // it reads the message, which is after this, but the echo can take a
        // while to come back on a busy machine, so a clock started after the
        // round trip would start late.
        let last = Instant::now();
        round_trip(&mut active, b"last words");
        let closed = wait_for_close(&mut active) - last;
        assert!(closed >= IDLE, "closed {closed:?} after the last message");
    })
}
// ANCHOR_END: idle_test

#[test]
fn an_idle_client_does_not_delay_the_others() {
    testkit::within("idle_and_active_side_by_side", || {
        let server = server();
        let mut idle = connect(&server);
        let mut active = connect(&server);
        let opened = Instant::now();
        idle.set_nonblocking(true).unwrap();
        // The active client talks until the idle one is closed. A server
        // whose traffic on one connection put off the other's timeout would
        // keep the idle one open for as long as the active one talks, and
        // the watchdog would fail the test.
        let mut buf = [0; 64];
        loop {
            round_trip(&mut active, b"ping");
            match idle.read(&mut buf) {
                Ok(0) => break,
                Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                other => panic!("the idle connection: {other:?}"),
            }
            thread::sleep(IDLE / 3);
        }
        let closed = opened.elapsed();
        assert!(
            closed >= IDLE,
            "the idle one was closed after only {closed:?}"
        );
        // The active one is still served.
        round_trip(&mut active, b"after the idle one left");
    })
}
