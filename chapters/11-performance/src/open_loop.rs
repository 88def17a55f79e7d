//! The open-loop TCP load generator: requests go out on a fixed schedule,
//! whatever the server does, and each is timed from the moment it was
//! *due*, not the moment it left.
//!
//! A closed-loop generator (chapter 6's `tcp_echo::load`) sends a
//! connection's next request when the last echo is back. If the server
//! stalls for 10 ms, the requests a real client would have sent during
//! those 10 ms are never sent, so the stall is one slow sample instead of
//! many: the generator coordinates with the server to omit the bad ones.
//! Here the offered rate is fixed: request `n` (counted over all
//! connections) is due at `start + n / rate`, on connection `n % C`, so the
//! sends are spread evenly over time and over the connections. A
//! connection keeps at most `depth` requests in flight (1: one request,
//! then its echo, as wrk2 does); a request that falls due while its
//! connection is full waits, and the wait is part of its latency (wrk2's
//! correction). Such requests are counted: they are the server falling
//! behind, in numbers.
//!
//! Every echo is checked byte for byte with chapter 5's payload, as the
//! closed-loop generators do; a wrong byte fails the run. It is one
//! edge-triggered mio loop on one thread, like the UDP generator, and it
//! never sleeps when a request is due within a millisecond (epoll's timeout
//! has millisecond resolution): it spins on its own core, so that its
//! schedule slips by microseconds, not by a timer tick.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use udp_echo::client::latency_histogram;
use udp_echo::payload::{self, Echo};

// ANCHOR: config
/// What to send, where, and how fast.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub connections: usize,
    /// Bytes per message, header included.
    pub size: usize,
    /// Requests per second over all connections: the offered load.
    pub rate: f64,
    /// Requests a connection may have sent and not seen echoed.
    pub depth: usize,
    /// Sending on schedule before measuring (echoes checked, not counted).
    pub warmup: Duration,
    /// The measured window: requests due in it are the measured ones.
    pub duration: Duration,
    /// How long after the window the last echoes may take before the run
    /// fails (a server that stopped answering).
    pub drain_timeout: Duration,
}
// ANCHOR_END: config

// ANCHOR: measured
/// What one open-loop run saw. Counts are of requests *due* in the
/// measured window, whenever they were sent.
#[derive(Debug)]
pub struct OpenMeasured {
    /// Requests the schedule put in the measured window.
    pub scheduled: u64,
    /// Of those, echoed and checked.
    pub round_trips: u64,
    /// Of those, the ones whose connection still had `depth` requests in
    /// flight when they fell due: sent late, or not at all if the window
    /// closed first (then they are also `unsent`).
    pub held_back: u64,
    /// Of those, still waiting to be sent when the window closed (never
    /// sent; `scheduled = round_trips + unsent`).
    pub unsent: u64,
    /// Echoes of warm-up requests, checked and not counted.
    pub warmup_round_trips: u64,
    /// The measured window's length.
    pub window: Duration,
    /// Due time to echo, in nanoseconds, for every measured round trip.
    pub latency: Histogram<u64>,
    /// Due time to the moment the generator queued the request, for the
    /// measured requests that found room (not held back): how far the
    /// generator itself fell behind its schedule, in nanoseconds. A large
    /// slip says the client, not the server, was late.
    pub slip: Histogram<u64>,
}

impl OpenMeasured {
    /// Scheduled requests per second of the window: the offered load.
    pub fn offered_per_sec(&self) -> f64 {
        self.scheduled as f64 / self.window.as_secs_f64()
    }

    /// Echoed requests per second of the window: never more than offered.
    pub fn achieved_per_sec(&self) -> f64 {
        self.round_trips as f64 / self.window.as_secs_f64()
    }
}
// ANCHOR_END: measured

struct Conn {
    stream: TcpStream,
    /// Sequence number of the next request this connection sends.
    next_seq: u64,
    /// Due times of the requests sent and not yet echoed, oldest first.
    in_flight: VecDeque<Instant>,
    /// Due times of requests that fell due while the connection was full.
    owed: VecDeque<Instant>,
    /// Bytes queued for the socket, and how many of them are written.
    out: Vec<u8>,
    written: usize,
    /// Echo bytes read so far, cut into messages of `size`.
    echo: Vec<u8>,
    filled: usize,
}

/// The schedule: request `n` is due `n / rate` seconds after `start`.
struct Schedule {
    start: Instant,
    nanos_per_request: f64,
    measure_from: Instant,
    stop: Instant,
}

