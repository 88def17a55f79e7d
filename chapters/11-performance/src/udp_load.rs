//! The UDP load generator: `flows` sockets, each keeping up to `window`
//! datagrams in flight, every echo checked byte for byte with chapter 5's
//! payload, losses counted rather than waited for.
//!
//! Chapter 5's client blocks a thread per flow; with 64 flows on the one
//! core the client is given, that measures the scheduler more than the
//! server. This one is a single edge-triggered mio loop, the cheapest
//! client one thread can be, and it is the same for every server.
//!
//! On loopback a connected UDP socket receives its echoes in the order the
//! server sent them, and every server here answers one socket's datagrams
//! in order. So a flow's in-flight datagrams form a queue: an echo must be
//! that of the oldest one; an echo of a later one means the older ones were
//! lost; an echo of an earlier one (already counted lost) is late.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::UdpSocket;
use mio::{Events, Interest, Poll, Token};
use udp_echo::payload::{self, Echo};

use crate::harness::Measured;

// ANCHOR: config
/// What to send, and where.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// Sockets, each a flow of its own.
    pub flows: usize,
    /// Bytes per datagram, header included.
    pub size: usize,
    /// Datagrams a flow may have sent and not seen echoed.
    pub window: usize,
    /// Sending before measuring (echoes checked, not counted).
    pub warmup: Duration,
    /// Measured sending time, after the warm-up.
    pub duration: Duration,
    /// A flow whose oldest datagram has waited this long counts everything
    /// in flight as lost, and sends anew.
    pub loss_timeout: Duration,
    /// Keep sending after `duration` until this many echoes were measured
    /// (0: stop at `duration`), for at most [`AT_LEAST_LIMIT`] more.
    pub at_least: u64,
}

/// How long past its `duration` a run keeps sending for its `at_least`.
pub const AT_LEAST_LIMIT: Duration = Duration::from_secs(30);
// ANCHOR_END: config

struct Flow {
    socket: UdpSocket,
    next_seq: u64,
    /// (sequence number, send time), oldest first.
    in_flight: VecDeque<(u64, Instant)>,
}

// ANCHOR: run
/// Runs the flows for `warmup + duration`, then waits (at most one loss
/// timeout) for the last echoes. Fails on a corrupt echo, or when the
/// kernel reports the server gone (`ConnectionRefused`).
pub fn run(config: &Config) -> io::Result<Measured> {
    if config.size < payload::HEADER || config.size > udp_echo::MAX_IPV4_PAYLOAD {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "datagram size out of range",
        ));
    }
    let mut poll = Poll::new()?;
    let mut flows = Vec::with_capacity(config.flows);
    for i in 0..config.flows {
        let mut socket = UdpSocket::bind(SocketAddr::new(config.addr.ip(), 0))?;
        socket.connect(config.addr)?;
        poll.registry()
            .register(&mut socket, Token(i), Interest::READABLE)?;
        flows.push(Flow {
            socket,
            next_seq: 0,
            in_flight: VecDeque::with_capacity(config.window),
        });
    }
    let start = Instant::now();
    let measure_from = start + config.warmup;
    let stop_sending = measure_from + config.duration;
    let give_up = stop_sending + AT_LEAST_LIMIT;
    let mut m = Measured::new();
    let mut last_echo = measure_from;
    let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
    let mut message = vec![0u8; config.size];
    let mut events = Events::with_capacity(1024);
    for (i, flow) in flows.iter_mut().enumerate() {
        refill(flow, i as u32, config.window, &mut message)?;
    }
    loop {
        let now = Instant::now();
        let sending = now < stop_sending || (m.round_trips < config.at_least && now < give_up);
        if !sending && flows.iter().all(|f| f.in_flight.is_empty()) {
            break;
        }
        // Wake up at least every few milliseconds to look for losses.
        poll.poll(&mut events, Some(Duration::from_millis(5)))?;
        for event in events.iter() {
            let i = event.token().0;
            let flow = &mut flows[i];
            loop {
                let n = match flow.socket.recv(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e),
                };
                let now = Instant::now();
                let seq = match payload::check(&buf[..n], config.size, i as u32) {
                    Echo::Of(seq) => seq,
                    Echo::Corrupt => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("flow {i}: an echo differs from every datagram sent"),
                        ));
                    }
                };
                // Older datagrams overtaken by this echo were lost.
                while flow.in_flight.front().is_some_and(|&(s, _)| s < seq) {
                    flow.in_flight.pop_front();
                    m.lost += 1;
                }
                match flow.in_flight.front() {
                    Some(&(s, sent_at)) if s == seq => {
                        flow.in_flight.pop_front();
                        if sent_at >= measure_from {
                            let nanos = (now - sent_at).as_nanos().max(1) as u64;
                            m.latency.saturating_record(nanos);
                            m.round_trips += 1;
                            last_echo = now;
                        } else {
                            m.warmup_round_trips += 1;
                        }
                    }
                    _ => m.late += 1,
                }
            }
            if sending {
                refill(flow, i as u32, config.window, &mut message)?;
            }
        }
        let now = Instant::now();
        for (i, flow) in flows.iter_mut().enumerate() {
            if flow
                .in_flight
                .front()
                .is_some_and(|&(_, sent_at)| now - sent_at > config.loss_timeout)
            {
                m.lost += flow.in_flight.len() as u64;
                flow.in_flight.clear();
                if sending {
                    refill(flow, i as u32, config.window, &mut message)?;
                }
            } else if flow.in_flight.is_empty() && sending {
                // Every send of its last refill found the buffer full.
                refill(flow, i as u32, config.window, &mut message)?;
            }
        }
    }
    m.elapsed = last_echo.saturating_duration_since(measure_from);
    m.size = config.size;
    Ok(m)
}

/// Sends until `window` datagrams are in flight. A send that finds the
/// socket buffer full stops early; the next echo makes room again.
fn refill(flow: &mut Flow, id: u32, window: usize, message: &mut [u8]) -> io::Result<()> {
    while flow.in_flight.len() < window {
        payload::fill(message, id, flow.next_seq);
        let sent_at = Instant::now();
        match flow.socket.send(message) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) => return Err(e),
        }
        flow.in_flight.push_back((flow.next_seq, sent_at));
        flow.next_seq += 1;
    }
    Ok(())
}
// ANCHOR_END: run
