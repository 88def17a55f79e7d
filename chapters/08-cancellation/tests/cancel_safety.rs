//! The cancel-safety table of the book, measured.
//!
//! Each probe runs one operation of chapters 1 to 7 and drops it at every
//! point where it waits (its `n`-th `Pending`, for each `n` it reaches),
//! then counts what was lost: bytes (or connections, datagrams, values)
//! that left the kernel or the channel without the caller being told. The
//! same operation is then cancelled by `timeout` instead of by hand. The
//! rows these probes find are rendered as a Markdown table and compared
//! with `output/cancel-safety.md`, which the page includes: a change in any
//! operation's behaviour fails here until the table, and the prose around
//! it, are updated (`UPDATE_OUTPUT=1 cargo test -p cancellation --test
//! cancel_safety` rewrites the file below its header).

mod common;

use common::run;

use std::future::{Future, poll_fn};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use futures::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tcp_echo::{TcpListener, TcpStream};
use timers::{sleep, sleep_until, timeout};
use udp_echo::UdpSocket;

// Chapter 1's oneshot channel is an exercise: its crate compiles the stub
// unless the `solutions` feature is on, so the probe compiles the reference
// solution itself (the same file the book shows; nothing is copied).
#[allow(dead_code)]
#[path = "../../01-waker/solutions/oneshot.rs"]
mod oneshot;

// ANCHOR: row
/// One row of the table: what the probes found for one operation.
struct Row {
    operation: &'static str,
    /// The most that one cancellation lost, in `unit`s.
    worst: Lost,
    unit: &'static str,
}

/// What one cancellation lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Lost {
    Nothing,
    /// An exact count, the same on every machine.
    Exactly(usize),
    /// Some (how many depends on the kernel's buffer sizes).
    Some,
}
// ANCHOR_END: row

impl Lost {
    fn of(count: usize, exact: bool) -> Lost {
        match count {
            0 => Lost::Nothing,
            n if exact => Lost::Exactly(n),
            _ => Lost::Some,
        }
    }
}

/// How the probe cancels the operation at its `n`-th `Pending`.
#[derive(Clone, Copy)]
enum Cut {
    /// `drop(future)`, as the loser of a `select` is dropped.
    Drop(usize),
    /// The future is moved into `timeout(Duration::ZERO, ..)`, which polls
    /// it once more and drops it when the (past) deadline wins.
    Timeout(usize),
}

impl Cut {
    fn at(self) -> usize {
        match self {
            Cut::Drop(n) | Cut::Timeout(n) => n,
        }
    }
}

/// Polls `future` once, with the waker of the task running this (not
/// `testkit::poll_once`'s no-op one: the operation's wake must reach the
/// runtime that drives the probe).
async fn poll_in_task<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    poll_fn(|cx| Poll::Ready(testkit::poll_with(Pin::new(&mut *future), cx.waker()))).await
}

/// Lets the runtime park once, so that the reactor hears the kernel's
/// events (the runtime only asks `epoll_wait` when every task waits).
async fn let_reactor_run() {
    sleep(Duration::from_millis(1)).await;
}

// ANCHOR: cut
/// Drives `op`, doing `step(i)` between its `i`-th and next poll, until it
/// completes or until `cut` cancels it. Returns the output if it completed.
async fn drive<'a, T>(
    mut op: LocalBoxFuture<'a, T>,
    cut: Cut,
    mut step: impl AsyncFnMut(usize),
) -> Option<T> {
    let mut pendings = 0;
    loop {
        if let Poll::Ready(output) = poll_in_task(&mut op).await {
            return Some(output);
        }
        pendings += 1;
        if pendings == cut.at() {
            return match cut {
                Cut::Drop(_) => {
                    drop(op);
                    None
                }
                Cut::Timeout(_) => timeout(Duration::ZERO, op).await.ok(),
            };
        }
        step(pendings).await;
    }
}
// ANCHOR_END: cut

/// A connected pair: ours on the runtime, the peer a plain blocking socket.
async fn connected() -> (TcpStream, std::net::TcpStream) {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let peer = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (ours, _) = listener.accept().await.unwrap();
    (ours, peer)
}

