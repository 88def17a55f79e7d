//! `cargo run -p completion --bin uring-echo -- --addr 127.0.0.1:0`: the
//! TCP echo server on io_uring.
//!
//! Same command-line contract as every server in the book: prints
//! `listening on <address>` once bound, then echoes until SIGTERM or SIGINT,
//! and drains like chapter 6's server, with a timer for the deadline.

use std::net::TcpListener as StdListener;
use std::num::NonZeroUsize;
use std::process::ExitCode;

use clap::Parser;
use completion::signal::Signals;
use completion::{Runtime, TcpListener, server};
use reactor::signal;
use tcp_echo::shutdown::DrainArgs;
use udp_echo::cli;

// ANCHOR: main
/// A TCP echo server on io_uring: every byte a client sends comes back to
/// it, in order, on one task per connection.
#[derive(Parser, Debug)]
#[command(name = "uring-echo", version)]
struct Args {
    #[command(flatten)]
    listen: cli::Listen,
    /// Bytes of buffer per connection: the most one read takes.
    #[arg(long, value_name = "BYTES", default_value_t = NonZeroUsize::new(server::BUFFER_SIZE).unwrap())]
    buffer_size: NonZeroUsize,
    #[command(flatten)]
    drain: DrainArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let addr = args.listen.addr;
        let listener = StdListener::bind(addr).map_err(|e| cli::bind_error("TCP", addr, e))?;
        let mut runtime = Runtime::new().map_err(|e| {
            anyhow::anyhow!(
                "cannot start io_uring ({e}); the readiness-based server is `cargo run -p tcp-echo`"
            )
        })?;
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            // Before the announcement: a signal sent as soon as it is read
            // must find the handler in place.
            let signals = Signals::new(&signal::SHUTDOWN)?;
            cli::announce(listener.local_addr()?)?;
            let (size, timeout) = (args.buffer_size.get(), args.drain.drain_timeout);
            server::serve_then_drain("uring-echo", listener, &signals, size, timeout).await?;
            Ok(())
        })
    })
}
// ANCHOR_END: main