impl Schedule {
    fn due(&self, n: u64) -> Instant {
        self.start + Duration::from_nanos((n as f64 * self.nanos_per_request) as u64)
    }

    fn measured(&self, due: Instant) -> bool {
        due >= self.measure_from && due < self.stop
    }
}

// ANCHOR: run
/// Connects every connection (handshakes are not measured), sends on
/// schedule for `warmup + duration`, waits for the last echoes, then
/// closes each connection's writing half and checks that the server sends
/// nothing more before its end of file.
///
/// # Errors
/// A refused or reset connection, an echo that differs from what was sent
/// (`InvalidData`), or echoes still missing `drain_timeout` after the
/// window (`TimedOut`).
pub fn run(config: &Config) -> io::Result<OpenMeasured> {
    let invalid = |what: &str| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            what.to_string(),
        ))
    };
    if config.size < payload::HEADER {
        return invalid("message shorter than the payload header");
    }
    if config.connections == 0 || config.depth == 0 {
        return invalid("at least one connection and one request in flight");
    }
    if !(config.rate.is_finite() && config.rate > 0.0) || config.duration.is_zero() {
        return invalid("a positive rate and a measured window");
    }
    let mut poll = Poll::new()?;
    let mut conns = Vec::with_capacity(config.connections);
    for i in 0..config.connections {
        let std = std::net::TcpStream::connect(config.addr)?;
        std.set_nodelay(true)?;
        std.set_nonblocking(true)?;
        let mut stream = TcpStream::from_std(std);
        poll.registry().register(
            &mut stream,
            Token(i),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        conns.push(Conn {
            stream,
            next_seq: 0,
            in_flight: VecDeque::with_capacity(config.depth),
            owed: VecDeque::new(),
            out: Vec::with_capacity(config.depth * config.size),
            written: 0,
            echo: vec![0; config.size],
            filled: 0,
        });
    }
    let start = Instant::now();
    let schedule = Schedule {
        start,
        nanos_per_request: 1e9 / config.rate,
        measure_from: start + config.warmup,
        stop: start + config.warmup + config.duration,
    };
    let mut m = OpenMeasured {
        scheduled: 0,
        round_trips: 0,
        held_back: 0,
        unsent: 0,
        warmup_round_trips: 0,
        window: config.duration,
        latency: latency_histogram(),
        slip: latency_histogram(),
    };
    let mut events = Events::with_capacity(1024);
    let mut message = vec![0u8; config.size];
    // The next request of the whole schedule.
    let mut next = 0u64;
    let c = config.connections as u64;
    loop {
        let now = Instant::now();
        // Every request now due goes to its connection: sent if there is
        // room, owed otherwise.
        while schedule.due(next) <= now && schedule.due(next) < schedule.stop {
            let due = schedule.due(next);
            m.scheduled += u64::from(schedule.measured(due));
            let i = (next % c) as usize;
            let conn = &mut conns[i];
            if conn.in_flight.len() < config.depth {
                queue(conn, i as u32, due, &mut message);
                if schedule.measured(due) {
                    m.slip
                        .saturating_record((now - due).as_nanos().max(1) as u64);
                }
            } else {
                conn.owed.push_back(due);
                m.held_back += u64::from(schedule.measured(due));
            }
            next += 1;
        }
        for conn in &mut conns {
            flush(conn)?;
        }
        let sending = now < schedule.stop;
        if !sending {
            // What is still owed was never sent: the window is over.
            for conn in &mut conns {
                m.unsent += conn
                    .owed
                    .drain(..)
                    .filter(|&d| schedule.measured(d))
                    .count() as u64;
            }
            if conns.iter().all(|c| c.in_flight.is_empty()) {
                break;
            }
            if now > schedule.stop + config.drain_timeout {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "echoes still missing after the drain timeout",
                ));
            }
        }
        // Sleep only when the next request is more than a millisecond away
        // (epoll_wait rounds its timeout to milliseconds); otherwise spin.
        let wait = if sending {
            schedule
                .due(next)
                .saturating_duration_since(Instant::now())
                .saturating_sub(Duration::from_millis(1))
        } else {
            Duration::from_millis(5)
        };
        poll.poll(&mut events, Some(wait))?;
        for event in events.iter() {
            let i = event.token().0;
            let conn = &mut conns[i];
            if event.is_readable() {
                receive(conn, i as u32, config.size, &schedule, &mut m)?;
                // Room again: what the connection owes goes out now, late.
                while conn.in_flight.len() < config.depth {
                    let Some(due) = conn.owed.pop_front() else {
                        break;
                    };
                    queue(conn, i as u32, due, &mut message);
                }
            }
            flush(conn)?;
        }
    }
    close(&mut poll, &mut conns, config.drain_timeout)?;
    Ok(m)
}
// ANCHOR_END: run

