//! `cargo run --release -p performance --bin bench-server -- --runtime tokio
//! --proto tcp --addr 127.0.0.1:0`: one of the servers the harness compares.
//!
//! Prints `listening on <address>` once bound, like every server in the
//! book, then echoes until SIGTERM or SIGINT: every server it runs, the
//! tokio and mio yardsticks included, then stops accepting, drains its TCP
//! connections as chapter 6's binary does (`--drain-timeout`; a second
//! signal cuts it short), reports `drained N, aborted M` and exits 0. The
//! harness kills it with SIGKILL all the same.

use std::process::ExitCode;

use clap::Parser;
use performance::servers::{self, Bound, Proto, ServerKind};
use udp_echo::cli;

/// An echo server for the benchmark: the book's, tokio's, or a raw mio loop.
#[derive(Parser, Debug)]
#[command(name = "bench-server", version)]
struct Args {
    /// Which server.
    #[arg(long, value_enum)]
    runtime: ServerKind,
    /// Which protocol.
    #[arg(long, value_enum, default_value_t = Proto::Tcp)]
    proto: Proto,
    #[command(flatten)]
    listen: cli::Listen,
    /// For every server over TCP (chapter 6's option).
    #[command(flatten)]
    drain: tcp_echo::shutdown::DrainArgs,
}

fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let socket = Bound::bind(args.proto, args.listen.addr)?;
        servers::serve(args.runtime, socket, args.drain.drain_timeout)
    })
}
