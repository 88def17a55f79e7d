//! The contract every TCP echo server in the book keeps, as black-box tests
//! written once and run against each server binary.
//!
//! A server here is a binary that binds `--addr`, prints `listening on
//! <address>` and echoes every byte of every connection back, in order,
//! until it is killed. Beyond that, the contract is what chapter 6 taught:
//! a half-closed client gets everything, then EOF; a client that does not
//! read is throttled, not buffered without bound; resets leak nothing;
//! silent clients delay no one; a thousand connections at once are served;
//! running out of descriptors pauses `accept` without spinning; a bad
//! command line is a clear message, never a panic.
//!
//! Each contract is a public function taking the [`EchoServer`] it tests,
//! named after the behaviour, and [`echo_contract_tests!`] stamps out one
//! `#[test]` per contract a server claims, here the contracts every server
//! keeps and two more:
//!
//! ```ignore
//! testkit::echo_contract_tests! {
//!     EchoServer::new(env!("CARGO_BIN_EXE_tcp-echo"))
//!         .says_when_out_of_descriptors("pausing accepts") =>
//!     core
//!         + at_max_connections_new_clients_wait_until_one_closes
//!         + out_of_descriptors_pauses_accepts_without_spinning_and_recovers
//! }
//! ```
//!
//! A server that legitimately differs says so in its [`EchoServer`]
//! (what it prints when out of descriptors, a platform it needs) or leaves
//! the contract out of its list, with a comment saying why. A contract added
//! later, in a file of its own, is re-exported from this module with
//! `pub use`, and joins the `core` list of the macro or the lists of the
//! servers that keep it.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use socket2::SockRef;

use crate::probe::{fd_count, rss_kib, seen_running};
use crate::{ServerProcess, watchdog};

/// A server binary under test, and what it legitimately does differently.
#[derive(Debug, Clone)]
pub struct EchoServer {
    binary: String,
    args: Vec<String>,
    runs_here: fn(&str) -> bool,
    out_of_descriptors_note: Option<&'static str>,
}

impl EchoServer {
    /// The binary at `binary` (`env!("CARGO_BIN_EXE_tcp-echo")`), started
    /// with `--addr 127.0.0.1:0`.
    pub fn new(binary: &str) -> EchoServer {
        EchoServer {
            binary: binary.to_owned(),
            args: Vec::new(),
            runs_here: |_| true,
            out_of_descriptors_note: None,
        }
    }

    /// More arguments for every start (`--runtime tokio`).
    pub fn args(mut self, args: &[&str]) -> EchoServer {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Runs the contracts only where `available(test_name)` says so, for a
    /// server that needs what not every kernel has (io_uring); `available`
    /// says why when it skips.
    pub fn only_where(mut self, available: fn(&str) -> bool) -> EchoServer {
        self.runs_here = available;
        self
    }

    /// What the server prints on stderr when `accept` fails for lack of
    /// descriptors, for
    /// [`out_of_descriptors_pauses_accepts_without_spinning_and_recovers`]:
    /// each server words it its own way.
    pub fn says_when_out_of_descriptors(mut self, note: &'static str) -> EchoServer {
        self.out_of_descriptors_note = Some(note);
        self
    }

    /// Whether the contracts run here (see [`only_where`](Self::only_where)).
    pub fn runs_here(&self, test: &str) -> bool {
        (self.runs_here)(test)
    }

    /// The command that starts the server on `127.0.0.1:0` with `extra`
    /// arguments.
    pub fn command(&self, extra: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .args(["--addr", "127.0.0.1:0"])
            .args(&self.args)
            .args(extra);
        command
    }

    /// Starts the server with `extra` arguments and waits for its
    /// `listening on` line.
    pub fn start(&self, extra: &[&str]) -> ServerProcess {
        ServerProcess::spawn(self.command(extra))
    }

    /// Runs the binary with its arguments, `--addr addr`, to completion.
    fn run_with_addr(&self, addr: &str) -> Output {
        Command::new(&self.binary)
            .args(&self.args)
            .args(["--addr", addr])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.binary))
    }
}

