//! The practical limit for one thread: a hand-written, edge-triggered mio
//! loop with no tasks, no wakers and no run queue. An event names a
//! connection; the loop serves that connection right there until the
//! kernel says `WouldBlock`, and goes back to `epoll_wait`.
//!
//! It keeps the same handler as every other server here: read into the
//! connection's buffer, write all of it back, read again; while a write is
//! incomplete, stop reading (backpressure). And it uses the one trick a
//! careful hand-written loop uses (tokio does too): a TCP read that returns
//! less than the buffer has emptied the socket, so the loop waits for the
//! next edge instead of making a `read` that can only say `WouldBlock`.
//!
//! It stops as every server of the book does, on SIGTERM or SIGINT: the
//! signals are one more source in the same `Poll` (signal-hook-mio's
//! self-pipe: the handler writes a byte, the loop reads the pipe only when
//! an event names it), so waiting for them costs the echo nothing.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::time::{Duration, Instant};

use mio::event::Event;
use mio::net::{TcpListener, TcpStream, UdpSocket};
use mio::{Events, Interest, Poll, Token};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook_mio::v1_0::Signals;
use slab::Slab;
use udp_echo::cli;

use super::Bound;

const LISTENER: Token = Token(usize::MAX);
/// SIGTERM and SIGINT.
const SIGNALS: Token = Token(usize::MAX - 1);

/// Serves until SIGTERM or SIGINT; a TCP server then drains its
/// connections for at most `drain_timeout`.
pub fn serve(socket: Bound, drain_timeout: Duration) -> anyhow::Result<()> {
    // Before `listening on`: a client that has read it may signal at once,
    // and must not find the default action, which kills the process.
    let signals = Signals::new([SIGTERM, SIGINT])?;
    match socket {
        Bound::Tcp(listener) => {
            listener.set_nonblocking(true)?;
            tcp(TcpListener::from_std(listener), signals, drain_timeout)
        }
        Bound::Udp(socket) => {
            socket.set_nonblocking(true)?;
            udp(UdpSocket::from_std(socket), signals)
        }
    }
}

/// The first of the signals that have arrived, if any: reading them empties
/// the pipe, so that the next signal brings a new edge.
fn received(signals: &mut Signals) -> Option<&'static str> {
    let signal = signals.pending().next()?;
    Some(signal_hook::low_level::signal_name(signal).unwrap_or("a signal"))
}

/// `poll.poll`, where a signal that interrupts the wait is no error: its
/// event follows.
fn wait(poll: &mut Poll, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
    match poll.poll(events, timeout) {
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
        other => other,
    }
}

// ANCHOR: conn
/// One connection: its socket and its buffer, in which `buf[start..end]`
/// has been read and not yet written back.
struct Conn {
    stream: TcpStream,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// The last read returned less than the buffer: the receive queue was
    /// empty after it (a byte stream hands out all it has).
    drained: bool,
    /// An event said the peer shut down its writing half (`FIN`). Its edge
    /// may come before the read that returns the last bytes short, and no
    /// edge follows it: from then on only a read that returns 0 proves the
    /// queue empty. tokio keeps this "read closed" readiness for the same
    /// reason when it clears the rest.
    read_closed: bool,
}

/// What serving a connection left it as.
enum After {
    /// Waiting for the next edge (readable, or writable to finish a write).
    Wait,
    /// EOF or an error: close it.
    Close,
}

