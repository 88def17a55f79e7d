//! The book's own servers, not copies: chapter 6's `tcp_echo::serve` and
//! chapter 5's `udp_echo::serve`, on either of chapter 4's runtimes. The
//! only thing this file decides is which runtime runs them.

use executor::Park;
use udp_echo::cli;

use super::Bound;

// ANCHOR: ours
/// Serves on `runtime`: `Runtime::new()` (the executor waits in epoll) or
/// `Runtime::threaded()` (the reactor waits in epoll on its own thread).
pub fn serve<P: Park>(mut runtime: reactor::Runtime<P>, socket: Bound) -> anyhow::Result<()> {
    runtime.block_on(async {
        match socket {
            Bound::Tcp(listener) => {
                let listener = tcp_echo::TcpListener::from_std(listener)?;
                cli::announce(listener.local_addr()?)?;
                let connections = tcp_echo::Connections::default();
                match tcp_echo::serve(&listener, &tcp_echo::Config::default(), &connections)
                    .await?
                {}
            }
            Bound::Udp(socket) => {
                let socket = udp_echo::UdpSocket::from_std(socket)?;
                cli::announce(socket.local_addr()?)?;
                let stats = udp_echo::Stats::new();
                match udp_echo::serve(&socket, udp_echo::server::DEFAULT_BUDGET, &stats).await {}
            }
        }
    })
}
// ANCHOR_END: ours
