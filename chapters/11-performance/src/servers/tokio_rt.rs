//! The yardstick: the same servers on tokio's single-threaded runtime
//! (`Builder::new_current_thread()`), written the way a tokio user would:
//! a task per connection, `read` then `write_all`; for UDP, `recv_from`
//! then `send_to`. The buffer sizes are the book's. The same code also runs
//! on the multi-threaded runtime, as reference rows.

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use udp_echo::cli;

use super::Bound;

/// Serves until the process is killed.
pub fn serve(socket: Bound) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(serve_on(socket))
}

// ANCHOR: tokio_mt
/// The same server on tokio's multi-threaded runtime with `workers` worker
/// threads. `block_on` runs its future on the calling thread, which is no
/// worker: the server is spawned, so that the accept loop runs on a worker
/// like the connections, and the main thread only waits.
pub fn serve_multi_thread(socket: Bound, workers: usize) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_io()
        .build()?;
    runtime.block_on(async { tokio::spawn(serve_on(socket)).await? })
}
// ANCHOR_END: tokio_mt

async fn serve_on(socket: Bound) -> anyhow::Result<()> {
    {
        match socket {
            Bound::Tcp(listener) => {
                listener.set_nonblocking(true)?;
                let listener = TcpListener::from_std(listener)?;
                cli::announce(listener.local_addr()?)?;
                accept_loop(listener).await
            }
            Bound::Udp(socket) => {
                socket.set_nonblocking(true)?;
                let socket = UdpSocket::from_std(socket)?;
                cli::announce(socket.local_addr()?)?;
                udp_loop(socket).await
            }
        }
    }
}

// ANCHOR: tokio_tcp
async fn accept_loop(listener: TcpListener) -> anyhow::Result<()> {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => drop(tokio::spawn(echo(stream))),
            // Per-connection trouble (the client gave up in the backlog):
            // the benchmark never runs out of descriptors, so go on.
            Err(e) => eprintln!("tokio echo: accept: {e}"),
        }
    }
}

async fn echo(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; tcp_echo::server::BUFFER_SIZE];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return stream.shutdown().await;
        }
        stream.write_all(&buf[..n]).await?;
    }
}
// ANCHOR_END: tokio_tcp

// ANCHOR: tokio_udp
async fn udp_loop(socket: UdpSocket) -> anyhow::Result<()> {
    let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, peer)) => {
                if let Err(e) = socket.send_to(&buf[..n], peer).await {
                    eprintln!("tokio echo: send to {peer}: {e}");
                }
            }
            Err(e) => eprintln!("tokio echo: receive: {e}"),
        }
    }
}
// ANCHOR_END: tokio_udp
