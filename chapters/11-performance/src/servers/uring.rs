//! Chapter 10's io_uring echo server, not a copy: `completion::server`'s
//! accept loop and echo, on chapter 10's runtime (chapter 3's executor,
//! chapter 7's timers, the ring as the park), stopped and drained on
//! SIGTERM or SIGINT exactly as its `uring-echo` binary is.
//!
//! TCP only: chapter 10 builds no UDP server, so there is no `uring` row
//! for the UDP scenarios (see [`ServerKind::serves`](super::ServerKind::serves)).

use std::time::Duration;

use anyhow::{Context, bail};
use completion::signal::Signals;
use completion::{Runtime, Setup, TcpListener, server};
use reactor::signal;
use udp_echo::cli;

use super::Bound;

// ANCHOR: uring
/// Serves TCP on chapter 10's runtime, its ring set up with `setup`, until SIGTERM or SIGINT, then drains
/// for at most `drain_timeout`, as `uring-echo` does.
///
/// # Errors
/// For UDP (chapter 10 has no UDP server), where io_uring is unavailable,
/// and the server's own errors.
pub fn serve(socket: Bound, setup: Setup, drain_timeout: Duration) -> anyhow::Result<()> {
    let Bound::Tcp(listener) = socket else {
        bail!("the io_uring server (chapter 10) serves TCP only");
    };
    let mut runtime = Runtime::with_setup(setup).context("cannot start io_uring")?;
    runtime.block_on(async {
        let listener = TcpListener::from_std(listener)?;
        let signals = Signals::new(&signal::SHUTDOWN)?;
        cli::announce(listener.local_addr()?)?;
        let size = tcp_echo::server::BUFFER_SIZE;
        server::serve_then_drain("bench-server", listener, &signals, size, drain_timeout).await?;
        Ok(())
    })
}
// ANCHOR_END: uring
