//! The yardstick: the same servers on tokio's single-threaded runtime
//! (`Builder::new_current_thread()`), written the way a tokio user would:
//! a task per connection, `read` then `write_all`; for UDP, `recv_from`
//! then `send_to`. The buffer sizes are the book's. The same code also runs
//! on the multi-threaded runtime, as reference rows.
//!
//! They stop as every server of the book does, on SIGTERM or SIGINT
//! (`tokio::signal::unix`): the TCP server stops accepting, lets each
//! connection finish what it has in flight, aborts what is left at the
//! drain deadline or a second signal, reports `drained N, aborted M` on
//! stderr and returns `Ok`; the UDP server stops at once. None of it
//! touches the echo loops, which are what this file is measured by: see
//! `Open` for how an idle connection is told to finish without a
//! `select!` in its loop.
//!
//! The runtime has no time driver (`enable_io()` only, as before these
//! servers stopped on signals): once enabled, tokio's time driver takes its
//! lock and reads the clock on every park, that is on every wait for
//! events. The one deadline here is the drain's, so it is chapter 1's
//! `Delay`, a thread that sleeps, as `ours` uses on chapter 4's runtime.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use slab::Slab;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::task::JoinSet;
use udp_echo::cli;

use super::Bound;

/// Serves until SIGTERM or SIGINT; a TCP server then drains its
/// connections for at most `drain_timeout`.
pub fn serve(socket: Bound, drain_timeout: Duration) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(serve_on(socket, drain_timeout))
}

// ANCHOR: tokio_mt
/// The same server on tokio's multi-threaded runtime with `workers` worker
/// threads. `block_on` runs its future on the calling thread, which is no
/// worker: the server is spawned, so that the accept loop runs on a worker
/// like the connections, and the main thread only waits.
pub fn serve_multi_thread(
    socket: Bound,
    workers: usize,
    drain_timeout: Duration,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_io()
        .build()?;
    runtime.block_on(async { tokio::spawn(serve_on(socket, drain_timeout)).await? })
}
// ANCHOR_END: tokio_mt

async fn serve_on(socket: Bound, drain_timeout: Duration) -> anyhow::Result<()> {
    // Before `listening on`: a client that has read it may signal at once,
    // and must not find the default action, which kills the process.
    let shutdown = Shutdown::new()?;
    match socket {
        Bound::Tcp(listener) => {
            listener.set_nonblocking(true)?;
            let listener = TcpListener::from_std(listener)?;
            cli::announce(listener.local_addr()?)?;
            accept_loop(listener, shutdown, drain_timeout).await
        }
        Bound::Udp(socket) => {
            socket.set_nonblocking(true)?;
            let socket = UdpSocket::from_std(socket)?;
            cli::announce(socket.local_addr()?)?;
            serve_udp(socket, shutdown).await
        }
    }
}

// ANCHOR: shutdown
/// SIGTERM and SIGINT, one tokio `Signal` stream each. They are set up once,
/// here; tokio's signal handler only writes to a pipe that its I/O driver
/// watches, and the driver reads that pipe only after an event for it.
struct Shutdown {
    terminate: Signal,
    interrupt: Signal,
}

impl Shutdown {
    fn new() -> io::Result<Shutdown> {
        Ok(Shutdown {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    /// Waits for the next SIGTERM or SIGINT and names it.
    ///
    /// # Cancel safety
    /// Cancel safe, as tokio's `Signal::recv` is: a signal is never lost.
    async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        }
    }
}
// ANCHOR_END: shutdown

// ANCHOR: tokio_tcp
async fn accept_loop(
    listener: TcpListener,
    mut shutdown: Shutdown,
    drain_timeout: Duration,
) -> anyhow::Result<()> {
    let open = Open::default();
    let mut connections = JoinSet::new();
    let signal = loop {
        tokio::select! {
            signal = shutdown.recv() => break signal,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let mut stream = open.list(stream);
                    connections.spawn(async move { echo(&mut stream.stream).await });
                }
                // Per-connection trouble (the client gave up in the backlog):
                // the benchmark never runs out of descriptors, so go on.
                Err(e) => eprintln!("tokio echo: accept: {e}"),
            },
            // Forget the connections that have ended, so that the set
            // holds the open ones.
            Some(_) = connections.join_next() => {}
        }
    };
    // Closing the listening socket makes the kernel refuse new clients.
    drop(listener);
    eprintln!("bench-server: {signal}: no longer accepting");
    drain(connections, &open, &mut shutdown, drain_timeout).await;
    Ok(())
}

