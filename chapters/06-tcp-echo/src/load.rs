//! The load generator's measuring core: open N connections to an echo
//! server, keep up to D requests in flight on each, check every byte of
//! every echo, and measure round trips.
//!
//! It runs on this book's runtime, one thread, one task per connection, so
//! it is also a test of that runtime under load. It is a library, not only a
//! binary, because chapter 11 drives the same code against other servers
//! (tokio, a hand-written mio loop) for its comparisons.
//!
//! Each message is chapter 5's payload: a header with the connection number
//! and the sequence number, then a pattern computed from both. TCP is a byte
//! stream, so the reader cuts the replies back into messages by size
//! (`read_exact`) and compares each with what was sent: a lost, repeated,
//! reordered or corrupted byte anywhere fails the run.

use std::future::poll_fn;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::channel::mpsc;
use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures::task::AtomicWaker;
use hdrhistogram::Histogram;
use serde::Serialize;
use udp_echo::client::latency_histogram;
use udp_echo::payload::{self, Echo};

use crate::stream::TcpStream;

/// When a connection stops sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// After this many measured messages per connection.
    Messages(u64),
    /// After this long (measured time, after the warm-up).
    Duration(Duration),
    /// After this long, and once this many messages per connection were
    /// measured, whichever comes later: a figure that needs enough work
    /// behind it, however slowly a busy machine runs the test.
    AtLeast(Duration, u64),
}

// ANCHOR: config
/// What to send, and where.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// Connections, each with its own task.
    pub connections: usize,
    /// Bytes per message, header included (at least [`payload::HEADER`]).
    pub size: usize,
    pub stop: Stop,
    /// Messages a connection may have sent and not yet seen echoed (1: one
    /// request, wait for its echo, then the next).
    pub pipeline: usize,
    /// Sending before measuring: echoes of messages sent during the warm-up
    /// are checked but not counted.
    pub warmup: Duration,
}
// ANCHOR_END: config

impl Config {
    fn validate(&self) -> io::Result<()> {
        let invalid = |what: String| Err(io::Error::new(io::ErrorKind::InvalidInput, what));
        if self.size < payload::HEADER {
            return invalid(format!(
                "a message needs at least {} bytes",
                payload::HEADER
            ));
        }
        if self.connections == 0 || self.pipeline == 0 {
            return invalid("connections and pipeline depth must be at least 1".into());
        }
        Ok(())
    }
}

/// What came back.
#[derive(Debug)]
pub struct Report {
    pub connections: usize,
    pub size: usize,
    pub pipeline: usize,
    /// Measured round trips: echoes received and checked, after the warm-up.
    pub round_trips: u64,
    /// Echoes received and checked during the warm-up.
    pub warmup_round_trips: u64,
    /// From the end of the warm-up to the last measured echo.
    pub elapsed: Duration,
    /// Round-trip times of the measured echoes, in nanoseconds.
    pub latency: Histogram<u64>,
}

// ANCHOR: summary
/// The report as plain numbers, for `--json` and for chapter 11's harness.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub connections: usize,
    pub size: usize,
    pub pipeline: usize,
    pub round_trips: u64,
    pub warmup_round_trips: u64,
    /// Bytes echoed (each went there and back) in the measured time.
    pub bytes: u64,
    pub elapsed_secs: f64,
    pub round_trips_per_sec: f64,
    pub bytes_per_sec: f64,
    pub latency_us: Latency,
}

/// Round-trip latency percentiles, in microseconds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Latency {
    pub p50: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}
// ANCHOR_END: summary

impl Report {
    fn empty(config: &Config) -> Report {
        Report {
            connections: config.connections,
            size: config.size,
            pipeline: config.pipeline,
            round_trips: 0,
            warmup_round_trips: 0,
            elapsed: Duration::ZERO,
            latency: latency_histogram(),
        }
    }

    /// The numbers.
    pub fn summary(&self) -> Summary {
        let secs = self.elapsed.as_secs_f64();
        let per_sec = |n: u64| if secs > 0.0 { n as f64 / secs } else { 0.0 };
        let us = |ns: u64| ns as f64 / 1000.0;
        let bytes = self.round_trips * self.size as u64;
        Summary {
            connections: self.connections,
            size: self.size,
            pipeline: self.pipeline,
            round_trips: self.round_trips,
            warmup_round_trips: self.warmup_round_trips,
            bytes,
            elapsed_secs: secs,
            round_trips_per_sec: per_sec(self.round_trips),
            bytes_per_sec: per_sec(bytes),
            latency_us: Latency {
                p50: us(self.latency.value_at_quantile(0.50)),
                p99: us(self.latency.value_at_quantile(0.99)),
                p999: us(self.latency.value_at_quantile(0.999)),
                max: us(self.latency.max()),
            },
        }
    }
}

impl Summary {
    /// The readable summary, one fact per line. The first two lines depend
    /// on nothing but the configuration when the run is bounded by
    /// messages (tests compare them); the rest are measurements.
    pub fn lines(&self) -> Vec<String> {
        let mb = |b: f64| b / 1e6;
        let l = &self.latency_us;
        vec![
            format!(
                "{} connections, {}-byte messages, pipeline depth {}",
                self.connections, self.size, self.pipeline
            ),
            format!(
                "checked {} echoes ({} bytes each way), all correct",
                self.round_trips, self.bytes
            ),
            format!(
                "{:.0} round trips/s, {:.1} MB/s each way, over {:.3} s",
                self.round_trips_per_sec,
                mb(self.bytes_per_sec),
                self.elapsed_secs
            ),
            format!(
                "latency p50 {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs, max {:.1} µs",
                l.p50, l.p99, l.p999, l.max
            ),
        ]
    }
}

