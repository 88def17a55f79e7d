//! Exercise 6.3, solved: stop accepting, drain, and stop.

use std::io;
use std::pin::pin;

use futures::future::{Either, select};

use crate::server::{BUFFER_SIZE, spawn_connection};
use crate::{Connections, TcpListener, WaitForever};

/// Serves until `shutdown` completes, then drains the open connections.
pub async fn serve_until(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> io::Result<u64> {
    let connections = Connections::default();
    // Pinned once: the same shutdown future is raced in every round. The
    // accept future is new each round; dropping the one that lost the race
    // is harmless, since an `accept` that has not returned took nothing.
    let mut shutdown = pin!(shutdown);
    loop {
        match select(shutdown.as_mut(), pin!(listener.accept())).await {
            Either::Left(((), _)) => break,
            Either::Right((accepted, _)) => {
                let (stream, _) = accepted?;
                spawn_connection(stream, BUFFER_SIZE, &connections, WaitForever);
            }
        }
    }
    // Closing the listening socket makes the kernel refuse new clients
    // (and reset those still in its backlog) instead of queueing them.
    drop(listener);
    connections.until_fewer_than(1).await;
    Ok(connections.accepted())
}