/// Waits until `stream` has at least `n` bytes queued, then lets the
/// reactor see them.
async fn arrived(stream: &TcpStream, n: usize) {
    let mut peek = vec![0; n];
    while stream.as_async().get_ref().peek(&mut peek).unwrap_or(0) < n {
        let_reactor_run().await;
    }
    let_reactor_run().await;
}

/// The caller's side of a read: the buffers an operation may fill.
struct Reader<'s> {
    reader: BufReader<&'s TcpStream>,
    bytes: Vec<u8>,
    line: String,
}

/// A read operation, and how many bytes its caller can see it delivered:
/// from its output when it completed, from the caller's buffers either way.
struct ReadOp {
    name: &'static str,
    start: for<'a, 's> fn(&'a mut Reader<'s>) -> LocalBoxFuture<'a, io::Result<usize>>,
    known: fn(Option<&io::Result<usize>>, &Reader<'_>) -> usize,
}

const HALVES: [&[u8]; 2] = [b"abc", b"def\n"];

// ANCHOR: probe_read
/// Reads from a peer that sends [`HALVES`] one at a time, cancelled at `cut`;
/// then the peer sends the rest and closes, and a fresh read takes what is
/// left. Lost: sent, minus what the caller knows, minus what is left.
async fn probe_read(op: &ReadOp, cut: Cut) -> Option<usize> {
    let (ours, mut peer) = connected().await;
    let mut io = Reader {
        reader: BufReader::new(&ours),
        bytes: Vec::new(),
        line: String::new(),
    };
    if cut.at() > HALVES.len() + 1 {
        return None; // past the last half: the operation would wait for ever
    }
    let output = {
        let step = async |i: usize| {
            let half = HALVES[i - 1];
            peer.write_all(half).unwrap();
            arrived(&ours, half.len()).await;
        };
        drive((op.start)(&mut io), cut, step).await
    };
    let completed = output.is_some();
    let known = (op.known)(output.as_ref(), &io);
    let all: usize = HALVES.iter().map(|half| half.len()).sum();
    for half in &HALVES[HALVES.len().min(cut.at() - 1)..] {
        peer.write_all(half).unwrap();
    }
    peer.shutdown(Shutdown::Write).unwrap();
    let mut left = Vec::new();
    io.reader.read_to_end(&mut left).await.unwrap();
    // A cut that the operation never reached is no cancellation.
    (!completed).then_some(all - known - left.len())
}
// ANCHOR_END: probe_read

// ANCHOR: read_ops
const READ_OPS: [ReadOp; 4] = [
    ReadOp {
        name: "`TcpStream::read`",
        start: |io| Box::pin(async move { io.reader.get_ref().read(&mut [0; 64]).await }),
        known: |output, _| output.map_or(0, |r| *r.as_ref().unwrap()),
    },
    ReadOp {
        name: "`read_exact` (`AsyncReadExt`)",
        start: |io| {
            io.bytes = vec![0; 7];
            Box::pin(async move {
                let mut stream = *io.reader.get_ref();
                stream.read_exact(&mut io.bytes).await.map(|()| 7)
            })
        },
        // The bytes are in the caller's buffer, but it cannot tell how many.
        known: |output, _| output.map_or(0, |r| *r.as_ref().unwrap()),
    },
    ReadOp {
        name: "`read_to_end` (`AsyncReadExt`)",
        start: |io| {
            Box::pin(async move {
                let mut stream = *io.reader.get_ref();
                stream.read_to_end(&mut io.bytes).await
            })
        },
        // What it read stays in the caller's `Vec`, whose length tells.
        known: |_, io| io.bytes.len(),
    },
    ReadOp {
        name: "`read_line` (`AsyncBufReadExt`)",
        start: |io| Box::pin(io.reader.read_line(&mut io.line)),
        known: |_, io| io.line.len(),
    },
];
// ANCHOR_END: read_ops

/// A write operation that offers this many bytes to a peer that reads
/// slowly; reports what the caller was told was sent.
struct WriteOp {
    name: &'static str,
    start: for<'a> fn(&'a TcpStream, &'a [u8]) -> LocalBoxFuture<'a, io::Result<usize>>,
    /// Fill the send buffer first, so that the operation has to wait.
    fill: bool,
}

const WRITE_OPS: [WriteOp; 2] = [
    WriteOp {
        name: "`TcpStream::write`",
        start: |ours, data| Box::pin(ours.write(data)),
        fill: true,
    },
    WriteOp {
        name: "`write_all` (`AsyncWriteExt`)",
        start: |ours, data| {
            Box::pin(async move {
                let mut stream = ours;
                stream.write_all(data).await.map(|()| data.len())
            })
        },
        fill: false,
    },
];

// ANCHOR: probe_write
/// Writes to a peer that reads all it can between the operation's polls,
/// cancelled at `cut`; then we close, and the peer counts what it got.
/// Lost: received, minus what the caller was told was sent.
async fn probe_write(op: &WriteOp, cut: Cut) -> Option<usize> {
    let (ours, mut peer) = connected().await;
    peer.set_nonblocking(true).unwrap();
    let mut told = 0;
    let mut received = 0;
    if op.fill {
        let mut raw = ours.as_async().get_ref();
        while let Ok(n) = raw.write(&[1; 65536]) {
            told += n;
        }
    }
    let data = vec![2; 32 << 20];
    let output = loop {
        let mut steps = 0;
        let step = async |_| {
            steps += 1;
            received += read_some(&mut peer, 64 << 20);
            let_reactor_run().await;
        };
        match drive((op.start)(&ours, &data), cut, step).await {
            // It completed without waiting: the kernel had made room since
            // the fill. That is a plain, reported write; try again.
            Some(Ok(n)) if steps == 0 => told += n,
            output => break output,
        }
    };
    let completed = output.is_some();
    told += output.map_or(0, |r| r.unwrap());
    ours.shutdown(Shutdown::Write).unwrap();
    peer.set_nonblocking(false).unwrap();
    received += io::copy(&mut peer, &mut io::sink()).unwrap() as usize;
    (!completed).then_some(received - told)
}
// ANCHOR_END: probe_write

/// Reads up to `limit` bytes that are there, without waiting.
fn read_some(peer: &mut std::net::TcpStream, limit: usize) -> usize {
    let mut buf = vec![0; limit];
    let mut got = 0;
    while got < limit {
        match peer.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got
}

// ANCHOR: probe_accept
/// `accept` with no client, cancelled at `cut`, then a client connects (or
/// had connected before the cut): a fresh `accept` must still find it.
async fn probe_accept(cut: Cut) -> Option<usize> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut clients = Vec::new();
    let output = {
        let step = async |_| {
            clients.push(std::net::TcpStream::connect(addr).unwrap());
            let_reactor_run().await;
        };
        drive(Box::pin(listener.accept()), cut, step).await
    };
    if output.is_some() {
        return None;
    }
    clients.push(std::net::TcpStream::connect(addr).unwrap());
    let mut accepted = 0;
    while accepted < clients.len() {
        match timeout(Duration::from_secs(5), listener.accept()).await {
            Ok(result) => drop(result.unwrap()),
            Err(_) => break,
        }
        accepted += 1;
    }
    Some(clients.len() - accepted)
}
// ANCHOR_END: probe_accept

/// `recv_from` with nothing sent, cancelled at `cut` (a datagram sent
/// between the polls); then one more is sent, and fresh receives count them.
async fn probe_recv_from(cut: Cut) -> Option<usize> {
    let ours = UdpSocket::bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let addr = ours.local_addr().unwrap();
    let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut sent = 0;
    let mut buf = [0; 64];
    let output = {
        let step = async |_| {
            peer.send_to(b"ping", addr).unwrap();
            sent += 1;
            let_reactor_run().await;
        };
        drive(Box::pin(ours.recv_from(&mut buf)), cut, step).await
    };
    if output.is_some() {
        return None;
    }
    peer.send_to(b"ping", addr).unwrap();
    sent += 1;
    let mut got = 0;
    while got < sent {
        if timeout(Duration::from_secs(5), ours.recv_from(&mut buf))
            .await
            .is_err()
        {
            break;
        }
        got += 1;
    }
    Some(sent - got)
}

// ANCHOR: probe_sleep
/// A `sleep_until` cancelled before its deadline: the timer must leave the
/// store, and a new `sleep_until` of the same deadline waits no less.
/// Lost: timers left behind in the store (a leak, not a loss of data).
async fn probe_sleep(cut: Cut) -> Option<usize> {
    let deadline = std::time::Instant::now() + Duration::from_millis(20);
    let output = drive(Box::pin(sleep_until(deadline)), cut, async |_| {}).await;
    if output.is_some() {
        return None;
    }
    let leaked = timers::Handle::current().pending();
    sleep_until(deadline).await;
    assert!(std::time::Instant::now() >= deadline);
    Some(leaked)
}
// ANCHOR_END: probe_sleep

/// Chapter 7's `Interval::tick`, cancelled at `cut` while it waits for the
/// first tick: the next `tick()` must return that same tick, not the one
/// after it. Lost: ticks the cancellation skipped.
async fn probe_tick(cut: Cut) -> Option<usize> {
    let period = Duration::from_millis(20);
    let first = std::time::Instant::now() + period;
    let mut interval = timers::interval_at(first, period);
    let output = drive(Box::pin(interval.tick()), cut, async |_| {}).await;
    if output.is_some() {
        return None;
    }
    Some(usize::from(interval.tick().await != first))
}

// ANCHOR: probe_oneshot
/// Chapter 1's oneshot `Receiver`, polled through `&mut` (as a `select`
/// loop must, to keep the receiver): cancelled at `cut`, with the value sent
/// between the polls or after; awaiting the receiver again must get it.
async fn probe_oneshot(cut: Cut) -> Option<usize> {
    let (tx, mut rx) = oneshot::channel();
    let mut tx = Some(tx);
    let output = {
        let step = async |_| {
            if let Some(tx) = tx.take() {
                tx.send(7).unwrap();
            }
        };
        drive(Box::pin(&mut rx), cut, step).await
    };
    if output.is_some() {
        return None;
    }
    if let Some(tx) = tx {
        tx.send(7).unwrap();
    }
    Some(usize::from(rx.await != Ok(7)))
}
// ANCHOR_END: probe_oneshot

/// Runs `probe` at every cut of the kind `cut` makes, 1, 2, ..., until one
/// is past the operation's last wait (or the fourth: a 32 MiB `write_all`
/// waits far more often, and its first cuts already lose); the worst loss
/// over them.
async fn every_cut<P, F>(cut: fn(usize) -> Cut, exact: bool, probe: P) -> (usize, Lost)
where
    P: Fn(Cut) -> F,
    F: Future<Output = Option<usize>>,
{
    let mut cuts = 0;
    let mut worst = Lost::Nothing;
    for n in 1..=4 {
        match probe(cut(n)).await {
            Some(lost) => {
                cuts += 1;
                worst = worst.max(Lost::of(lost, exact));
            }
            None => break,
        }
    }
    assert!(cuts > 0, "the operation never waited");
    (cuts, worst)
}

// ANCHOR: rows
/// Every probe, dropped by hand and by `timeout`: the table's rows.
async fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (how, cut) in [
        ("", Cut::Drop as fn(usize) -> Cut),
        ("`timeout` around ", Cut::Timeout),
    ] {
        let mut add = |name: &'static str, unit, (_cuts, worst): (usize, Lost)| {
            let operation = if how.is_empty() {
                name
            } else {
                format!("{how}{name}").leak()
            };
            rows.push(Row {
                operation,
                worst,
                unit,
            });
        };
        for op in &READ_OPS {
            add(
                op.name,
                "bytes",
                every_cut(cut, true, |c| probe_read(op, c)).await,
            );
        }
        for op in &WRITE_OPS {
            add(
                op.name,
                "bytes",
                every_cut(cut, false, |c| probe_write(op, c)).await,
            );
        }
        add(
            "`TcpListener::accept`",
            "connections",
            every_cut(cut, true, probe_accept).await,
        );
        add(
            "`UdpSocket::recv_from`",
            "datagrams",
            every_cut(cut, true, probe_recv_from).await,
        );
        add(
            "`sleep_until` (`sleep`)",
            "timers leaked",
            every_cut(cut, true, probe_sleep).await,
        );
        add(
            "`Interval::tick`",
            "ticks",
            every_cut(cut, true, probe_tick).await,
        );
        add(
            "oneshot `&mut Receiver` (chapter 1)",
            "values",
            every_cut(cut, true, probe_oneshot).await,
        );
    }
    rows
}
// ANCHOR_END: rows