/// Stamps out one `#[test]` per contract `$server` claims, named after the
/// contract.
///
/// - `server => core` claims the contracts every TCP echo server of the
///   book keeps; `server => core + a + b` adds the contracts `a` and `b`
///   (the connection limit and running out of descriptors, which not every
///   server has);
/// - `server => a, b, c` claims exactly those;
/// - `mod name: server => ...` puts the tests in a module of their own (for
///   several servers in one test file; the module sees its parent's items).
///
/// A contract added later goes into the `core` list here if every server
/// keeps it, and is otherwise named by the servers that do.
#[macro_export]
macro_rules! echo_contract_tests {
    (mod $module:ident : $server:expr => $($rest:tt)+) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $crate::echo_contract_tests!($server => $($rest)+);
        }
    };
    ($server:expr => core $(+ $extra:ident)* $(,)?) => {
        $crate::echo_contract_tests!($server =>
            a_client_that_shuts_down_writing_gets_every_byte_then_eof,
            a_short_message_and_its_eof_sent_together_get_the_echo_then_eof,
            a_client_that_does_not_read_is_throttled_and_loses_nothing,
            resets_and_abrupt_disconnects_leak_no_descriptors_and_hurt_no_one,
            idle_and_half_sent_connections_do_not_delay_the_others,
            pipelined_messages_on_many_connections_come_back_in_order,
            a_thousand_concurrent_connections_are_all_served,
            the_server_reports_the_port_the_os_picked,
            a_busy_address_is_a_clear_error_and_exit_status_1,
            an_address_that_is_not_an_address_is_a_usage_error,
            an_address_no_interface_has_is_a_clear_error,
            $($extra),*
        );
    };
    ($server:expr => $($contract:ident),+ $(,)?) => {
        $(
            #[test]
            fn $contract() {
                let server: $crate::echo_contract::EchoServer = $server;
                if server.runs_here(stringify!($contract)) {
                    $crate::echo_contract::$contract(&server);
                }
            }
        )+
    };
}

// ----- The clients the contracts use (chapter 6's tests use them too). -----

pub use crate::client::{client, round_trip};

/// Whether `stream` gets the echo of one byte, `?`, within `wait`. A `false`
/// leaves the `?` on its way: whoever reads next gets it first.
pub fn answers_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.write_all(b"?").unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8];
    let answered = match stream.read(&mut byte) {
        Ok(1) => true,
        Ok(_) => panic!("the server closed the connection"),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => false,
        Err(e) => panic!("read failed: {e}"),
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    answered
}

