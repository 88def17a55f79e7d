//! End-to-end tests of the echo server binary, on `127.0.0.1:0`: what bad
//! clients and heavy load do to it, measured from outside through `/proc`.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream as StdTcpStream};
use std::thread;
use std::time::{Duration, Instant};

use common::{
    SERVER, answers_within, client, cpu_ticks, eventually, open_fds, pattern, raise_fd_limit,
    round_trip, rss_kib,
};
use socket2::SockRef;
use testkit::{ServerProcess, watchdog};

fn start(args: &[&str]) -> ServerProcess {
    let mut all = vec!["--addr", "127.0.0.1:0"];
    all.extend_from_slice(args);
    ServerProcess::start(SERVER, &all)
}

// ANCHOR: half_close_test
#[test]
fn a_client_that_shuts_down_writing_gets_every_byte_then_eof() {
    testkit::within("half-close", || {
        let server = start(&[]);
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

// ANCHOR: backpressure_test
#[test]
fn a_client_that_does_not_read_is_throttled_and_loses_nothing() {
    watchdog("backpressure", Duration::from_secs(60), || {
        const TOTAL: usize = 64 << 20;
        let server = start(&[]);
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
#[test]
fn resets_and_abrupt_disconnects_leak_no_descriptors_and_hurt_no_one() {
    watchdog("storm", Duration::from_secs(60), || {
        let server = start(&[]);
        let pid = server.pid();
        let before = open_fds(pid);
        let addr = server.addr();
        let mut steady = client(addr);
        round_trip(&mut steady, b"before the storm");

        let storm = thread::spawn(move || {
            for i in 0..600 {
                let mut stream = StdTcpStream::connect(addr).unwrap();
                match i % 3 {
                    // Connect, then close at once (a FIN, nothing sent).
                    0 => {}
                    // Send, then vanish with a reset (SO_LINGER 0), echo
                    // unread: the server's write may meet the RST.
                    1 => {
                        stream.write_all(&[7u8; 10_000]).unwrap();
                        SockRef::from(&stream)
                            .set_linger(Some(Duration::ZERO))
                            .unwrap();
                    }
                    // A reset before sending anything.
                    _ => SockRef::from(&stream)
                        .set_linger(Some(Duration::ZERO))
                        .unwrap(),
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
            eventually(Duration::from_secs(10), || open_fds(pid) == before),
            "the server had {before} descriptors open before the storm, {} after",
            open_fds(pid)
        );
    })
}
// ANCHOR_END: storm_test

#[test]
fn idle_and_half_sent_connections_do_not_delay_the_others() {
    testkit::within("idle connections", || {
        let server = start(&[]);
        let pid = server.pid();
        let before = open_fds(pid);
        let idle: Vec<StdTcpStream> = (0..200)
            .map(|i| {
                let mut stream = StdTcpStream::connect(server.addr()).unwrap();
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
        assert!(eventually(Duration::from_secs(5), || open_fds(pid) == before + 201));
        drop(idle);
        drop(busy);
        assert!(eventually(Duration::from_secs(5), || open_fds(pid) == before));
    })
}

// ANCHOR: thousand_test
#[test]
fn a_thousand_concurrent_connections_are_all_served() {
    watchdog("1,000 connections", Duration::from_secs(60), || {
        // 1,000 descriptors here, 1,000 in the server (which inherits the
        // limit), and some to spare.
        let limit = raise_fd_limit(4096);
        assert!(
            limit >= 1100,
            "the hard limit on open files is {limit}: too low"
        );
        let server = start(&[]);
        let mut streams: Vec<StdTcpStream> = (0..1000).map(|_| client(server.addr())).collect();
        // All open at once: each sends its number, then each reads it back.
        for (i, stream) in streams.iter_mut().enumerate() {
            stream
                .write_all(format!("connection {i:>5}").as_bytes())
                .unwrap();
        }
        assert!(eventually(Duration::from_secs(10), || {
            open_fds(server.pid()) >= 1000
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
#[test]
fn at_max_connections_new_clients_wait_until_one_closes() {
    testkit::within("max connections", || {
        let server = start(&["--max-connections", "3"]);
        let mut first: Vec<StdTcpStream> = (0..3).map(|_| client(server.addr())).collect();
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
#[test]
fn out_of_descriptors_pauses_accepts_without_spinning_and_recovers() {
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    watchdog("EMFILE", Duration::from_secs(60), || {
        let mut command = Command::new(SERVER);
        command.args(["--addr", "127.0.0.1:0"]);
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
        assert!(open_fds(pid) >= 32, "the server should be at its limit");

        // Exhausted, with connections waiting: the server must sleep, not
        // retry `accept` in a loop.
        let ticks = cpu_ticks(pid);
        thread::sleep(Duration::from_secs(1));
        let used = cpu_ticks(pid) - ticks;
        assert!(
            used < 10,
            "the server used {used} ticks of CPU in 1 s while out of descriptors"
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
        assert!(stderr.contains("pausing accepts"), "stderr: {stderr}");
    })
}
// ANCHOR_END: emfile_test