fn render(rows: &[Row]) -> String {
    let mut table = String::from(
        "| Operation | Lost by one cancellation, at worst | Cancel safe |\n\
         | --- | --- | --- |\n",
    );
    for row in rows {
        let (lost, safe) = match row.worst {
            Lost::Nothing => ("nothing".to_owned(), "yes"),
            Lost::Exactly(n) => (format!("{n} {}", row.unit), "**no**"),
            Lost::Some => (
                format!("some {} (sent, never reported)", row.unit),
                "**no**",
            ),
        };
        table += &format!("| {} | {lost} | {safe} |\n", row.operation);
    }
    table
}

/// The table is a captured output like any other: its first line is the
/// `$ ` header with the command that prints it (this test), and the rest is
/// the Markdown table. The page includes it from its second line
/// (`cancel-safety.md:2:`), because a `$ ` line above a Markdown table
/// would render as a stray paragraph; the command is in the prose instead.
#[test]
fn the_table_in_the_book_is_what_the_probes_find() {
    let table = render(&run("the cancel-safety probes", rows));
    testkit::assert_capture(&table, "output/cancel-safety.md");
}

// The rows the chapter's prose relies on, pinned one by one, so that
// regenerating the table cannot quietly turn the page's claims around.

/// The cuts and the worst loss of a read operation, cut by `cut`.
fn read_row(op: usize, cut: fn(usize) -> Cut) -> (usize, Lost) {
    run("the cancel-safety probes", move || {
        every_cut(cut, true, move |c| probe_read(&READ_OPS[op], c))
    })
}