async fn echo(stream: &mut TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; tcp_echo::server::BUFFER_SIZE];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return stream.shutdown().await;
        }
        stream.write_all(&buf[..n]).await?;
    }
}
// ANCHOR_END: tokio_tcp

// ANCHOR: drain
/// Tells every connection to finish ([`Open::end_reads`]), waits until
/// they all have, the deadline has passed or a second signal has come,
/// aborts the rest (dropping a task's future closes its socket) and reports
/// the counts as the book's servers do.
async fn drain(
    mut connections: JoinSet<io::Result<()>>,
    open: &Open,
    shutdown: &mut Shutdown,
    drain_timeout: Duration,
) {
    while connections.try_join_next().is_some() {}
    let draining = connections.len();
    if draining > 0 {
        eprintln!("bench-server: draining {draining} connections");
    }
    open.end_reads();
    let all_done = async { while connections.join_next().await.is_some() {} };
    tokio::select! {
        () = all_done => {}
        () = waker::Delay::new(drain_timeout) => {}
        _ = shutdown.recv() => {}
    }
    while connections.try_join_next().is_some() {}
    let aborted = connections.len();
    connections.shutdown().await;
    eprintln!(
        "bench-server: drained {}, aborted {aborted}",
        draining - aborted
    );
}
// ANCHOR_END: drain

// ANCHOR: open
/// The descriptors of the open connections, so that a drain can tell them
/// to finish from outside. The usual tokio way, a `select!` of each read
/// against a cancellation token, would put a registration with the token
/// into every wait of the echo loop this file is measured by. Instead, the
/// drain shuts down the reading half of every socket (`shutdown(SHUT_RD)`):
/// a read then returns the bytes already queued, then 0, as if the client
/// had closed, and the echo loop ends through its own end-of-file path,
/// having written back all it read. A connection stuck in `write_all`
/// stays stuck, and is aborted at the deadline. The cost is one lock when a
/// connection opens and one when it closes.
#[derive(Clone, Default)]
struct Open(Arc<Mutex<Slab<RawFd>>>);

/// A connection's stream, listed in [`Open`] while it is open.
struct Listed {
    stream: TcpStream,
    key: usize,
    open: Open,
}

impl Open {
    fn lock(&self) -> MutexGuard<'_, Slab<RawFd>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn list(&self, stream: TcpStream) -> Listed {
        let key = self.lock().insert(stream.as_raw_fd());
        Listed {
            stream,
            key,
            open: self.clone(),
        }
    }

    /// Shuts down the reading half of every open connection.
    fn end_reads(&self) {
        for (_, &fd) in self.lock().iter() {
            // SAFETY: `shutdown` takes no pointers, and `fd` is the socket
            // of an open connection, not a descriptor since reused: a
            // `Listed` leaves the list, under this lock, before its stream
            // is closed. An error (the peer has reset) needs nothing done.
            unsafe { libc::shutdown(fd, libc::SHUT_RD) };
        }
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        // Runs before the fields are dropped: out of the list, then closed.
        self.open.lock().remove(self.key);
    }
}
// ANCHOR_END: open

// ANCHOR: tokio_udp
/// Runs the UDP loop as a task until SIGTERM or SIGINT, then aborts it.
/// An abort takes effect where the task waits: in `recv_from`, which is
/// cancel safe (a datagram leaves the socket only with the call that
/// returns it), or in `send_to` while the socket has no room for the
/// reply, which is then not sent (tokio documents `send_to` as cancel safe
/// in that sense); a UDP client counts it as lost. The loop itself does not
/// look for the signal.
async fn serve_udp(socket: UdpSocket, mut shutdown: Shutdown) -> anyhow::Result<()> {
    let server = tokio::spawn(udp_loop(socket));
    let signal = shutdown.recv().await;
    server.abort();
    match server.await {
        Err(e) if e.is_cancelled() => {}
        Err(e) => std::panic::resume_unwind(e.into_panic()),
        Ok(never) => match never {},
    }
    eprintln!("bench-server: {signal}: stopped");
    Ok(())
}

async fn udp_loop(socket: UdpSocket) -> std::convert::Infallible {
    let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, peer)) => {
                if let Err(e) = socket.send_to(&buf[..n], peer).await {
                    eprintln!("tokio echo: send to {peer}: {e}");
                }
            }
            Err(e) => eprintln!("tokio echo: receive: {e}"),
        }
    }
}
// ANCHOR_END: tokio_udp
