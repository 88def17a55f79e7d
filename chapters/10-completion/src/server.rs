//! The echo server on the completion driver: one task per connection, one
//! owned buffer per connection, and the same rule as chapter 6: read, write
//! all of it back, then read again.

use std::convert::Infallible;
use std::io;
use std::net::Shutdown;
use std::time::Duration;

use tcp_echo::server::{AcceptError, classify};

use crate::net::{TcpListener, TcpStream};

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
    let mut buf = Vec::with_capacity(buffer_size);
    let mut total = 0;
    loop {
        buf.clear();
        let (read, back) = stream.read(buf).await;
        buf = back;
        if read? == 0 {
            break;
        }
        let (written, back) = stream.write_all(buf).await;
        buf = back;
        written?;
        total += buf.len() as u64;
    }
    // Half-close: the peer has sent everything and got everything back.
    stream.shutdown(Shutdown::Write)?;
    stream.close().await?;
    Ok(total)
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
    let mut paused = false;
    loop {
        match listener.accept().await {
            Ok(stream) => {
                paused = false;
                executor::spawn(async move {
                    // A reset or a broken pipe ends that connection only.
                    let _ = echo(stream, buffer_size).await;
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