// ANCHOR: run
/// Connects every connection first (so that the handshakes are not
/// measured), then runs them all, each on its own task, and adds up what
/// they saw. Must run inside `reactor::Runtime::block_on`.
///
/// Any error ends the run with it: a refused connection, a reset, an echo
/// that does not match what was sent (`InvalidData`).
pub async fn run(config: &Config) -> io::Result<Report> {
    config.validate()?;
    let connects = (0..config.connections).map(|_| TcpStream::connect(config.addr));
    let streams = futures::future::try_join_all(connects).await?;
    let start = Instant::now();
    let plan = Arc::new(Plan {
        size: config.size,
        pipeline: config.pipeline as u64,
        measure_from: start + config.warmup,
        stop: config.stop,
    });
    let tasks: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(flow, stream)| reactor::spawn(drive(stream, flow as u32, plan.clone())))
        .collect();
    let mut report = Report::empty(config);
    let mut last_echo = plan.measure_from;
    for task in tasks {
        let seen = task.await.map_err(|e| io::Error::other(e.to_string()))??;
        report.round_trips += seen.round_trips;
        report.warmup_round_trips += seen.warmup_round_trips;
        report.latency.add(&seen.latency).expect("same bounds");
        last_echo = last_echo.max(seen.last_echo);
    }
    report.elapsed = last_echo - plan.measure_from;
    Ok(report)
}
// ANCHOR_END: run

/// What every connection task needs to know.
struct Plan {
    size: usize,
    pipeline: u64,
    measure_from: Instant,
    stop: Stop,
}

/// One connection's share of the report.
struct Seen {
    round_trips: u64,
    warmup_round_trips: u64,
    latency: Histogram<u64>,
    last_echo: Instant,
}

// ANCHOR: drive
/// One connection: a writer and a reader, joined in one task, sharing the
/// stream through `&TcpStream` (its read and write halves wait apart).
///
/// The writer sends while fewer than `pipeline` messages are unanswered,
/// and passes each message's send time to the reader, in order, through a
/// channel. The reader takes the next send time, reads exactly one
/// message's worth of echo, checks it, and records the round trip. The two
/// must run concurrently: a writer that waited for each reply would deadlock
/// a deep pipeline against a server that stops reading once we stop
/// reading (which ours does, on purpose).
async fn drive(stream: TcpStream, flow: u32, plan: Arc<Plan>) -> io::Result<Seen> {
    stream.set_nodelay(true)?;
    let answered = AtomicU64::new(0);
    let room = AtomicWaker::new();
    let (sent_at_tx, mut sent_at_rx) = mpsc::unbounded::<Instant>();

    let writer = async {
        let mut message = vec![0u8; plan.size];
        let (mut seq, mut measured) = (0u64, 0u64);
        loop {
            // Wait for room in the pipeline.
            poll_fn(|cx| {
                room.register(cx.waker());
                if seq - answered.load(Ordering::Acquire) < plan.pipeline {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            })
            .await;
            let now = Instant::now();
            let done = match plan.stop {
                Stop::Messages(count) => now >= plan.measure_from && measured == count,
                Stop::Duration(length) => now >= plan.measure_from + length,
                Stop::AtLeast(length, count) => {
                    now >= plan.measure_from + length && measured >= count
                }
            };
            if done {
                break;
            }
            payload::fill(&mut message, flow, seq);
            sent_at_tx
                .unbounded_send(now)
                .expect("the reader outlives the writer");
            (&mut &stream).write_all(&message).await?;
            seq += 1;
            measured += u64::from(now >= plan.measure_from);
        }
        // Closing the channel tells the reader how many echoes to expect.
        drop(sent_at_tx);
        Ok::<(), io::Error>(())
    };

    let reader = async {
        let mut echo = vec![0u8; plan.size];
        let mut seen = Seen {
            round_trips: 0,
            warmup_round_trips: 0,
            latency: latency_histogram(),
            last_echo: plan.measure_from,
        };
        let mut expected = 0u64;
        while let Some(sent_at) = sent_at_rx.next().await {
            (&mut &stream).read_exact(&mut echo).await?;
            let now = Instant::now();
            if payload::check(&echo, plan.size, flow) != Echo::Of(expected) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "connection {flow}: echo of message {expected} differs from what was sent"
                    ),
                ));
            }
            expected += 1;
            answered.store(expected, Ordering::Release);
            room.wake();
            if sent_at >= plan.measure_from {
                let nanos = (now - sent_at).as_nanos().max(1) as u64;
                seen.latency.saturating_record(nanos);
                seen.round_trips += 1;
                seen.last_echo = now;
            } else {
                seen.warmup_round_trips += 1;
            }
        }
        Ok(seen)
    };

    let ((), seen) = futures::future::try_join(writer, reader).await?;
    // Everything is answered. Close our half; the server closes its half
    // in turn, and must not have sent a byte more than we sent.
    stream.shutdown(Shutdown::Write)?;
    if stream.read(&mut [0u8; 1]).await? != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("connection {flow}: the server sent more than it was sent"),
        ));
    }
    Ok(seen)
}
// ANCHOR_END: drive
