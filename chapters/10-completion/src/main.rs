//! `cargo run -p completion --bin uring-echo -- --addr 127.0.0.1:0`: the
//! TCP echo server on io_uring.
//!
//! Same command-line contract as every server in the book: prints
//! `listening on <address>` once bound, then echoes until SIGTERM or SIGINT,
//! and drains like chapter 6's server, with a timer for the deadline.

use std::net::TcpListener as StdListener;
use std::num::NonZeroUsize;
use std::process::ExitCode;

use std::future::poll_fn;
use std::pin::pin;
use std::task::Poll;

use clap::Parser;
use completion::signal::Signals;
use completion::{Runtime, TcpListener, server};
use reactor::signal;
use tcp_echo::shutdown::DrainArgs;
use tcp_echo::{Connections, Drain};
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
        let drain_timeout = args.drain.drain_timeout;
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            let signals = Signals::new(&signal::SHUTDOWN)?;
            cli::announce(listener.local_addr()?)?;
            // Chapter 6's `serve_then_drain`, with this chapter's listener
            // and signal reader: its `Drain` does the waiting and cutting.
            let mut drain = Drain::new(Connections::default());
            let signalled = async {
                match signals.recv().await {
                    Ok(signal) => {
                        eprintln!("uring-echo: {}: no longer accepting", signal::name(signal))
                    }
                    Err(e) => eprintln!("uring-echo: reading signals failed ({e}): stopping"),
                }
            };
            let buffer_size = args.buffer_size.get();
            let stopped = server::serve_until(&listener, buffer_size, &mut drain, signalled).await;
            drop(listener);
            let second_signal = async {
                let _ = signals.recv().await;
            };
            let (mut deadline, mut second_signal) =
                (pin!(timers::sleep(drain_timeout)), pin!(second_signal));
            let give_up = poll_fn(|cx| {
                if deadline.as_mut().poll(cx).is_ready()
                    || second_signal.as_mut().poll(cx).is_ready()
                {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            });
            let report = drain.drain(give_up).await;
            eprintln!("uring-echo: {report}");
            Ok(stopped?)
        })
    })
}
// ANCHOR_END: main
