//! The command-line contract of every server in the book.
//!
//! Tests, later chapters and readers' scripts all start a server the same
//! way: `--addr 127.0.0.1:0`, then read the first line of its stdout,
//! `listening on <address>`, to learn the port the OS picked. A bad address
//! is a message on stderr and a non-zero exit, never a panic or a backtrace.
//! The pieces live here so that chapter 6's TCP server says exactly the same
//! things (it depends on this crate for them).

use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::anyhow;

/// Where servers listen and clients connect unless told otherwise: loopback
/// only, so a server started for a test or a demo is never reachable from
/// the network.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7007";

// ANCHOR: listen
/// The `--addr` option of a server, for `#[command(flatten)]`.
#[derive(clap::Args, Debug, Clone)]
pub struct Listen {
    /// Address to listen on; port 0 lets the OS pick a free port (the first
    /// line of output tells which).
    #[arg(long, value_name = "IP:PORT", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
}

/// Prints `listening on <addr>` and flushes it at once. A test reading the
/// server's stdout through a pipe would otherwise wait for the block buffer
/// to fill, which for a server that prints nothing else is never.
pub fn announce(addr: SocketAddr) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "listening on {addr}")?;
    stdout.flush()
}
// ANCHOR_END: listen

// ANCHOR: bind_error
/// Turns a failed bind into a message that says what to do about it.
pub fn bind_error(protocol: &str, addr: SocketAddr, error: io::Error) -> anyhow::Error {
    let advice = match error.kind() {
        io::ErrorKind::AddrInUse => {
            "; another program is using that port: pick another one, or port 0"
        }
        io::ErrorKind::AddrNotAvailable => "; no network interface here has that address",
        io::ErrorKind::PermissionDenied => "; ports below 1024 need extra privileges",
        _ => "",
    };
    anyhow!("cannot bind a {protocol} socket to {addr}: {error}{advice}")
}

/// Runs a binary's body: an error becomes `error: <message>` (with its
/// causes) on stderr and exit status 1. Command-line mistakes never get
/// here: `clap` reports them itself, with exit status 2.
pub fn run(body: impl FnOnce() -> anyhow::Result<()>) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: bind_error
