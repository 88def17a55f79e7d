//! Not one of the compared servers: the "before" of the change this chapter
//! made to chapters 4 and 6, kept so that every run can show what it
//! gained.
//!
//! `ours` now reads through chapter 6's `TcpStream::read`, which tells the
//! reactor that a short read emptied the socket
//! (`Async::read_with_drain`). This server reads through the plain
//! `Async::read_with` instead, as chapter 6 did when this chapter first
//! measured it: after every echo it tries the socket once more, and hears
//! `WouldBlock`. Everything else is the same: the listener, the buffer size,
//! `write_all`, the fairness yield every `ROUNDS_PER_TURN` requests, and
//! chapter 5's UDP server.

use std::io::{self, Read};
use std::net::Shutdown;

use futures::io::AsyncWriteExt;
use tcp_echo::TcpStream;
use tcp_echo::server::{BUFFER_SIZE, ROUNDS_PER_TURN};
use udp_echo::cli;

use crate::servers::{self, Bound};

// ANCHOR: before
/// One connection, read until `WouldBlock`: the runtime learns that the
/// socket is empty only by trying it.
async fn echo(stream: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; BUFFER_SIZE];
    let mut since_yield = 0;
    loop {
        let n = stream
            .as_async()
            .read_with(|socket| (&*socket).read(&mut buf))
            .await?;
        if n == 0 {
            return stream.shutdown(Shutdown::Write);
        }
        (&mut &stream).write_all(&buf[..n]).await?;
        since_yield += 1;
        if since_yield == ROUNDS_PER_TURN {
            since_yield = 0;
            reactor::yield_now().await;
        }
    }
}
// ANCHOR_END: before

/// Serves TCP with the loop above; UDP is chapter 5's server, unchanged
/// (the change concerns byte streams only).
pub fn serve(socket: Bound) -> anyhow::Result<()> {
    let Bound::Tcp(listener) = socket else {
        return servers::ours::serve(reactor::Runtime::new()?, socket);
    };
    reactor::Runtime::new()?.block_on(async {
        let listener = tcp_echo::TcpListener::from_std(listener)?;
        cli::announce(listener.local_addr()?)?;
        loop {
            match listener.accept().await {
                Ok((stream, _)) => drop(reactor::spawn(async move {
                    let _ = echo(stream).await;
                })),
                Err(e) => eprintln!("ours-before: accept: {e}"),
            }
        }
    })
}
