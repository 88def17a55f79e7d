//! Exercise 6.3: stop accepting, drain, and stop.
//!
//! Goal: serve echo connections on `listener`, each on its own task, until
//! `shutdown` completes. Then stop accepting at once and close the
//! listener, so that new clients are refused; let every open connection go
//! on until its client closes it; and when none is left, return how many
//! connections were served. When the signal and a new connection are both
//! ready, the signal wins: a client that connects after the signal is
//! never served.
//!
//! Draining must not last for ever: `give_up` is first polled after the
//! signal, and when it completes, the connections still open are cut (their
//! tasks aborted, which closes their sockets) and `serve_until` returns
//! once they are gone. An error from `accept` ends serving like the signal
//! does, with the same drain, and is then returned: no connection task is
//! ever left running after `serve_until` has returned.

use std::io;

use crate::TcpListener;

/// Serves until `shutdown` completes, then drains the open connections
/// until they close or `give_up` completes.
pub async fn serve_until(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    give_up: impl Future<Output = ()>,
) -> io::Result<u64> {
    // TODO: race `shutdown` against `listener.accept()` in a loop; spawn a
    // task per connection that runs `crate::echo`, keeping its handle and a
    // `crate::Connections` guard; then drain, racing the guard count
    // against `give_up`.
    let _ = (listener, shutdown, give_up);
    todo!("serve until shutdown, then drain")
}
