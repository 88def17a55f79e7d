//! `cargo run -p timers --bin tcp-echo-timeouts -- --addr 127.0.0.1:0
//! --idle-timeout 5s`: chapter 6's echo server with an idle timeout and a
//! backoff after `EMFILE`.
//!
//! Same contract as `tcp-echo`: prints `listening on <address>` once bound,
//! then serves until SIGTERM or SIGINT, and drains like it, with a timer
//! of this chapter for the deadline.

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use reactor::{Signals, signal};
use tcp_echo::shutdown::{DrainArgs, serve_then_drain};
use tcp_echo::{Config, TcpListener, listen};
use timers::Runtime;
use timers::server::{BackoffOnExhaustion, Timeouts};
use udp_echo::cli;

// ANCHOR: args
/// A TCP echo server that closes idle connections, and that backs off
/// (instead of spinning or giving up) when it runs out of descriptors.
#[derive(Parser, Debug)]
#[command(name = "tcp-echo-timeouts", version)]
struct Args {
    #[command(flatten)]
    listen: cli::Listen,
    /// Close a connection whose client sends nothing for this long
    /// (`30s`, `500ms`, `2m`).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = humantime::parse_duration)]
    idle_timeout: Duration,
    /// Close a connection whose client takes none of its echo for this
    /// long (it sends, but never reads).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = humantime::parse_duration)]
    write_timeout: Duration,
    /// After `accept` fails for lack of descriptors, try again after this
    /// long at the latest (sooner if a connection closes).
    #[arg(long, value_name = "DURATION", default_value = "100ms", value_parser = humantime::parse_duration)]
    accept_backoff: Duration,
    /// At most this many connections at once (default: no limit).
    #[arg(long, value_name = "N")]
    max_connections: Option<NonZeroUsize>,
    #[command(flatten)]
    drain: DrainArgs,
}
// ANCHOR_END: args

// ANCHOR: main
fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let addr = args.listen.addr;
        let listener = listen(addr).map_err(|e| cli::bind_error("TCP", addr, e))?;
        let config = Config {
            max_connections: args.max_connections,
            ..Config::default()
        };
        let accept_policy = BackoffOnExhaustion::new(args.accept_backoff);
        let read_policy = Timeouts {
            idle: args.idle_timeout,
            write: args.write_timeout,
        };
        let drain_timeout = args.drain.drain_timeout;
        let mut runtime = Runtime::new()?;
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            let signals = Signals::new(&signal::SHUTDOWN)?;
            cli::announce(listener.local_addr()?)?;
            // Chapter 6 had to spend a thread on its deadline; here it is
            // one more entry in the timer store.
            let deadline = || timers::sleep(drain_timeout);
            let name = "tcp-echo-timeouts";
            serve_then_drain(
                name,
                listener,
                &config,
                &signals,
                accept_policy,
                read_policy,
                deadline,
            )
            .await?;
            Ok(())
        })
    })
}
// ANCHOR_END: main