/// Appends the connection's next request, due at `due`, to its output.
fn queue(conn: &mut Conn, id: u32, due: Instant, message: &mut [u8]) {
    payload::fill(message, id, conn.next_seq);
    conn.out.extend_from_slice(message);
    conn.next_seq += 1;
    conn.in_flight.push_back(due);
}

/// Writes what the connection has queued, until done or `WouldBlock`
/// (the socket's buffer is full: the next writable edge resumes it).
fn flush(conn: &mut Conn) -> io::Result<()> {
    while conn.written < conn.out.len() {
        match conn.stream.write(&conn.out[conn.written..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => conn.written += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    conn.out.clear();
    conn.written = 0;
    Ok(())
}

/// Reads until `WouldBlock`, checking each whole message against the
/// oldest request in flight and timing it from its due time.
fn receive(
    conn: &mut Conn,
    id: u32,
    size: usize,
    schedule: &Schedule,
    m: &mut OpenMeasured,
) -> io::Result<()> {
    loop {
        let n = match conn.stream.read(&mut conn.echo[conn.filled..]) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("connection {id}: the server closed it with echoes owed"),
                ));
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // A read that fills less than it was offered has emptied the
        // socket (the rule of chapter 4's `read_with_drain`): the next
        // read would block.
        let drained = n < size - conn.filled;
        conn.filled += n;
        if conn.filled < size {
            if drained {
                return Ok(());
            }
            continue;
        }
        conn.filled = 0;
        let now = Instant::now();
        let corrupt = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("connection {id}: an echo differs from what was sent"),
            )
        };
        let due = conn.in_flight.pop_front().ok_or_else(corrupt)?;
        // The sequence number of the oldest request in flight.
        let expected = conn.next_seq - conn.in_flight.len() as u64 - 1;
        if payload::check(&conn.echo, size, id) != Echo::Of(expected) {
            return Err(corrupt());
        }
        if schedule.measured(due) {
            m.latency
                .saturating_record((now - due).as_nanos().max(1) as u64);
            m.round_trips += 1;
        } else {
            m.warmup_round_trips += 1;
        }
        if drained {
            return Ok(());
        }
    }
}

/// Shuts down every connection's writing half and waits for the server's
/// end of file on each: a byte before it is one the server made up.
fn close(poll: &mut Poll, conns: &mut [Conn], timeout: Duration) -> io::Result<()> {
    for conn in conns.iter_mut() {
        conn.stream.shutdown(Shutdown::Write)?;
    }
    let deadline = Instant::now() + timeout;
    let mut open = conns.len();
    let mut done = vec![false; conns.len()];
    let mut events = Events::with_capacity(1024);
    let mut byte = [0u8; 1];
    // Each connection is read once before any event: its FIN may already
    // have come with the last echo's edge.
    let mut ready: Vec<usize> = (0..conns.len()).collect();
    while open > 0 {
        for i in ready.drain(..) {
            if done[i] {
                continue;
            }
            loop {
                match conns[i].stream.read(&mut byte) {
                    Ok(0) => {
                        done[i] = true;
                        open -= 1;
                        break;
                    }
                    Ok(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("connection {i}: the server sent more than it was sent"),
                        ));
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if open == 0 {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the server did not close its side after ours",
            ));
        }
        poll.poll(&mut events, Some(left))?;
        ready.extend(events.iter().map(|e| e.token().0));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_puts_rate_times_window_requests_in_the_window() {
        // 1000 requests per second, a warm-up of 0.25 s and a window of
        // 0.5 s: requests 250 to 749 are measured, 500 in all.
        let start = Instant::now();
        let s = Schedule {
            start,
            nanos_per_request: 1e6,
            measure_from: start + Duration::from_millis(250),
            stop: start + Duration::from_millis(750),
        };
        let measured = (0..2000).filter(|&n| s.measured(s.due(n))).count();
        assert_eq!(measured, 500);
        assert!(!s.measured(s.due(249)) && s.measured(s.due(250)));
        assert!(s.measured(s.due(749)) && !s.measured(s.due(750)));
    }
}
