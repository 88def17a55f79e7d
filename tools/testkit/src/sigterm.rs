//! Stopping a server binary with a signal, as `kill -TERM` does, and
//! checking how it went: the exit status, what it printed on stderr, and
//! what its clients saw.
//!
//! [`ServerProcess`](crate::ServerProcess) kills its server; these tests
//! need the server to stop by itself, so [`Signalled`] keeps the child and
//! waits for it. The signal is sent with the system's `kill` command, the
//! way a reader or a service manager sends it.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::client::{client as connect, round_trip};
use crate::probe;

/// A server started for a signal test; killed on drop if it is still there.
#[derive(Debug)]
pub struct Signalled {
    child: Child,
    addr: SocketAddr,
    /// The server's stderr, line by line, from a thread that reads it.
    stderr: mpsc::Receiver<String>,
    /// The lines already taken out of `stderr`.
    seen: Vec<String>,
}

/// How a signalled server ended.
#[derive(Debug)]
pub struct Exit {
    pub status: ExitStatus,
    pub stderr: String,
}

impl Exit {
    /// The `drained N, aborted M` of the report line on stderr, if any.
    pub fn drained_aborted(&self) -> Option<(u64, u64)> {
        self.stderr.lines().find_map(|line| {
            let rest = &line[line.find("drained ")? + "drained ".len()..];
            let (drained, rest) = rest.split_once(", aborted ")?;
            let aborted: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some((drained.parse().ok()?, aborted.parse().ok()?))
        })
    }
}

impl Signalled {
    /// Starts `binary` with `args` and waits (up to ten seconds) for its
    /// `listening on <address>` line.
    pub fn start(binary: &str, args: &[&str]) -> Signalled {
        let mut child = Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
        let stderr = reader(child.stderr.take().expect("stderr is piped"));
        let Some(addr) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            panic!("{binary} printed {line:?}, not `listening on <address>`");
        };
        let addr = addr.parse().expect("an address after `listening on`");
        Signalled {
            child,
            addr,
            stderr,
            seen: Vec::new(),
        }
    }

    /// Waits (up to ten seconds) for a line on stderr that contains `text`.
    pub fn wait_for_line(&mut self, text: &str) -> String {
        loop {
            match self.stderr.recv_timeout(Duration::from_secs(10)) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {text:?} on stderr; it said: {}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (`"TERM"`, `"INT"`) with `kill -s`.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -s {signal} failed");
    }

    /// Waits for the server to exit by itself (the test's watchdog bounds
    /// the wait) and returns its status and stderr.
    pub fn wait(mut self) -> Exit {
        let status = self.child.wait().expect("wait for the server");
        // The reader thread ends at end of file, which the exit brings.
        let mut lines = std::mem::take(&mut self.seen);
        lines.extend(self.stderr.iter());
        Exit {
            status,
            stderr: lines.join("\n"),
        }
    }
}

impl Drop for Signalled {
    fn drop(&mut self) {
        // After `wait` the child is gone and these do nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends each line of `stderr` down a channel, from a thread of its own.
fn reader(stderr: ChildStderr) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Whether a connection to `addr` is refused, retried for a few seconds:
/// the listener closes shortly after the signal, not at the same instant.
pub fn refused_soon(addr: SocketAddr) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        match TcpStream::connect(addr) {
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => return true,
            _ => thread::sleep(Duration::from_millis(20)),
        }
    }
    false
}

/// Whether the server closed `stream` (a read returns end of file, or a
/// reset) instead of leaving it open: the read timeout of [`connect`]
/// fails it otherwise.
pub fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Err(e) => e.kind() == ErrorKind::ConnectionReset,
        Ok(_) => false,
    }
}

/// How the drain of a [`tcp_drain`] check is ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveUp {
    /// A second signal: the test sends it once the well-behaved clients
    /// are done, so the counts do not depend on timing.
    SecondSignal,
    /// The server's own drain deadline (the test started it with a short
    /// one).
    Deadline,
}

/// Far more bytes than the kernel buffers of both ends hold.
const FLOOD: usize = 64 << 20;

/// A client of `server` that sends until its socket takes no more, and
/// goes on sending from a thread, never reading. The server can then never
/// empty its receive buffer, so it ends up stuck in `write_all`, waiting for
/// us, and stays there until it cuts the connection: the thread ends when a
/// write fails, which the server's reset brings. Returns once the server is
/// stuck (see `until_stuck`).
pub fn stuck_client(server: &Signalled) -> (TcpStream, thread::JoinHandle<()>) {
    let mut stuck = connect(server.addr());
    round_trip(&mut stuck, b"about to flood");
    fill(&mut stuck);
    let mut writer = stuck.try_clone().unwrap();
    let sent = Arc::new(AtomicUsize::new(0));
    let progress = sent.clone();
    let tid = Arc::new(AtomicU32::new(0));
    let flood_tid = tid.clone();
    let flood = thread::spawn(move || {
        flood_tid.store(probe::current_tid(), Ordering::Release);
        let chunk = vec![0x5a; 1 << 16];
        while let Ok(n) = writer.write(&chunk) {
            progress.fetch_add(n, Ordering::Relaxed);
        }
    });
    until_stuck(&sent, &flood, &tid, server.pid());
    (stuck, flood)
}

