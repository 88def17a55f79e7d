//! The load client: send datagrams, check every echo, measure round trips.
//!
//! It uses blocking `std::net::UdpSocket`s, one thread per flow, and not the
//! runtime this book builds. A client must give up on a lost datagram after
//! a while, and the runtime has no timers until chapter 7; a blocking socket
//! with `set_read_timeout` gets one from the kernel. It also keeps the
//! measuring instrument independent of the thing it measures: a bug in our
//! runtime cannot hide itself by slowing the client down in step.
//!
//! Each flow sends one request, waits for its echo (or the timeout), then
//! sends the next, so a latency is the time of one real round trip, and
//! `concurrency` flows keep that many datagrams in flight.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::MAX_DATAGRAM;
use crate::payload::{self, Echo};

/// What to send, and where.
#[derive(Clone, Debug)]
pub struct Config {
    pub server: SocketAddr,
    /// Datagrams in all, shared among the flows.
    pub count: u64,
    /// Bytes per datagram, header included.
    pub size: usize,
    /// Flows (threads, sockets) sending at once.
    pub concurrency: usize,
    /// How long a flow waits for an echo before it counts it lost.
    pub timeout: Duration,
}

/// A histogram for round-trip times in nanoseconds: 1 ns to 100 s, three
/// significant digits. Every load generator of the book (this one, chapter
/// 6's, chapter 11's) makes its histograms here, so any two of them merge.
pub fn latency_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 100_000_000_000, 3).expect("valid bounds")
}

// ANCHOR: report
/// What came back.
#[derive(Debug)]
pub struct Report {
    pub sent: u64,
    /// Echoes that matched their request byte for byte, within the timeout.
    pub received: u64,
    /// Requests whose echo did not come within the timeout.
    pub lost: u64,
    /// Correct echoes that came after their request was counted lost.
    pub late: u64,
    /// Replies that did not match what was sent.
    pub corrupt: u64,
    /// Round-trip times of the received echoes, in nanoseconds.
    pub latency: Histogram<u64>,
    pub elapsed: Duration,
}

impl Report {
    fn empty() -> Report {
        Report {
            sent: 0,
            received: 0,
            lost: 0,
            late: 0,
            corrupt: 0,
            latency: latency_histogram(),
            elapsed: Duration::ZERO,
        }
    }

    fn merge(&mut self, other: &Report) {
        self.sent += other.sent;
        self.received += other.received;
        self.lost += other.lost;
        self.late += other.late;
        self.corrupt += other.corrupt;
        self.latency
            .add(&other.latency)
            .expect("histograms with the same bounds");
    }

    /// `sent N, received N, lost N, late N, corrupt N`: the line a test can
    /// compare exactly, since none of it depends on timing on a quiet host.
    pub fn counts_line(&self) -> String {
        format!(
            "sent {}, received {}, lost {}, late {}, corrupt {}",
            self.sent, self.received, self.lost, self.late, self.corrupt
        )
    }

    /// Latency percentiles, in microseconds.
    pub fn latency_line(&self) -> String {
        let us = |ns: u64| format!("{:.1} µs", ns as f64 / 1000.0);
        let h = &self.latency;
        format!(
            "latency p50 {}, p99 {}, p99.9 {}, max {}",
            us(h.value_at_quantile(0.50)),
            us(h.value_at_quantile(0.99)),
            us(h.value_at_quantile(0.999)),
            us(h.max()),
        )
    }

    /// Round trips per second over the whole run.
    pub fn rate_line(&self) -> String {
        let secs = self.elapsed.as_secs_f64();
        format!(
            "{} round trips in {:.3} s: {:.0} per second",
            self.received,
            secs,
            self.received as f64 / secs.max(f64::EPSILON)
        )
    }
}
// ANCHOR_END: report

/// Runs the flows to the end and adds up what they saw.
///
/// An error from any flow (most likely `ConnectionRefused`: nothing listens
/// at `server`) ends the run with that error.
pub fn run(config: &Config) -> io::Result<Report> {
    if config.size < payload::HEADER || config.size > crate::MAX_IPV4_PAYLOAD {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a datagram must have {} to {} bytes",
                payload::HEADER,
                crate::MAX_IPV4_PAYLOAD
            ),
        ));
    }
    let flows = config.concurrency.max(1);
    let start = Instant::now();
    let results: Vec<io::Result<Report>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..flows)
            .map(|flow| {
                // Spread the remainder over the first flows.
                let share = config.count / flows as u64
                    + u64::from((flow as u64) < config.count % flows as u64);
                scope.spawn(move || run_flow(config, flow as u32, share))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a client flow panicked"))
            .collect()
    });
    let mut total = Report::empty();
    for result in results {
        total.merge(&result?);
    }
    total.elapsed = start.elapsed();
    Ok(total)
}

// ANCHOR: flow
/// One flow: its own socket, connected to the server so that the kernel
/// drops datagrams from anyone else and reports a closed port as an error.
fn run_flow(config: &Config, flow: u32, count: u64) -> io::Result<Report> {
    let any: SocketAddr = match config.server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(any)?;
    socket.connect(config.server)?;
    let mut request = vec![0u8; config.size];
    let mut reply = vec![0u8; MAX_DATAGRAM];
    let mut report = Report::empty();
    for seq in 0..count {
        payload::fill(&mut request, flow, seq);
        let sent_at = Instant::now();
        socket.send(&request)?;
        report.sent += 1;
        loop {
            // The timeout runs from the send, however many late echoes of
            // earlier requests arrive meanwhile.
            let Some(left) = config.timeout.checked_sub(sent_at.elapsed()) else {
                report.lost += 1;
                break;
            };
            socket.set_read_timeout(Some(left.max(Duration::from_micros(1))))?;
            let n = match socket.recv(&mut reply) {
                Ok(n) => n,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    report.lost += 1;
                    break;
                }
                Err(e) => return Err(e),
            };
            match payload::check(&reply[..n], config.size, flow) {
                Echo::Of(s) if s == seq => {
                    let rtt = sent_at.elapsed().as_nanos().max(1) as u64;
                    report.latency.saturating_record(rtt);
                    report.received += 1;
                    break;
                }
                // The echo of a request already given up on: keep waiting.
                Echo::Of(s) if s < seq => report.late += 1,
                // Wrong bytes, or a "future" sequence number: the answer to
                // this request, and a wrong one.
                _ => {
                    report.corrupt += 1;
                    break;
                }
            }
        }
    }
    Ok(report)
}
// ANCHOR_END: flow
