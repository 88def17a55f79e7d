//! `cargo run -p timers --bin tcp-echo-timeouts -- --addr 127.0.0.1:0
//! --idle-timeout 5s`: chapter 6's echo server with an idle timeout and a
//! backoff after `EMFILE`.
//!
//! Same contract as `tcp-echo`: prints `listening on <address>` once bound,
//! then serves until it is killed.

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tcp_echo::{Config, Connections, TcpListener, listen, serve_with};
use timers::Runtime;
use timers::server::{BackoffOnExhaustion, IdleTimeout};
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
    /// After `accept` fails for lack of descriptors, try again after this
    /// long at the latest (sooner if a connection closes).
    #[arg(long, value_name = "DURATION", default_value = "100ms", value_parser = humantime::parse_duration)]
    accept_backoff: Duration,
    /// At most this many connections at once (default: no limit).
    #[arg(long, value_name = "N")]
    max_connections: Option<NonZeroUsize>,
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
        let read_policy = IdleTimeout(args.idle_timeout);
        let mut runtime = Runtime::new()?;
        runtime.block_on(async {
            let listener = TcpListener::from_std(listener)?;
            cli::announce(listener.local_addr()?)?;
            let connections = Connections::default();
            match serve_with(&listener, &config, &connections, accept_policy, read_policy).await? {}
        })
    })
}
// ANCHOR_END: main
