//! Exercise 6.3: stop accepting, drain, and stop.
//!
//! Goal: serve echo connections on `listener` (each on its own task, as
//! `server::spawn_connection` does) until `shutdown` completes. Then stop
//! accepting at once and close the listener, so that new clients are
//! refused; let every open connection go on until its client closes it;
//! and only when none is left, return how many connections were served.

use std::io;

use crate::TcpListener;

/// Serves until `shutdown` completes, then drains the open connections.
pub async fn serve_until(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> io::Result<u64> {
    // TODO: race `listener.accept()` against `shutdown` in a loop
    // (`futures::future::select`, with both futures pinned); keep the open
    // connections in a `crate::Connections`, and wait for it to empty.
    let _ = (listener, shutdown);
    todo!("serve until shutdown, then drain")
}
