//! The echo server on the completion driver: one task per connection, one
//! owned buffer per connection, and the same rule as chapter 6: read, write
//! all of it back, then read again.

use std::convert::Infallible;
use std::future::poll_fn;
use std::io;
use std::net::Shutdown;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use reactor::signal;
use tcp_echo::server::{AcceptError, classify};
use tcp_echo::{Connections, Drain, Notice};

use crate::net::{TcpListener, TcpStream};
use crate::signal::Signals;

/// Bytes of buffer per connection, as in chapter 6.
pub const BUFFER_SIZE: usize = 16 * 1024;

// ANCHOR: echo
/// Echoes everything `stream` sends until it closes its writing half, then
/// closes ours. Returns how many bytes went round.
///
/// The buffer goes to the kernel with each read and comes back with the
/// data, goes to the kernel again with the write and comes back empty-
/// handed for the next read: one allocation for the connection's life, and
/// never more than `buffer_size` bytes held, whatever the peer does. While
/// the write waits for a peer that does not read, nothing is read
/// (backpressure, as in chapter 6).
pub async fn echo(stream: TcpStream, buffer_size: usize) -> io::Result<u64> {
    echo_until(stream, buffer_size, &Notice::new()).await
}

/// [`echo`], until told to finish. Chapter 6's loop drops its read when
/// the notice comes, which loses nothing on a readiness runtime; here a
/// read in flight may already have bytes the kernel took, so it is never
/// dropped. Instead, once told, the loop shuts down our reading half
/// whenever it waits in a read: the read then completes, with what had
/// arrived or with 0, and so does every read after it once the socket's
/// queue is empty. Bytes in flight are written back first, and a write
/// that waits for a client who never reads is left waiting, for the
/// drain's deadline to cut.
pub async fn echo_until(stream: TcpStream, buffer_size: usize, notice: &Notice) -> io::Result<u64> {
    let reading = AtomicBool::new(false);
    let total = {
        let mut rounds = pin!(echo_rounds(&stream, buffer_size, &reading));
        let mut started = pin!(notice.started());
        let (mut told, mut shut) = (false, false);
        poll_fn(|cx| {
            told = told || started.as_mut().poll(cx).is_ready();
            if told && !shut && reading.load(Ordering::Relaxed) {
                shut = true;
                // `ENOTCONN` if the peer is already gone: nothing to stop.
                let _ = stream.shutdown(Shutdown::Read);
            }
            let polled = rounds.as_mut().poll(cx);
            // The loop may have started its next read just now.
            if polled.is_pending() && told && !shut && reading.load(Ordering::Relaxed) {
                shut = true;
                let _ = stream.shutdown(Shutdown::Read);
            }
            polled
        })
        .await?
    };
    // Half-close: the peer has sent everything and got everything back.
    stream.shutdown(Shutdown::Write)?;
    stream.close().await?;
    Ok(total)
}

/// Read, write all of it back, until a read returns 0. `reading` says
/// whether it waits in a read (rather than a write).
async fn echo_rounds(
    stream: &TcpStream,
    buffer_size: usize,
    reading: &AtomicBool,
) -> io::Result<u64> {
    let mut buf = Vec::with_capacity(buffer_size);
    let mut total = 0;
    loop {
        buf.clear();
        reading.store(true, Ordering::Relaxed);
        let (read, back) = stream.read(buf).await;
        reading.store(false, Ordering::Relaxed);
        buf = back;
        if read? == 0 {
            return Ok(total);
        }
        let (written, back) = stream.write_all(buf).await;
        buf = back;
        written?;
        total += buf.len() as u64;
    }
}
// ANCHOR_END: echo

// ANCHOR: serve
/// Accepts connections for ever, each echoed on a task of its own.
///
/// Errors are sorted by chapter 6's [`classify`], as its server sorts
/// them. One connection's error (the client gave up, a firewall refused
/// it, an error pending on the new socket): skip it. Out of descriptors or
/// memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`), `accept` fails until
/// something is freed: the loop says so once, then sleeps on a timer of
/// chapter 7 (which runs on this driver) and tries again, instead of
/// spinning or giving up. Anything else stops the server.
///
/// No budget is needed here, unlike chapter 6's loop: every `accept` is
/// an operation the next turn of the driver submits, so each one returns
/// `Pending` at least once, and the other tasks run in between.
pub async fn serve(listener: &TcpListener, buffer_size: usize) -> io::Result<Infallible> {
    let mut drain = Drain::new(Connections::default());
    serve_until(listener, buffer_size, &mut drain, std::future::pending()).await?;
    unreachable!("`pending()` never completes")
}

/// [`serve`] until `stop` completes, each connection a task of `drain`'s.
///
/// Dropping the accept in flight when `stop` wins is safe here only
/// because of the driver's clean-up: the kernel may still complete it with
/// a new descriptor, which the abandoned operation closes (chapter 10's
/// `on_abandon`). That client sees its connection reset, not served.
pub async fn serve_until(
    listener: &TcpListener,
    buffer_size: usize,
    drain: &mut Drain,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut stop = pin!(stop);
    let mut paused = false;
    loop {
        let accepted = {
            let mut accept = pin!(listener.accept());
            poll_fn(|cx| match stop.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => accept.as_mut().poll(cx).map(Some),
            })
            .await
        };
        let Some(accepted) = accepted else {
            return Ok(());
        };
        match accepted {
            Ok(stream) => {
                paused = false;
                drain.spawn(|notice| async move {
                    // A reset or a broken pipe ends that connection only.
                    let _ = echo_until(stream, buffer_size, &notice).await;
                });
            }
            Err(e) => match classify(&e) {
                AcceptError::PerConnection => {}
                AcceptError::OutOfResources => {
                    if !paused {
                        eprintln!("out of resources ({e}): pausing accepts");
                        paused = true;
                    }
                    timers::sleep(Duration::from_millis(50)).await;
                }
                AcceptError::Fatal => return Err(e),
            },
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: serve_then_drain
/// The whole server, as the `uring-echo` binary and chapter 11's harness
/// run it: [`serve_until`] the first signal of `signals`, then chapter 6's
/// `Drain` over the open connections, cut by a timer of chapter 7 after
/// `drain_timeout` or by a second signal. `name` starts every line it logs.
///
/// # Errors
/// The accept loop's fatal error (see [`serve_until`]), once drained.
pub async fn serve_then_drain(
    name: &str,
    listener: TcpListener,
    signals: &Signals,
    buffer_size: usize,
    drain_timeout: Duration,
) -> io::Result<()> {
    let mut drain = Drain::new(Connections::default());
    let signalled = async {
        match signals.recv().await {
            Ok(signal) => eprintln!("{name}: {}: no longer accepting", signal::name(signal)),
            Err(e) => eprintln!("{name}: reading signals failed ({e}): stopping"),
        }
    };
    let stopped = serve_until(&listener, buffer_size, &mut drain, signalled).await;
    drop(listener);
    let second_signal = async {
        let _ = signals.recv().await;
    };
    let (mut deadline, mut second_signal) =
        (pin!(timers::sleep(drain_timeout)), pin!(second_signal));
    let give_up = poll_fn(|cx| {
        if deadline.as_mut().poll(cx).is_ready() || second_signal.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    });
    let report = drain.drain(give_up).await;
    eprintln!("{name}: {report}");
    stopped
}
// ANCHOR_END: serve_then_drain