/// Waits until the server is stuck writing to us, as the kernel sees it,
/// not as a clock guesses it: at four looks in a row, the flood has sent
/// nothing since the look before, its thread is not runnable (it sleeps in
/// `write`, waiting for room in our send buffer, so the server's receive
/// buffer is full), and no thread of the server is runnable. A server that
/// could still write would be reading the bytes we queued, and one that is
/// only short of CPU on a busy machine is runnable: neither passes. (No
/// progress alone is also what a flood thread or a server that gets no CPU
/// for a while shows on a loaded machine; the thread states rule those
/// two out.) The echo is not
/// looked at: even a `peek` is a read, which lets the kernel grow our
/// receive buffer and the server write on.
fn until_stuck(sent: &AtomicUsize, flood: &thread::JoinHandle<()>, tid: &AtomicU32, server: u32) {
    let me = std::process::id();
    let mut last = usize::MAX;
    let mut still = 0;
    while still < 4 && !flood.is_finished() {
        thread::sleep(Duration::from_millis(50));
        let now = sent.load(Ordering::Relaxed);
        let flood_tid = tid.load(Ordering::Acquire);
        let asleep = flood_tid != 0
            && !probe::thread_running(me, flood_tid)
            && probe::running_threads(server) == 0;
        still = if now == last && asleep { still + 1 } else { 0 };
        last = now;
    }
}

/// Writes to `stream` until it would block, then makes it blocking again.
fn fill(stream: &mut TcpStream) {
    stream.set_nonblocking(true).unwrap();
    let chunk = vec![0x5a; 1 << 16];
    let mut sent = 0;
    loop {
        match stream.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => panic!("filling the socket: {e}"),
        }
        assert!(sent < FLOOD, "the server took {sent} bytes without waiting");
    }
    stream.set_nonblocking(false).unwrap();
}

// ANCHOR: tcp_drain
/// The whole check of a TCP echo server's graceful shutdown, for every
/// server binary: start it, open three connections (one idle, one with an
/// echo in flight, one that sends and never reads), send `signal`, and
/// check that new connections are refused, the in-flight echo comes back
/// whole, the idle client is closed, the reader that never reads is
/// aborted, and the server exits 0 reporting `drained 2, aborted 1`.
pub fn tcp_drain(binary: &str, args: &[&str], signal: &str, give_up: GiveUp) {
    let mut server = Signalled::start(binary, args);
    let addr = server.addr();

    // Each client makes one round trip first: the server has accepted it,
    // and it counts among the connections the drain finds open.
    let mut idle = connect(addr);
    round_trip(&mut idle, b"and then silence");

    let (stuck, flood) = stuck_client(&server);

    // An echo in flight: the message is all sent and half of it back when
    // the signal comes; the other half must follow.
    let mut busy = connect(addr);
    round_trip(&mut busy, b"ready");
    let message: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 251) as u8).collect();
    busy.write_all(&message).unwrap();
    let mut back = vec![0; message.len()];
    busy.read_exact(&mut back[..message.len() / 2])
        .expect("the first half of the echo");

    server.signal(signal);
    // Once it says so, the accept loop has stopped: probing before would
    // let the server accept (and count) the probe.
    server.wait_for_line("no longer accepting");
    assert!(
        refused_soon(addr),
        "{binary}: new connections are still accepted after SIG{signal}"
    );
    busy.read_exact(&mut back[message.len() / 2..])
        .expect("the second half of an echo in flight at the signal");
    assert!(
        back == message,
        "{binary}: the echo in flight came back damaged"
    );
    assert!(
        closed_by_server(&mut busy),
        "{binary}: the connection whose echo was done stayed open"
    );
    assert!(
        closed_by_server(&mut idle),
        "{binary}: the idle connection stayed open through the drain"
    );

    if give_up == GiveUp::SecondSignal {
        server.signal(signal);
    }
    let exit = server.wait();
    // Returns once a write failed: the server cut the connection.
    flood.join().unwrap();
    drop(stuck);
    assert!(
        exit.status.success(),
        "{binary}: exit status {} after SIG{signal}; stderr: {}",
        exit.status,
        exit.stderr
    );
    assert_eq!(
        exit.drained_aborted(),
        Some((2, 1)),
        "{binary}: the report on stderr: {}",
        exit.stderr
    );
}

// ANCHOR_END: tcp_drain

/// A server whose only client has left stops at once: exit 0, nothing
/// aborted. (Its connection may still count as drained: on io_uring the
/// task closes its socket with an operation of its own after the client
/// has seen the end of file, so the signal can find it still closing.)
pub fn tcp_idle(binary: &str, args: &[&str], signal: &str) {
    let server = Signalled::start(binary, args);
    let mut client = connect(server.addr());
    round_trip(&mut client, b"one and done");
    client.shutdown(Shutdown::Write).unwrap();
    assert!(closed_by_server(&mut client));
    server.signal(signal);
    let exit = server.wait();
    assert!(
        exit.status.success(),
        "{binary}: exit status {} after SIG{signal}; stderr: {}",
        exit.status,
        exit.stderr
    );
    let counts = exit.drained_aborted();
    assert!(
        matches!(counts, Some((0 | 1, 0))),
        "{binary}: {counts:?}; stderr: {}",
        exit.stderr
    );
}
