//! The `uring-echo` binary from outside, held to what chapter 6's server
//! promises: every byte back under load (checked by chapter 6's load
//! generator), half-close, backpressure in bounded memory, no descriptor
//! leaked by resets, and a thousand connections at once.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use common::{fd_count, uring_test};
use socket2::SockRef;
use tcp_echo::load::{self, Stop};
use testkit::ServerProcess;

const SERVER: &str = env!("CARGO_BIN_EXE_uring-echo");

fn start() -> ServerProcess {
    ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"])
}

/// A client whose reads give up after five seconds: a lost echo fails.
fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

fn echo_once(stream: &mut TcpStream, message: &[u8]) {
    stream.write_all(message).unwrap();
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).unwrap();
    assert_eq!(back, message);
}

/// Byte `i` of a long test stream: position-dependent, so that a lost or
/// repeated chunk shows.
fn byte_at(i: usize) -> u8 {
    (i % 251) as u8 ^ (i >> 16) as u8
}

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .expect("VmRSS in /proc/PID/status")
}

fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > limit {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
    true
}

// ANCHOR: load_test
#[test]
fn many_pipelined_connections_get_every_byte_back() {
    uring_test("load", Duration::from_secs(60), || {
        let server = start();
        let config = load::Config {
            addr: server.addr(),
            connections: 50,
            size: 512,
            stop: Stop::Messages(200),
            pipeline: 4,
            warmup: Duration::ZERO,
        };
        // Chapter 6's load generator, on chapter 4's reactor, as the
        // client: it checks every byte of every echo.
        let mut client = reactor::Runtime::new().unwrap();
        let report = client.block_on(load::run(&config)).unwrap();
        assert_eq!(report.round_trips + report.warmup_round_trips, 50 * 200);
    })
}
// ANCHOR_END: load_test

#[test]
fn a_client_that_shuts_down_writing_gets_everything_then_eof() {
    uring_test("half-close", Duration::from_secs(30), || {
        let server = start();
        let mut stream = connect(server.addr());
        let sent: Vec<u8> = (0..300_000).map(byte_at).collect();
        stream.write_all(&sent).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let mut back = Vec::new();
        stream.read_to_end(&mut back).unwrap();
        assert_eq!(back.len(), sent.len());
        assert!(back == sent, "the echo differs from what was sent");
    })
}

#[test]
fn a_client_that_does_not_read_is_throttled_in_bounded_memory() {
    uring_test("backpressure", Duration::from_secs(60), || {
        const TOTAL: usize = 32 << 20;
        let server = start();
        let mut stream = connect(server.addr());
        let rss_before = resident_kib(server.pid());
        stream.set_nonblocking(true).unwrap();
        let chunk: Vec<u8> = (0..65_536).map(byte_at).collect();
        let mut written = 0;
        let mut stalled = None;
        while written < TOTAL {
            match stream.write(&chunk[written % chunk.len()..]) {
                Ok(n) => {
                    written += n;
                    stalled = None;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    if stalled.get_or_insert_with(Instant::now).elapsed()
                        > Duration::from_millis(500)
                    {
                        break;
                    }
                    thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("write failed: {e}"),
            }
        }
        assert!(
            written < TOTAL,
            "32 MiB went through unread: the server buffers without bound"
        );
        let rss_stalled = resident_kib(server.pid());
        assert!(
            rss_stalled < rss_before + 4096,
            "server RSS went from {rss_before} KiB to {rss_stalled} KiB with {written} bytes unread"
        );
        // Read it all back (and send the rest): every byte, in order.
        stream.set_nonblocking(false).unwrap();
        let mut reader = stream.try_clone().unwrap();
        let checker = thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 18];
            let mut seen = 0;
            while seen < TOTAL {
                let n = reader.read(&mut buf).unwrap();
                assert!(n > 0, "EOF after {seen} bytes");
                for (i, &b) in buf[..n].iter().enumerate() {
                    assert_eq!(b, byte_at((seen + i) % 65_536), "byte {}", seen + i);
                }
                seen += n;
            }
        });
        while written < TOTAL {
            let from = written % chunk.len();
            let to = chunk.len().min(from + TOTAL - written);
            written += stream.write(&chunk[from..to]).unwrap();
        }
        checker.join().unwrap();
    })
}

// ANCHOR: storm_test
#[test]
fn resets_and_abrupt_closes_leak_no_descriptors() {
    uring_test("resets", Duration::from_secs(60), || {
        let server = start();
        let (pid, addr) = (server.pid(), server.addr());
        let before = fd_count(pid);
        let mut steady = connect(addr);
        echo_once(&mut steady, b"before");
        for i in 0..600 {
            let mut stream = TcpStream::connect(addr).unwrap();
            if i % 2 == 0 {
                // Data the server will try to echo into a reset socket.
                stream.write_all(&[9u8; 8192]).unwrap();
            }
            if i % 3 != 0 {
                // SO_LINGER 0: close sends a reset instead of a FIN.
                SockRef::from(&stream)
                    .set_linger(Some(Duration::ZERO))
                    .unwrap();
            }
            if i % 50 == 0 {
                echo_once(&mut steady, b"during");
            }
        }
        echo_once(&mut steady, b"after");
        drop(steady);
        assert!(
            wait_for(Duration::from_secs(10), || fd_count(pid) == before),
            "{before} descriptors before the storm, {} after",
            fd_count(pid)
        );
    })
}
// ANCHOR_END: storm_test

#[test]
fn a_thousand_connections_at_once_are_all_served() {
    uring_test("1,000 connections", Duration::from_secs(60), || {
        // 1,000 sockets here and 1,000 in the server, which inherits this.
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: plain system calls on a local struct.
        unsafe {
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
            limit.rlim_cur = limit.rlim_max.min(4096);
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
        assert!(
            limit.rlim_cur >= 1100,
            "open-file limit {} too low",
            limit.rlim_cur
        );
        let server = start();
        let mut streams: Vec<TcpStream> = (0..1000).map(|_| connect(server.addr())).collect();
        for (i, stream) in streams.iter_mut().enumerate() {
            stream
                .write_all(format!("client {i:>6}").as_bytes())
                .unwrap();
        }
        for (i, stream) in streams.iter_mut().enumerate() {
            let mut back = [0u8; 13];
            stream.read_exact(&mut back).unwrap();
            assert_eq!(back, *format!("client {i:>6}").as_bytes());
        }
        assert!(fd_count(server.pid()) >= 1000);
    })
}

#[test]
fn a_busy_address_is_an_error_message_not_a_panic() {
    uring_test("bind error", Duration::from_secs(20), || {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap().to_string();
        let out = std::process::Command::new(SERVER)
            .args(["--addr", &addr])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: cannot bind"), "stderr: {stderr}");
        assert!(!stderr.contains("panicked"));
    })
}
