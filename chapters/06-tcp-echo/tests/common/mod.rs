//! Helpers for the chapter's tests: a server running in-process, and the
//! blocking clients of the echo servers' contract (`testkit::echo_contract`),
//! which the other tests use too.

#![allow(dead_code)] // each test file uses its own subset

use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;

use reactor::Runtime;
use tcp_echo::{Config, Connections, TcpListener, serve};

#[allow(unused_imports, reason = "each test file uses its own subset")]
pub use testkit::echo_contract::{answers_within, client, eventually, pattern, round_trip};

/// The binaries, built by cargo for the integration tests.
pub const SERVER: &str = env!("CARGO_BIN_EXE_tcp-echo");
pub const CLIENT: &str = env!("CARGO_BIN_EXE_tcp-echo-client");
pub const DEMO: &str = env!("CARGO_BIN_EXE_tcp-echo-demo");

/// The echo server of this chapter, running in this process on a runtime
/// thread of its own: its address, its connection count, and a way to ask
/// how many tasks the runtime has and how many sources are registered with
/// its reactor. The thread runs until the test process ends.
pub fn in_process_server(config: Config) -> (SocketAddr, Connections, impl Fn() -> (usize, usize)) {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut runtime = Runtime::new().unwrap();
        let (handle, reactor) = (runtime.handle(), runtime.reactor().clone());
        let connections = Connections::default();
        let theirs = connections.clone();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            tx.send((listener.local_addr().unwrap(), theirs, handle, reactor))
                .unwrap();
            let _ = serve(&listener, &config, &connections).await;
        })
    });
    let (addr, connections, handle, reactor) = rx.recv().unwrap();
    let counts = move || (handle.live_tasks(), reactor.registered_sources());
    (addr, connections, counts)
}

/// A server in this process that runs `handler` on its own task for each
/// connection it accepts, and sends each handler's result down the
/// returned channel (for the exercises, whose handlers are the lesson).
pub fn serve_each<F, Fut>(handler: F) -> (SocketAddr, mpsc::Receiver<std::io::Result<u64>>)
where
    F: Fn(tcp_echo::TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = std::io::Result<u64>> + Send + 'static,
{
    let (addr_tx, addr_rx) = mpsc::channel();
    let (results_tx, results_rx) = mpsc::channel();
    thread::spawn(move || {
        let mut runtime = Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let results = results_tx.clone();
                let task = reactor::spawn(handler(stream));
                // A handler that panics (a stub's `todo!()`) reports it as
                // its result, so the test fails at once, and says why.
                drop(reactor::spawn(async move {
                    let result = task.await.unwrap_or_else(|e| {
                        Err(std::io::Error::other(format!("the handler panicked: {e}")))
                    });
                    let _ = results.send(result);
                }));
            }
        })
    });
    (addr_rx.recv().unwrap(), results_rx)
}
