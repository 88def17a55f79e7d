//! `cargo run -p tcp-echo -- --addr 127.0.0.1:0`: the TCP echo server.
//!
//! Prints `listening on <address>` once bound, then echoes every connection
//! until SIGTERM or SIGINT (`Ctrl-C`): then it stops accepting, lets the
//! open connections finish for `--drain-timeout` (or until a second
//! signal), cuts the rest, prints `drained N, aborted M` and exits 0.

use std::num::NonZeroUsize;
use std::process::ExitCode;

use clap::Parser;
use reactor::{Runtime, Signals, signal};
use tcp_echo::shutdown::{DrainArgs, serve_then_drain};
use tcp_echo::{Config, PauseUntilClose, TcpListener, WaitForever, listen};
use udp_echo::cli;
use waker::Delay;

// ANCHOR: args
/// A TCP echo server on the book's runtime: every byte a client sends comes
/// back to it, in order, on one task per connection.
#[derive(Parser, Debug)]
#[command(name = "tcp-echo", version)]
struct Args {
    #[command(flatten)]
    listen: cli::Listen,
    /// At most this many connections at once (default: no limit). At the
    /// limit the server stops accepting until a connection closes; new
    /// clients complete the TCP handshake and wait, unanswered, in the
    /// kernel's listen backlog (1024 connections; beyond that the kernel
    /// drops their SYNs and they retry). Nobody is refused.
    #[arg(long, value_name = "N")]
    max_connections: Option<NonZeroUsize>,
    /// Bytes of buffer per connection: the most it reads at once, and all
    /// the memory a connection holds in the server.
    #[arg(long, value_name = "BYTES", default_value_t = NonZeroUsize::new(tcp_echo::server::BUFFER_SIZE).unwrap())]
    buffer_size: NonZeroUsize,
    #[command(flatten)]
    drain: DrainArgs,
}
// ANCHOR_END: args

// ANCHOR: main
fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let addr = args.listen.addr;
        // Bind before starting anything, so a bad or busy address is the
        // first and only thing the user sees.
        let listener = listen(addr).map_err(|e| cli::bind_error("TCP", addr, e))?;
        let config = Config {
            max_connections: args.max_connections,
            buffer_size: args.buffer_size.get(),
        };
        let drain_timeout = args.drain.drain_timeout;
        let mut runtime = Runtime::new()?;
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            // Listening for the signals before saying we are ready: a
            // SIGTERM sent as soon as the line is read is never missed.
            let signals = Signals::new(&signal::SHUTDOWN)?;
            cli::announce(listener.local_addr()?)?;
            // This runtime has no timer (chapter 7 adds one): the deadline
            // is chapter 1's `Delay`, a thread that sleeps and wakes us.
            let deadline = || Delay::new(drain_timeout);
            let (accept, read) = (PauseUntilClose, WaitForever);
            serve_then_drain(
                "tcp-echo", listener, &config, &signals, accept, read, deadline,
            )
            .await?;
            Ok(())
        })
    })
}
// ANCHOR_END: main
