//! `cargo run -p tcp-echo --bin tcp-echo-client -- --addr ADDR`: opens
//! connections to an echo server, keeps messages in flight on each, checks
//! every echoed byte, and reports round trips, bytes and latency.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::anyhow;
use clap::Parser;
use reactor::Runtime;
use tcp_echo::load::{self, Config, Stop};
use udp_echo::{cli, payload};

// ANCHOR: args
/// Load generator for the TCP echo server, on the book's runtime (one
/// thread, a task per connection). Every message carries its connection and
/// sequence number, and every echoed byte is checked.
#[derive(Parser, Debug)]
#[command(name = "tcp-echo-client", version)]
struct Args {
    /// The server's address.
    #[arg(long, value_name = "IP:PORT", default_value = cli::DEFAULT_ADDR)]
    addr: SocketAddr,
    /// Connections, all open at once.
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    connections: u64,
    /// Bytes per message (at least 12: the connection and sequence number).
    #[arg(long, value_name = "BYTES", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(payload::HEADER as u64..=16 << 20))]
    size: u64,
    /// Messages per connection (measured ones, after the warm-up).
    #[arg(long, default_value_t = 1000, conflicts_with = "duration")]
    messages: u64,
    /// Run for this many seconds instead of a number of messages.
    #[arg(long, value_name = "SECS")]
    duration: Option<f64>,
    /// Messages a connection may have in flight (sent, echo not yet read).
    #[arg(long, value_name = "D", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pipeline: u64,
    /// Seconds of sending before measuring starts (echoes still checked).
    #[arg(long, value_name = "SECS", default_value_t = 0.0)]
    warmup: f64,
    /// Print the summary as one JSON object instead.
    #[arg(long)]
    json: bool,
}
// ANCHOR_END: args

fn seconds(what: &str, secs: f64) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(secs).map_err(|e| anyhow!("--{what} {secs}: {e}"))
}

// ANCHOR: main
fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let stop = match args.duration {
            Some(secs) => Stop::Duration(seconds("duration", secs)?),
            None => Stop::Messages(args.messages),
        };
        let config = Config {
            addr: args.addr,
            connections: args.connections as usize,
            size: args.size as usize,
            stop,
            pipeline: args.pipeline as usize,
            warmup: seconds("warmup", args.warmup)?,
        };
        let mut runtime = Runtime::new()?;
        let report = runtime.block_on(load::run(&config)).map_err(|e| {
            if e.kind() == io::ErrorKind::ConnectionRefused {
                anyhow!(e).context(format!("no echo server listening at {}", config.addr))
            } else {
                e.into()
            }
        })?;
        let summary = report.summary();
        if args.json {
            println!("{}", serde_json::to_string(&summary)?);
        } else {
            for line in summary.lines() {
                println!("{line}");
            }
        }
        Ok(())
    })
}
// ANCHOR_END: main
