//! Exercise 10.1: `read_exact` fills an owned buffer from reads of any size,
//! and reports an early end of stream with what did arrive.

mod common;

use std::io::{ErrorKind, Write};
use std::net::TcpListener as StdListener;
use std::thread;
use std::time::Duration;

use common::uring_test;
use completion::exercises::read_exact::read_exact;
use completion::{Runtime, TcpListener};

/// Runs `client` against a connection accepted by the runtime, and
/// `server` on that connection.
fn with_peer<T: Send + 'static>(
    client: impl FnOnce(std::net::TcpStream) + Send + 'static,
    server: impl AsyncFnOnce(completion::TcpStream) -> T,
) -> T {
    let std_listener = StdListener::bind("127.0.0.1:0").unwrap();
    let addr = std_listener.local_addr().unwrap();
    let client = thread::spawn(move || client(std::net::TcpStream::connect(addr).unwrap()));
    let mut runtime = Runtime::new().unwrap();
    let out = runtime.block_on(async {
        let listener = TcpListener::from_std(std_listener).unwrap();
        server(listener.accept().await.unwrap()).await
    });
    client.join().unwrap();
    out
}

#[test]
fn read_exact_gathers_many_small_writes_into_one_full_buffer() {
    uring_test("read_exact full", Duration::from_secs(10), || {
        let (result, buf) = with_peer(
            |mut stream| {
                for chunk in (0..10_000u32)
                    .map(|i| i as u8)
                    .collect::<Vec<_>>()
                    .chunks(700)
                {
                    stream.write_all(chunk).unwrap();
                    thread::sleep(Duration::from_millis(2));
                }
            },
            async |stream| read_exact(&stream, Vec::with_capacity(10_000)).await,
        );
        result.unwrap();
        assert_eq!(buf.len(), 10_000);
        assert!(buf.iter().enumerate().all(|(i, &b)| b == i as u8));
    })
}

#[test]
fn read_exact_reports_an_early_eof_and_returns_what_came() {
    uring_test("read_exact eof", Duration::from_secs(10), || {
        let (result, buf) = with_peer(
            |mut stream| stream.write_all(b"only this").unwrap(),
            async |stream| read_exact(&stream, Vec::with_capacity(100)).await,
        );
        assert_eq!(result.unwrap_err().kind(), ErrorKind::UnexpectedEof);
        assert_eq!(buf, b"only this");
    })
}
