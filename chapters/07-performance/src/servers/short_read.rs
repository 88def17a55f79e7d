//! An experiment, not one of the compared servers: chapter 5's echo loop on
//! the book's runtime with one change, to measure what that change would
//! gain before it is made where it belongs (in chapter 3's `Async` or
//! chapter 5's `poll_read`).
//!
//! The change: a TCP read that returns fewer bytes than the buffer holds
//! has emptied the socket's receive queue (a byte stream hands over all it
//! has), so the next read would only say `WouldBlock`. Answer that
//! `WouldBlock` without the system call, and let chapter 3's tick decide:
//! if an event arrived since the readiness was looked at, the clear is
//! ignored and the real read runs at once; otherwise the task waits for the
//! next edge. In a request-response exchange that is one `recvfrom` per
//! request saved, out of three system calls.
//!
//! Done from outside the runtime, as here, it needs care (see `drained`);
//! done inside chapter 3's `poll_io`, it would clear readiness with the
//! tick read *before* the short read, as a `WouldBlock` does, and need none.

use std::future::poll_fn;
use std::io::{self, Read};
use std::net::Shutdown;
use std::pin::Pin;

use futures::io::AsyncWrite;
use tcp_echo::TcpStream;
use udp_echo::cli;

use super::Bound;

// ANCHOR: short_read
/// Chapter 5's `echo`, reading through `Async::read_with` so that it can
/// skip the read a short read has proved useless.
async fn echo(stream: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; tcp_echo::server::BUFFER_SIZE];
    // "The last read was short, and the reactor has not run since." The
    // second half matters: the runtime clears readiness with the tick it
    // reads when the next read starts, so an event dispatched between the
    // short read and then would be cleared unseen, and the connection would
    // hang. The reactor runs only when this task returns `Pending`, so
    // every `Pending` (a full send buffer, the fairness yield) resets it.
    let mut drained = false;
    let mut rounds = 0;
    loop {
        let n = stream
            .as_async()
            .read_with(|socket| {
                if std::mem::take(&mut drained) {
                    // What the kernel would say, without asking it.
                    return Err(io::ErrorKind::WouldBlock.into());
                }
                (&*socket).read(&mut buf)
            })
            .await?;
        if n == 0 {
            return stream.shutdown(Shutdown::Write);
        }
        drained = n < buf.len();
        let mut written = 0;
        while written < n {
            let mut waited = false;
            let wrote = poll_fn(|cx| {
                let poll = Pin::new(&mut &stream).poll_write(cx, &buf[written..n]);
                waited |= poll.is_pending();
                poll
            })
            .await?;
            if wrote == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            written += wrote;
            drained &= !waited;
        }
        rounds += 1;
        if rounds == tcp_echo::server::ROUNDS_PER_TURN {
            rounds = 0;
            drained = false;
            reactor::yield_now().await;
        }
    }
}
// ANCHOR_END: short_read

/// Serves TCP with the loop above; UDP is chapter 4's (the change concerns
/// byte streams only: a datagram read says nothing about the next one).
pub fn serve(socket: Bound) -> anyhow::Result<()> {
    let Bound::Tcp(listener) = socket else {
        return super::ours::serve(reactor::Runtime::new()?, socket);
    };
    reactor::Runtime::new()?.block_on(async {
        let listener = tcp_echo::TcpListener::from_std(listener)?;
        cli::announce(listener.local_addr()?)?;
        loop {
            match listener.accept().await {
                Ok((stream, _)) => drop(reactor::spawn(async move {
                    let _ = echo(stream).await;
                })),
                Err(e) => eprintln!("short-read echo: accept: {e}"),
            }
        }
    })
}
