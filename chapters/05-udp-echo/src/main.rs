//! `cargo run -p udp-echo -- --addr 127.0.0.1:0`: the UDP echo server.
//!
//! Prints `listening on <address>` once bound, then echoes every datagram
//! back to its sender until SIGTERM or SIGINT (`Ctrl-C`): then it answers
//! the datagram in hand, says how many it served, and exits 0.

use std::net::UdpSocket as StdUdpSocket;
use std::num::NonZeroUsize;
use std::process::ExitCode;

use clap::Parser;
use reactor::{Runtime, Signals, signal};
use udp_echo::{Stats, UdpSocket, cli, server};

/// A UDP echo server on the book's runtime: every datagram goes back to
/// the address it came from, byte for byte.
#[derive(Parser, Debug)]
#[command(name = "udp-echo", version)]
struct Args {
    #[command(flatten)]
    listen: cli::Listen,
    /// Datagrams handled in a row before the server lets other tasks run.
    #[arg(long, default_value_t = NonZeroUsize::new(server::DEFAULT_BUDGET).unwrap())]
    budget: NonZeroUsize,
}

// ANCHOR: main
fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        // Bind before starting anything, so a bad address is the first and
        // only thing the user sees.
        let addr = args.listen.addr;
        let socket = StdUdpSocket::bind(addr).map_err(|e| cli::bind_error("UDP", addr, e))?;
        let mut runtime = Runtime::new()?;
        runtime.block_on(async {
            let socket = UdpSocket::from_std(socket)?;
            // Before the `listening on` line: a signal sent as soon as a
            // script reads it must find the handler installed.
            let signals = Signals::new(&signal::SHUTDOWN)?;
            cli::announce(socket.local_addr()?)?;
            let stats = Stats::new();
            let echo = |datagram: &mut [u8], _peer| Some(datagram.len());
            let stop = async {
                match signals.recv().await {
                    Ok(signal) => eprint!("udp-echo: {}: ", signal::name(signal)),
                    Err(e) => eprint!("udp-echo: reading signals failed ({e}): "),
                }
            };
            server::serve_until(&socket, args.budget.get(), &stats, echo, stop).await;
            eprintln!(
                "udp-echo: stopped; received {}, replied {}",
                stats.received(),
                stats.replied()
            );
            Ok(())
        })
    })
}
// ANCHOR_END: main
