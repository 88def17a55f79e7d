//! `cargo run --release -p performance --bin echo-load -- --addr ADDR
//! --scenario tcp:64x512x1`: the harness's load generators on their own,
//! against a server started elsewhere, for tools that watch that server
//! while it is loaded (`profile/syscalls.sh` counts its system calls).
//!
//! Same generators, same settings as `echo-bench`: chapter 6's
//! `tcp_echo::load` (on the book's runtime) for TCP, this chapter's
//! `udp_load` for UDP, every echo checked. Prints one line,
//! `served N round trips (M measured) in S s`, counting the warm-up's too:
//! everything the server answered while the load ran.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use performance::{Proto, Scenario, udp_load};
use udp_echo::cli;

/// Load for an echo server that is already listening.
#[derive(Parser, Debug)]
#[command(name = "echo-load", version)]
struct Args {
    /// The server's address (its `listening on` line).
    #[arg(long, value_name = "IP:PORT")]
    addr: SocketAddr,
    /// The load shape, as PROTO:CONNECTIONSxBYTESxDEPTH.
    #[arg(long, value_name = "SHAPE", value_parser = Scenario::parse, default_value = "tcp:64x512x1")]
    scenario: Scenario,
    /// Warm-up seconds (echoes checked, not measured).
    #[arg(long, value_name = "SECS", default_value_t = 0.3)]
    warmup: f64,
    /// Measured seconds.
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    duration: f64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let secs = |s: f64| Duration::try_from_secs_f64(s).context("a duration in seconds");
        let (warmup, duration) = (secs(args.warmup)?, secs(args.duration)?);
        let s = &args.scenario;
        let (measured, warmed, elapsed) = match s.proto {
            Proto::Tcp => {
                let config = tcp_echo::load::Config {
                    addr: args.addr,
                    connections: s.connections,
                    size: s.size,
                    stop: tcp_echo::load::Stop::Duration(duration),
                    pipeline: s.depth,
                    warmup,
                };
                let report = reactor::Runtime::new()?
                    .block_on(tcp_echo::load::run(&config))
                    .with_context(|| format!("TCP load on {}", args.addr))?;
                (
                    report.round_trips,
                    report.warmup_round_trips,
                    report.elapsed,
                )
            }
            Proto::Udp => {
                let report = udp_load::run(&udp_load::Config {
                    addr: args.addr,
                    flows: s.connections,
                    size: s.size,
                    window: s.depth,
                    warmup,
                    duration,
                    loss_timeout: Duration::from_millis(200),
                    at_least: 0,
                })
                .with_context(|| format!("UDP load on {}", args.addr))?;
                (
                    report.round_trips,
                    report.warmup_round_trips,
                    report.elapsed,
                )
            }
        };
        anyhow::ensure!(measured > 0, "no echo came back after the warm-up");
        println!(
            "served {} round trips ({measured} measured) in {:.2} s",
            measured + warmed,
            elapsed.as_secs_f64()
        );
        Ok(())
    })
}
