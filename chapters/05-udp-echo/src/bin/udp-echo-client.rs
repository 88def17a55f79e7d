//! `cargo run -p udp-echo --bin udp-echo-client -- --addr ADDR`: sends
//! datagrams to an echo server, checks every echo byte for byte, and reports
//! what came back and how fast.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, bail};
use clap::Parser;
use udp_echo::client::{self, Config};
use udp_echo::{MAX_IPV4_PAYLOAD, cli, payload};

/// Load client for the UDP echo server: each datagram carries its flow and
/// sequence number, and each echo must match what was sent exactly.
#[derive(Parser, Debug)]
#[command(name = "udp-echo-client", version)]
struct Args {
    /// The server's address.
    #[arg(long, value_name = "IP:PORT", default_value = cli::DEFAULT_ADDR)]
    addr: SocketAddr,
    /// Datagrams to send in all.
    #[arg(long, default_value_t = 10_000)]
    count: u64,
    /// Bytes per datagram (at least 12: the flow and sequence number).
    #[arg(long, default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(payload::HEADER as u64..=MAX_IPV4_PAYLOAD as u64))]
    size: u64,
    /// Flows sending at once, each on its own socket and thread.
    #[arg(long, default_value_t = 4,
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    concurrency: u64,
    /// Milliseconds to wait for an echo before counting it lost.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    timeout_ms: u64,
}

// ANCHOR: main
fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let config = Config {
            server: args.addr,
            count: args.count,
            size: args.size as usize,
            concurrency: args.concurrency as usize,
            timeout: Duration::from_millis(args.timeout_ms),
        };
        println!(
            "sending {} datagrams of {} bytes to {} over {} flows",
            config.count, config.size, config.server, config.concurrency
        );
        let report = client::run(&config).map_err(|e| {
            // With a connected socket, the kernel turns the ICMP "port
            // unreachable" into this error: nothing listens there.
            if e.kind() == io::ErrorKind::ConnectionRefused {
                anyhow!(e).context(format!("no echo server answering at {}", config.server))
            } else {
                e.into()
            }
        })?;
        println!("{}", report.counts_line());
        println!("{}", report.latency_line());
        println!("{}", report.rate_line());
        if report.corrupt > 0 {
            bail!("{} replies did not match what was sent", report.corrupt);
        }
        Ok(())
    })
}
// ANCHOR_END: main
