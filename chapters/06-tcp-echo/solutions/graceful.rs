//! Exercise 6.3, solved: stop accepting, drain (for a while), and stop.

use std::io;
use std::pin::pin;

use futures::future::{Either, select};
use reactor::JoinHandle;

use crate::server::BUFFER_SIZE;
use crate::{Connections, TcpListener, WaitForever, echo};

/// Serves until `shutdown` completes, then drains the open connections
/// until they close or `give_up` completes.
pub async fn serve_until(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    give_up: impl Future<Output = ()>,
) -> io::Result<u64> {
    let connections = Connections::default();
    // The handles of the connection tasks, to cut them if the drain gives
    // up; finished ones are dropped as we go, so it holds the open ones.
    let mut tasks: Vec<JoinHandle<()>> = Vec::new();
    // Pinned once: the same shutdown future is raced in every round. The
    // accept future is new each round; dropping the one that lost the race
    // is harmless, since an `accept` that has not returned took nothing.
    let mut shutdown = pin!(shutdown);
    let stopped = loop {
        // `select` polls the signal first, so it wins over a connection
        // that is ready in the same poll.
        match select(shutdown.as_mut(), pin!(listener.accept())).await {
            Either::Left(((), _)) => break Ok(()),
            Either::Right((Ok((stream, _)), _)) => {
                let guard = connections.open();
                tasks.retain(|task| !task.is_finished());
                tasks.push(reactor::spawn(async move {
                    let _guard = guard;
                    let mut buf = vec![0; BUFFER_SIZE];
                    // The client's errors end its connection, not the server.
                    let _ = echo(&stream, &mut buf, WaitForever).await;
                }));
            }
            // Not a `?`: returning here would leave the connection tasks
            // running with nobody to stop them. Drain first, like a signal.
            Either::Right((Err(error), _)) => break Err(error),
        }
    };
    // Closing the listening socket makes the kernel refuse new clients
    // (and reset those still in its backlog) instead of queueing them.
    drop(listener);
    let drained = pin!(connections.until_fewer_than(1));
    if let Either::Right(((), _)) = select(drained, pin!(give_up)).await {
        // Out of patience: an aborted task's future is dropped, with its
        // stream (closing the socket) and its guard.
        for task in &tasks {
            task.abort();
        }
        connections.until_fewer_than(1).await;
    }
    stopped.map(|()| connections.accepted())
}
