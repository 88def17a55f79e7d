//! Every way chapter 10's ring can be set up (`completion::Setup`) serves
//! the same operations. The one that needs care is `defer_taskrun`: the
//! kernel then finishes a completion only when the driver asks for one, so
//! a runtime whose tasks never let it wait must still ask on its turns
//! that do not wait, or it never sees its I/O again.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream as StdStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::uring_test;
use completion::{Runtime, Setup, TcpListener};

/// Every setup chapter 11 measures.
fn setups() -> [Setup; 4] {
    let default = Setup::default();
    [
        default,
        Setup {
            coop_taskrun: true,
            ..default
        },
        Setup {
            defer_taskrun: true,
            ..default
        },
        Setup {
            defer_taskrun: true,
            recv_poll_first: true,
            ..default
        },
    ]
}

// ANCHOR: busy_test
/// A task that only ever yields keeps the executor from waiting: each of
/// its turns of the driver has a zero timeout. A connection's echo must
/// come through all the same, and soon (within a bounded number of
/// yields, not a time), on every setup.
#[test]
fn a_runtime_that_never_waits_still_completes_io_with_every_setup() {
    uring_test(
        "busy runtime completes I/O",
        Duration::from_secs(30),
        || {
            for setup in setups() {
                let mut runtime = Runtime::with_setup(setup).unwrap();
                let echoed = runtime.block_on(async {
                    let listener = TcpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
                    let addr = listener.local_addr().unwrap();
                    let client = std::thread::spawn(move || {
                        let mut stream = StdStream::connect(addr).unwrap();
                        stream.write_all(b"ping").unwrap();
                        let mut back = [0; 4];
                        stream.read_exact(&mut back).unwrap();
                        back
                    });
                    let done = Arc::new(AtomicBool::new(false));
                    let flag = done.clone();
                    let server = completion::spawn(async move {
                        let stream = listener.accept().await.unwrap();
                        let (read, buf) = stream.read(Vec::with_capacity(16)).await;
                        assert_eq!(read.unwrap(), 4);
                        let (written, _) = stream.write_all(buf).await;
                        written.unwrap();
                        flag.store(true, Ordering::Release);
                    });
                    let mut yields = 0u64;
                    while !done.load(Ordering::Acquire) {
                        executor::yield_now().await;
                        yields += 1;
                        assert!(
                            yields < 1_000_000,
                            "{setup:?}: no completion in {yields} turns"
                        );
                    }
                    server.await.unwrap();
                    client.join().unwrap()
                });
                assert_eq!(&echoed, b"ping", "{setup:?}");
            }
        },
    )
}
// ANCHOR_END: busy_test
