//! The book's own servers, not copies: chapter 6's `tcp_echo::serve` and
//! chapter 5's `udp_echo::serve`, on either of chapter 4's runtimes. The
//! only thing this file decides is which runtime runs them. They stop on
//! SIGTERM or SIGINT as their binaries do (the harness kills its servers
//! with SIGKILL, and does not depend on it).

use std::time::Duration;

use executor::Park;
use reactor::{Signals, signal};
use tcp_echo::shutdown::{DRAIN_TIMEOUT, serve_then_drain};
use udp_echo::cli;

use super::Bound;

// ANCHOR: ours
/// Serves on `runtime`: `Runtime::new()` (the executor waits in epoll) or
/// `Runtime::threaded()` (the reactor waits in epoll on its own thread),
/// until SIGTERM or SIGINT; a TCP server then drains for at most chapter
/// 6's default deadline.
pub fn serve<P: Park>(runtime: reactor::Runtime<P>, socket: Bound) -> anyhow::Result<()> {
    serve_draining(runtime, socket, DRAIN_TIMEOUT)
}

/// [`serve`], draining TCP connections for at most `drain_timeout`. Both
/// servers are chapter 5's and chapter 6's, shutdown included: the same
/// functions as their binaries call.
pub fn serve_draining<P: Park>(
    mut runtime: reactor::Runtime<P>,
    socket: Bound,
    drain_timeout: Duration,
) -> anyhow::Result<()> {
    runtime.block_on(async {
        let signals = Signals::new(&signal::SHUTDOWN)?;
        match socket {
            Bound::Tcp(listener) => {
                let listener = tcp_echo::TcpListener::from_std(listener)?;
                cli::announce(listener.local_addr()?)?;
                let config = tcp_echo::Config::default();
                let (accept, read) = (tcp_echo::PauseUntilClose, tcp_echo::WaitForever);
                // No timer on chapter 4's runtimes: chapter 1's `Delay`,
                // as in chapter 6's binary.
                let deadline = || waker::Delay::new(drain_timeout);
                let name = "bench-server";
                serve_then_drain(name, listener, &config, &signals, accept, read, deadline).await?;
            }
            Bound::Udp(socket) => {
                let socket = udp_echo::UdpSocket::from_std(socket)?;
                cli::announce(socket.local_addr()?)?;
                let stats = udp_echo::Stats::new();
                let budget = udp_echo::server::DEFAULT_BUDGET;
                let echo = |datagram: &mut [u8], _peer| Some(datagram.len());
                let stop = async {
                    let _ = signals.recv().await;
                };
                udp_echo::server::serve_until(&socket, budget, &stats, echo, stop).await;
                eprintln!("bench-server: stopped; replied {}", stats.replied());
            }
        }
        Ok(())
    })
}
// ANCHOR_END: ours