impl Conn {
    /// Echoes until the kernel says `WouldBlock` (the edge-triggered
    /// contract: the next event comes only after that), or until a short
    /// read proved the queue empty (the same thing, one system call
    /// cheaper), or the peer is done.
    fn serve(&mut self) -> After {
        loop {
            while self.start < self.end {
                match self.stream.write(&self.buf[self.start..self.end]) {
                    Ok(n) => self.start += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        // Data may arrive while we wait to write, and its
                        // edge is spent on this wait: read for real next.
                        self.drained = false;
                        return After::Wait;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return After::Close,
                }
            }
            if self.drained && !self.read_closed {
                // The last read emptied the receive queue: reading again
                // now would only return `WouldBlock`. New data brings a new
                // edge, so waiting for it is safe (an end of file does not).
                self.drained = false;
                return After::Wait;
            }
            match self.stream.read(&mut self.buf) {
                Ok(0) => {
                    let _ = self.stream.shutdown(std::net::Shutdown::Write);
                    return After::Close;
                }
                Ok(n) => {
                    (self.start, self.end) = (0, n);
                    // Shorter than the buffer: the kernel had no more.
                    self.drained = n < self.buf.len();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return After::Wait,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return After::Close,
            }
        }
    }
}
// ANCHOR_END: conn

// ANCHOR: tcp_loop
fn tcp(
    mut listener: TcpListener,
    mut signals: Signals,
    drain_timeout: Duration,
) -> anyhow::Result<()> {
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    poll.registry()
        .register(&mut signals, SIGNALS, Interest::READABLE)?;
    cli::announce(listener.local_addr()?)?;
    let mut conns: Slab<Conn> = Slab::new();
    let mut events = Events::with_capacity(1024);
    let signal = loop {
        wait(&mut poll, &mut events, None)?;
        // The whole batch is served before the loop stops: an edge-triggered
        // event left unhandled would not come again.
        let mut stop = None;
        for event in events.iter() {
            match event.token() {
                LISTENER => accept_all(&listener, &poll, &mut conns)?,
                SIGNALS => stop = received(&mut signals),
                Token(key) => serve_event(&poll, &mut conns, key, event)?,
            }
        }
        if let Some(signal) = stop {
            break signal;
        }
    };
    poll.registry().deregister(&mut listener)?;
    // Closing the listening socket makes the kernel refuse new clients.
    drop(listener);
    eprintln!("bench-server: {signal}: no longer accepting");
    drain(poll, events, conns, signals, drain_timeout)
}

/// An event for connection `key`: serve it, and close it if it is done.
/// The hot path, written inside the loop before the drain needed it too:
/// inlined, so that it stays as it was.
#[inline(always)]
fn serve_event(poll: &Poll, conns: &mut Slab<Conn>, key: usize, event: &Event) -> io::Result<()> {
    // An event for a connection closed earlier in this batch.
    let Some(conn) = conns.get_mut(key) else {
        return Ok(());
    };
    conn.read_closed |= event.is_read_closed();
    if let After::Close = conn.serve() {
        let mut conn = conns.remove(key);
        poll.registry().deregister(&mut conn.stream)?;
    }
    Ok(())
}

fn accept_all(listener: &TcpListener, poll: &Poll, conns: &mut Slab<Conn>) -> io::Result<()> {
    loop {
        let mut stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => {
                eprintln!("mio echo: accept: {e}");
                return Ok(());
            }
        };
        let entry = conns.vacant_entry();
        poll.registry().register(
            &mut stream,
            Token(entry.key()),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        entry.insert(Conn {
            stream,
            buf: vec![0; tcp_echo::server::BUFFER_SIZE].into_boxed_slice(),
            start: 0,
            end: 0,
            drained: false,
            read_closed: false,
        });
    }
}
// ANCHOR_END: tcp_loop

// ANCHOR: drain
/// After the signal: shut down the reading half of every connection, so
/// that each gets an event, and reads what is queued, then 0, as if its
/// client had closed. `Conn::serve` then writes everything back and closes
/// it as at any end of file, unchanged. A connection stuck writing stays
/// stuck; the loop serves on until every connection has closed, the
/// deadline has passed or a second signal has come, then closes the rest
/// (a socket with unread bytes is reset) and reports as the book's servers
/// do.
fn drain(
    mut poll: Poll,
    mut events: Events,
    mut conns: Slab<Conn>,
    mut signals: Signals,
    drain_timeout: Duration,
) -> anyhow::Result<()> {
    let draining = conns.len();
    if draining > 0 {
        eprintln!("bench-server: draining {draining} connections");
    }
    for (_, conn) in &conns {
        // An error (the peer has reset) needs nothing done: its event comes.
        let _ = conn.stream.shutdown(Shutdown::Read);
    }
    // `None`: a deadline too far to count, which never comes.
    let deadline = Instant::now().checked_add(drain_timeout);
    let mut second_signal = false;
    while !conns.is_empty() && !second_signal {
        let left = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        if left == Some(Duration::ZERO) {
            break;
        }
        wait(&mut poll, &mut events, left)?;
        for event in events.iter() {
            match event.token() {
                SIGNALS => second_signal |= received(&mut signals).is_some(),
                // Deregistered and closed: no event names it any more.
                LISTENER => {}
                Token(key) => serve_event(&poll, &mut conns, key, event)?,
            }
        }
    }
    let aborted = conns.len();
    drop(conns);
    eprintln!(
        "bench-server: drained {}, aborted {aborted}",
        draining - aborted
    );
    Ok(())
}
// ANCHOR_END: drain

// ANCHOR: udp_loop
fn udp(mut socket: UdpSocket, mut signals: Signals) -> anyhow::Result<()> {
    let mut poll = Poll::new()?;
    let token = Token(0);
    poll.registry()
        .register(&mut socket, token, Interest::READABLE | Interest::WRITABLE)?;
    poll.registry()
        .register(&mut signals, SIGNALS, Interest::READABLE)?;
    cli::announce(socket.local_addr()?)?;
    let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
    // A reply the kernel had no room for: sent first when writable again.
    let mut unsent: Option<(usize, SocketAddr)> = None;
    let mut events = Events::with_capacity(16);
    loop {
        wait(&mut poll, &mut events, None)?;
        let stop = (events.iter())
            .filter(|event| event.token() == SIGNALS)
            .find_map(|_| received(&mut signals));
        if let Some(signal) = stop {
            // The datagram in hand is answered, if the socket takes it
            // now; the ones still queued are not.
            if let Some((n, peer)) = unsent {
                let _ = socket.send_to(&buf[..n], peer);
            }
            eprintln!("bench-server: {signal}: stopped");
            return Ok(());
        }
        loop {
            let (n, peer) = match unsent.take() {
                Some(reply) => reply,
                None => match socket.recv_from(&mut buf) {
                    Ok(got) => got,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => {
                        eprintln!("mio echo: receive: {e}");
                        continue;
                    }
                },
            };
            match socket.send_to(&buf[..n], peer) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    unsent = Some((n, peer));
                    break;
                }
                Err(e) => eprintln!("mio echo: send to {peer}: {e}"),
            }
        }
    }
}
// ANCHOR_END: udp_loop
