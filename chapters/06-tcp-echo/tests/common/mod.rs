//! Helpers for the chapter's tests: blocking client sockets, what `/proc`
//! says about a server process, and a server running in-process.

#![allow(dead_code)] // each test file uses its own subset

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream as StdTcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use reactor::Runtime;
use tcp_echo::{Config, Connections, TcpListener, serve};

/// The binaries, built by cargo for the integration tests.
pub const SERVER: &str = env!("CARGO_BIN_EXE_tcp-echo");
pub const CLIENT: &str = env!("CARGO_BIN_EXE_tcp-echo-client");
pub const DEMO: &str = env!("CARGO_BIN_EXE_tcp-echo-demo");

/// A blocking client that gives up on a read after five seconds, so a lost
/// echo fails the test instead of hanging it.
pub fn client(addr: SocketAddr) -> StdTcpStream {
    let stream = StdTcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

/// Sends `message` and reads back exactly as many bytes, which must match.
pub fn round_trip(stream: &mut StdTcpStream, message: &[u8]) {
    stream.write_all(message).unwrap();
    let mut echo = vec![0u8; message.len()];
    stream
        .read_exact(&mut echo)
        .unwrap_or_else(|e| panic!("no echo of {} bytes: {e}", message.len()));
    assert!(echo == message, "the echo differs from what was sent");
}

/// Whether `stream` gets the echo of one byte within `wait`.
pub fn answers_within(stream: &mut StdTcpStream, wait: Duration) -> bool {
    stream.write_all(b"?").unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8];
    let answered = match stream.read(&mut byte) {
        Ok(1) => true,
        Ok(_) => panic!("the server closed the connection"),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            false
        }
        Err(e) => panic!("read failed: {e}"),
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    answered
}

/// How many file descriptors process `pid` has open.
pub fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

/// The resident memory of process `pid`, in KiB (`VmRSS`).
pub fn rss_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("a VmRSS line");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// CPU time process `pid` has used (user + system), in clock ticks.
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may contain spaces) in its
    // parentheses: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
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

/// The echo server of this chapter, running in this process on a runtime
/// thread of its own: its address, its connection count, and a way to ask
/// how many tasks the runtime has and how many sources are registered with
/// its reactor. The thread runs until the test process ends.
pub fn in_process_server(config: Config) -> (SocketAddr, Connections, impl Fn() -> (usize, usize)) {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut runtime = Runtime::new().unwrap();
        let (handle, reactor) = (runtime.handle(), runtime.reactor().clone());
        let connections = Connections::default();
        let theirs = connections.clone();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            tx.send((listener.local_addr().unwrap(), theirs, handle, reactor))
                .unwrap();
            let _ = serve(&listener, &config, &connections).await;
        })
    });
    let (addr, connections, handle, reactor) = rx.recv().unwrap();
    let counts = move || (handle.live_tasks(), reactor.registered_sources());
    (addr, connections, counts)
}

/// A recognisable byte for position `i` of a long stream, so that a lost,
/// repeated or reordered chunk shows up as a wrong byte.
pub fn pattern(i: usize) -> u8 {
    (i as u64).wrapping_mul(0x9E37_79B9).rotate_right(13) as u8 ^ (i / 4093) as u8
}

/// A server in this process that runs `handler` on its own task for each
/// connection it accepts, and sends each handler's result down the
/// returned channel (for the exercises, whose handlers are the lesson).
pub fn serve_each<F, Fut>(handler: F) -> (SocketAddr, mpsc::Receiver<std::io::Result<u64>>)
where
    F: Fn(tcp_echo::TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = std::io::Result<u64>> + Send + 'static,
{
    let (addr_tx, addr_rx) = mpsc::channel();
    let (results_tx, results_rx) = mpsc::channel();
    thread::spawn(move || {
        let mut runtime = Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let results = results_tx.clone();
                let task = reactor::spawn(handler(stream));
                // A handler that panics (a stub's `todo!()`) reports it as
                // its result, so the test fails at once, and says why.
                drop(reactor::spawn(async move {
                    let result = task.await.unwrap_or_else(|e| {
                        Err(std::io::Error::other(format!("the handler panicked: {e}")))
                    });
                    let _ = results.send(result);
                }));
            }
        })
    });
    (addr_rx.recv().unwrap(), results_rx)
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