/// The worst loss of a write operation, dropped at each wait.
fn write_row(op: usize) -> Lost {
    run("the cancel-safety probes", move || {
        every_cut(Cut::Drop, false, move |c| probe_write(&WRITE_OPS[op], c))
    })
    .1
}

#[test]
fn a_dropped_read_consumes_nothing() {
    assert_eq!(read_row(0, Cut::Drop).1, Lost::Nothing);
}

#[test]
fn a_dropped_read_exact_loses_the_bytes_it_had_read() {
    assert_eq!(read_row(1, Cut::Drop), (2, Lost::Exactly(3)));
}

#[test]
fn a_dropped_read_to_end_leaves_its_bytes_in_the_callers_vec() {
    assert_eq!(read_row(2, Cut::Drop).1, Lost::Nothing);
}

#[test]
fn a_dropped_read_line_loses_the_start_of_the_line() {
    assert_eq!(read_row(3, Cut::Drop).1, Lost::Exactly(3));
}

#[test]
fn a_dropped_write_reports_everything_it_sent() {
    assert_eq!(write_row(0), Lost::Nothing);
}

#[test]
fn a_dropped_write_all_sends_bytes_it_never_reports() {
    assert_eq!(write_row(1), Lost::Some);
}

#[test]
fn a_timeout_around_read_exact_loses_what_dropping_it_loses() {
    assert_eq!(read_row(1, Cut::Timeout).1, Lost::Exactly(3));
}

#[test]
fn dropped_accept_recv_from_sleep_tick_and_oneshot_lose_nothing() {
    let worst = run("the cancel-safety probes", || async {
        [
            every_cut(Cut::Drop, true, probe_accept).await.1,
            every_cut(Cut::Drop, true, probe_recv_from).await.1,
            every_cut(Cut::Drop, true, probe_sleep).await.1,
            every_cut(Cut::Drop, true, probe_tick).await.1,
            every_cut(Cut::Drop, true, probe_oneshot).await.1,
        ]
    });
    assert_eq!(worst, [Lost::Nothing; 5]);
}