/// Polls `condition` every 10 ms until it holds or `limit` passes; returns
/// whether it held.
pub fn eventually(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if condition() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// A recognisable byte for position `i` of a long stream, so that a lost,
/// repeated or reordered chunk shows up as a wrong byte.
pub fn pattern(i: usize) -> u8 {
    (i as u64).wrapping_mul(0x9E37_79B9).rotate_right(13) as u8 ^ (i / 4093) as u8
}

/// Raises this process's soft limit on open files to `wanted` (or to the
/// hard limit, if that is lower), for tests that hold many connections;
/// child processes started afterwards inherit it. Returns the soft limit
/// now in force.
pub fn raise_fd_limit(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes one `rlimit` through a valid, exclusive
    // pointer to a local.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(got, 0, "getrlimit");
    if limit.rlim_cur < wanted {
        limit.rlim_cur = wanted.min(limit.rlim_max);
        // SAFETY: `setrlimit` reads one `rlimit` through a valid pointer.
        let set = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
        assert_eq!(set, 0, "setrlimit");
    }
    limit.rlim_cur
}

/// Taken by the contracts that hold a thousand descriptors in this process:
/// several servers' tests run in one test binary, in parallel, and together
/// they would pass the limit on open files.
static DESCRIPTOR_HUNGRY: Mutex<()> = Mutex::new(());

// ----- The contracts. -----

// ANCHOR: half_close_test
/// A client that shuts down its write side still gets every byte echoed,
/// then EOF.
pub fn a_client_that_shuts_down_writing_gets_every_byte_then_eof(server: &EchoServer) {
    let server = server.clone();
    watchdog("half-close", Duration::from_secs(30), move || {
        let server = server.start(&[]);
        let mut stream = client(server.addr());
        let sent: Vec<u8> = (0..300_000).map(pattern).collect();
        stream.write_all(&sent).unwrap();
        // Nothing read yet; the FIN goes after the 300,000 bytes.
        stream.shutdown(Shutdown::Write).unwrap();
        let mut back = Vec::new();
        stream.read_to_end(&mut back).unwrap(); // ends only at the server's FIN
        assert_eq!(back.len(), sent.len());
        assert!(back == sent, "the echo differs from what was sent");
    })
}
// ANCHOR_END: half_close_test

/// A short message followed at once by the FIN: the end of file often
/// arrives before the server has read the message, so the read that
/// returns it comes back short with the `FIN` already queued behind it. A
/// server that takes a short read to mean "nothing more until the next
/// event" waits forever here: no event follows the `FIN`'s.
pub fn a_short_message_and_its_eof_sent_together_get_the_echo_then_eof(server: &EchoServer) {
    let server = server.clone();
    watchdog("message then EOF", Duration::from_secs(30), move || {
        let server = server.start(&[]);
        // Fifty connections, one after the other: the timing that matters
        // (both in the queue before the server reads) is likely, not sure.
        for i in 0..50 {
            let mut stream = client(server.addr());
            let sent = format!("message {i} and its end of file").into_bytes();
            stream.write_all(&sent).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            let mut back = Vec::new();
            stream
                .read_to_end(&mut back)
                .unwrap_or_else(|e| panic!("connection {i}: no echo and EOF: {e}"));
            assert_eq!(back, sent, "connection {i}");
        }
    })
}

// ANCHOR: backpressure_test
/// A client that sends and never reads fills every buffer on the way, and
/// then the server must stop reading from it (in bounded memory); once the
/// client reads, every byte comes back, in order.
pub fn a_client_that_does_not_read_is_throttled_and_loses_nothing(server: &EchoServer) {
    let server = server.clone();
    watchdog("backpressure", Duration::from_secs(60), move || {
        const TOTAL: usize = 64 << 20;
        let server = server.start(&[]);
        let mut stream = client(server.addr());
        let rss_before = rss_kib(server.pid());

        // ANCHOR: backpressure_throttled
        // Write without reading until the writes stop going through: the
        // server has stopped reading from us, and every buffer in between
        // (ours, its receive buffer, its send buffer, our receive buffer) is
        // full.
        stream.set_nonblocking(true).unwrap();
        let chunk: Vec<u8> = (0..64 * 1024).map(pattern).collect();
        let mut written = 0;
        let mut blocked_since = None;
        while written < TOTAL {
            let offset = written % chunk.len();
            let end = chunk.len().min(offset + TOTAL - written);
            match stream.write(&chunk[offset..end]) {
                Ok(n) => {
                    written += n;
                    blocked_since = None;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    let since = *blocked_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > Duration::from_millis(500) {
                        break;
                    }
                    thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("write failed: {e}"),
            }
        }
        assert!(
            written < TOTAL,
            "all 64 MiB went through without a read: the server buffered it"
        );
        let rss_blocked = rss_kib(server.pid());
        assert!(
            rss_blocked < rss_before + 4 * 1024,
            "server RSS grew from {rss_before} KiB to {rss_blocked} KiB \
             with {written} bytes unread"
        );
        // ANCHOR_END: backpressure_throttled

        // Now read it all back while writing the rest: every byte, in order.
        stream.set_nonblocking(false).unwrap();
        let mut reader = stream.try_clone().unwrap();
        let reading = thread::spawn(move || {
            let mut buf = vec![0u8; 256 * 1024];
            let mut seen = 0;
            while seen < TOTAL {
                let n = reader.read(&mut buf).unwrap();
                assert!(n > 0, "EOF after {seen} bytes");
                for (i, &byte) in buf[..n].iter().enumerate() {
                    let at = seen + i;
                    assert_eq!(byte, chunk_byte(at), "byte {at} of the echo");
                }
                seen += n;
            }
            seen
        });
        while written < TOTAL {
            let offset = written % chunk.len();
            let end = chunk.len().min(offset + TOTAL - written);
            written += stream.write(&chunk[offset..end]).unwrap();
        }
        assert_eq!(reading.join().unwrap(), TOTAL);
        assert!(rss_kib(server.pid()) < rss_before + 4 * 1024);
    })
}

/// Byte `at` of the stream the backpressure test sends: its 64 KiB chunk,
/// repeated.
fn chunk_byte(at: usize) -> u8 {
    pattern(at % (64 * 1024))
}
// ANCHOR_END: backpressure_test

// ANCHOR: storm_test
/// Clients that vanish in every way a client can (a FIN with nothing sent,
/// a FIN after data, a reset after data the server is echoing, a reset
/// before anything) cost the server no descriptor, and the client that
/// stays is served all along.
pub fn resets_and_abrupt_disconnects_leak_no_descriptors_and_hurt_no_one(server: &EchoServer) {
    let server = server.clone();
    watchdog("storm", Duration::from_secs(60), move || {
        let server = server.start(&[]);
        let pid = server.pid();
        let before = fd_count(pid);
        let addr = server.addr();
        let mut steady = client(addr);
        round_trip(&mut steady, b"before the storm");

        let storm = thread::spawn(move || {
            for i in 0..600 {
                let mut stream = TcpStream::connect(addr).unwrap();
                // SO_LINGER 0: the close sends a reset instead of a FIN.
                let reset = |stream: &TcpStream| {
                    SockRef::from(stream)
                        .set_linger(Some(Duration::ZERO))
                        .unwrap()
                };
                match i % 4 {
                    // Connect, then close at once (a FIN, nothing sent).
                    0 => {}
                    // Send, then close with a FIN, echo unread.
                    1 => stream.write_all(&[9u8; 8192]).unwrap(),
                    // Send, then vanish with a reset, echo unread: the
                    // server's write may meet the RST.
                    2 => {
                        stream.write_all(&[7u8; 10_000]).unwrap();
                        reset(&stream);
                    }
                    // A reset before sending anything.
                    _ => reset(&stream),
                }
                drop(stream);
            }
        });
        // Meanwhile, the steady client is served as usual.
        while !storm.is_finished() {
            round_trip(&mut steady, b"during the storm");
        }
        storm.join().unwrap();
        round_trip(&mut steady, b"after the storm");
        drop(steady);

        assert!(
            eventually(Duration::from_secs(10), || fd_count(pid) == before),
            "the server had {before} descriptors open before the storm, {} after",
            fd_count(pid)
        );
    })
}
// ANCHOR_END: storm_test

/// Two hundred connections that say nothing, or half a message, hold their
/// descriptors and no one else up.
pub fn idle_and_half_sent_connections_do_not_delay_the_others(server: &EchoServer) {
    let server = server.clone();
    watchdog("idle connections", Duration::from_secs(30), move || {
        let server = server.start(&[]);
        let pid = server.pid();
        let before = fd_count(pid);
        let idle: Vec<TcpStream> = (0..200)
            .map(|i| {
                let mut stream = TcpStream::connect(server.addr()).unwrap();
                if i % 2 == 0 {
                    // Half a message, then silence (never read back).
                    stream.write_all(&[1u8; 100]).unwrap();
                }
                stream
            })
            .collect();
        let mut busy = client(server.addr());
        // A server stuck on one of the silent connections would never answer:
        // the watchdog fails that (a per-trip time limit would fail a busy
        // machine instead).
        for _ in 0..100 {
            round_trip(&mut busy, b"still answered");
        }
        assert!(eventually(Duration::from_secs(5), || fd_count(pid) == before + 201));
        drop(idle);
        drop(busy);
        assert!(eventually(Duration::from_secs(5), || fd_count(pid) == before));
    })
}

/// Twenty connections with four 512-byte messages in flight each, a hundred
/// rounds: every echo comes back whole and in order on its own connection.
pub fn pipelined_messages_on_many_connections_come_back_in_order(server: &EchoServer) {
    let server = server.clone();
    watchdog("pipelined load", Duration::from_secs(60), move || {
        const CONNECTIONS: usize = 20;
        const DEPTH: usize = 4;
        const ROUNDS: usize = 100;
        const SIZE: usize = 512;
        let server = server.start(&[]);
        let addr = server.addr();
        let clients: Vec<_> = (0..CONNECTIONS)
            .map(|c| {
                thread::spawn(move || {
                    let mut stream = client(addr);
                    // Message `m` of connection `c` starts at stream
                    // position (c, m): no two are alike.
                    let message = |m: usize| -> Vec<u8> {
                        (0..SIZE)
                            .map(|i| pattern(c * 1_000_000 + m * SIZE + i))
                            .collect()
                    };
                    let mut back = vec![0u8; SIZE];
                    for round in 0..ROUNDS {
                        let first = round * DEPTH;
                        for m in first..first + DEPTH {
                            stream.write_all(&message(m)).unwrap();
                        }
                        for m in first..first + DEPTH {
                            stream.read_exact(&mut back).unwrap_or_else(|e| {
                                panic!("connection {c}: no echo of message {m}: {e}")
                            });
                            assert!(back == message(m), "connection {c}: message {m} differs");
                        }
                    }
                    ROUNDS * DEPTH
                })
            })
            .collect();
        let echoed: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
        assert_eq!(echoed, CONNECTIONS * ROUNDS * DEPTH);
    })
}

// ANCHOR: thousand_test
/// A thousand connections open at once: each is served.
pub fn a_thousand_concurrent_connections_are_all_served(server: &EchoServer) {
    let _turn = DESCRIPTOR_HUNGRY.lock().unwrap_or_else(|e| e.into_inner());
    let server = server.clone();
    watchdog("1,000 connections", Duration::from_secs(60), move || {
        // 1,000 descriptors here, 1,000 in the server (which inherits the
        // limit), and some to spare.
        let limit = raise_fd_limit(4096);
        assert!(
            limit >= 1100,
            "the hard limit on open files is {limit}: too low"
        );
        let server = server.start(&[]);
        let mut streams: Vec<TcpStream> = (0..1000).map(|_| client(server.addr())).collect();
        // All open at once: each sends its number, then each reads it back.
        for (i, stream) in streams.iter_mut().enumerate() {
            stream
                .write_all(format!("connection {i:>5}").as_bytes())
                .unwrap();
        }
        assert!(eventually(Duration::from_secs(10), || {
            fd_count(server.pid()) >= 1000
        }));
        for (i, stream) in streams.iter_mut().enumerate() {
            let mut echo = [0u8; 16];
            stream.read_exact(&mut echo).unwrap();
            assert_eq!(echo, *format!("connection {i:>5}").as_bytes());
        }
    })
}
// ANCHOR_END: thousand_test

// ANCHOR: max_connections_test
/// With `--max-connections 3`, a fourth client waits in the backlog, unserved,
/// until one of the three closes.
pub fn at_max_connections_new_clients_wait_until_one_closes(server: &EchoServer) {
    let server = server.clone();
    watchdog("max connections", Duration::from_secs(30), move || {
        let server = server.start(&["--max-connections", "3"]);
        let mut first: Vec<TcpStream> = (0..3).map(|_| client(server.addr())).collect();
        for stream in &mut first {
            round_trip(stream, b"served");
        }
        // The fourth handshake completes (the kernel does it, in the
        // backlog), but nobody accepts the connection: no echo.
        let mut fourth = client(server.addr());
        assert!(!answers_within(&mut fourth, Duration::from_millis(300)));
        drop(first.pop());
        // A connection closed: the fourth is accepted and its byte echoed.
        let mut echo = [0u8];
        fourth.read_exact(&mut echo).unwrap();
        assert_eq!(&echo, b"?");
        round_trip(&mut fourth, b"and now served");
    })
}
// ANCHOR_END: max_connections_test

// ANCHOR: emfile_test
/// Out of descriptors (`RLIMIT_NOFILE` 32 in the server), `accept` fails
/// with `EMFILE`: the server says so, sleeps instead of retrying in a loop,
/// serves the connections it has, and accepts the waiting ones once
/// descriptors are free.
pub fn out_of_descriptors_pauses_accepts_without_spinning_and_recovers(server: &EchoServer) {
    let note = server.out_of_descriptors_note.unwrap_or_else(|| {
        panic!(
            "{}: say what the server prints when out of descriptors \
             (EchoServer::says_when_out_of_descriptors), or leave this \
             contract out of its list and say why",
            server.binary
        )
    });
    let mut command = server.command(&[]);
    watchdog("EMFILE", Duration::from_secs(60), move || {
        // SAFETY: the closure runs in the forked child before `exec`; it
        // only calls `setrlimit`, which is async-signal-safe, and touches no
        // memory shared with the parent's other threads.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 32,
                    rlim_max: 32,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let server = ServerProcess::spawn(command);
        let pid = server.pid();

        // ANCHOR: emfile_exhaust_and_recover
        // Open connections until the server stops answering new ones: it
        // has run out of descriptors (32, minus stdio, epoll, the reactor's
        // eventfd and the listener).
        let mut served = Vec::new();
        let mut waiting = Vec::new();
        for _ in 0..40 {
            let mut stream = client(server.addr());
            if waiting.is_empty() && answers_within(&mut stream, Duration::from_secs(2)) {
                served.push(stream);
            } else {
                waiting.push(stream);
            }
        }
        assert!(
            served.len() > 10 && served.len() < 32,
            "{} served",
            served.len()
        );
        // (`>=`: descriptors inherited above the limit stay open.)
        assert!(fd_count(pid) >= 32, "the server should be at its limit");

        // Exhausted, with connections waiting: the server must sleep, not
        // retry `accept` in a loop. Counted, not timed: a loop is runnable
        // at every look, however busy the machine; a server that waits in
        // `epoll_wait` is asleep at (nearly) every one.
        let looks = 100;
        let running = seen_running(pid, looks, Duration::from_millis(10));
        assert!(
            running <= looks / 2,
            "the server was running at {running} of {looks} looks while out of descriptors"
        );
        for stream in &mut served {
            round_trip(stream, b"the open ones are still served");
        }

        // Free some descriptors: the waiting clients are accepted, one per
        // closed connection, and served.
        served.truncate(served.len() - waiting.len());
        let mut echo = [0u8];
        waiting[0].read_exact(&mut echo).unwrap(); // the `?` it sent above
        for stream in &mut waiting {
            round_trip(stream, b"served after all");
        }
        // ANCHOR_END: emfile_exhaust_and_recover
        let (_, stderr) = server.stop();
        assert!(stderr.contains(note), "stderr: {stderr}");
    })
}
// ANCHOR_END: emfile_test

/// `--addr 127.0.0.1:0` is answered with the port the OS picked.
pub fn the_server_reports_the_port_the_os_picked(server: &EchoServer) {
    let server = server.clone();
    watchdog("listening line", Duration::from_secs(20), move || {
        let server = server.start(&[]);
        assert!(server.addr().ip().is_loopback());
        assert_ne!(server.addr().port(), 0);
    })
}

// ANCHOR: busy_test
/// A port another program holds: one line on stderr saying so, exit
/// status 1, nothing on stdout.
pub fn a_busy_address_is_a_clear_error_and_exit_status_1(server: &EchoServer) {
    let server = server.clone();
    watchdog("busy address", Duration::from_secs(20), move || {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap().to_string();
        let output = server.run_with_addr(&addr);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stdout, "", "nothing on stdout, not even `listening on`");
        assert!(
            stderr.starts_with(&format!("error: cannot bind a TCP socket to {addr}")),
            "{stderr}"
        );
        assert!(
            stderr.contains("another program is using that port"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    })
}
// ANCHOR_END: busy_test

/// `--addr localhost:http` is not an address: a usage error (clap's exit
/// status 2) naming the value.
pub fn an_address_that_is_not_an_address_is_a_usage_error(server: &EchoServer) {
    let server = server.clone();
    watchdog("usage error", Duration::from_secs(20), move || {
        let output = server.run_with_addr("localhost:http");
        let (_, stderr) = text(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "clap's exit status for bad usage"
        );
        assert!(
            stderr.contains("invalid value 'localhost:http' for '--addr"),
            "{stderr}"
        );
    })
}

/// An address no interface here has: a clear error, exit status 1.
pub fn an_address_no_interface_has_is_a_clear_error(server: &EchoServer) {
    let server = server.clone();
    watchdog("no such interface", Duration::from_secs(20), move || {
        // 192.0.2.0/24 is reserved for documentation: no host here has it.
        let output = server.run_with_addr("192.0.2.1:0");
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("no network interface here has that address"),
            "{stderr}"
        );
    })
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
