//! Exercise 4.2: `write_all` through a pipe, with partial writes.

use std::io::{self, Read};
use std::thread;
use std::time::Duration;

use mio::unix::pipe;
use reactor::exercises::write_all::write_all;
use reactor::{Async, Runtime};

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 253) as u8).collect()
}

#[test]
fn writes_every_byte_once_through_a_slow_reader() {
    testkit::within("write_all: slow reader", || {
        let data = pattern(500_000); // ~8 pipefuls: many partial writes
        let mut rt = Runtime::new().unwrap();
        let (tx, rx) = pipe::new().unwrap();
        rx.set_nonblocking(false).unwrap();
        let reader = thread::spawn(move || {
            let mut rx = rx;
            let mut got = Vec::new();
            let mut chunk = [0u8; 7_000];
            loop {
                let n = rx.read(&mut chunk).unwrap();
                if n == 0 {
                    return got;
                }
                got.extend_from_slice(&chunk[..n]);
                thread::sleep(Duration::from_micros(200));
            }
        });
        rt.block_on(async {
            let tx = Async::new(tx).unwrap();
            write_all(&tx, &data).await.unwrap();
        }); // the sender is dropped here: EOF for the reader
        let got = reader.join().unwrap();
        assert_eq!(got.len(), data.len(), "bytes lost or sent twice");
        assert!(got == data, "the bytes differ from what was written");
    })
}

#[test]
fn an_empty_buffer_is_written_at_once() {
    testkit::within("write_all: empty", || {
        let mut rt = Runtime::new().unwrap();
        let (tx, _rx) = pipe::new().unwrap();
        rt.block_on(async {
            let tx = Async::new(tx).unwrap();
            write_all(&tx, &[]).await.unwrap();
        });
    })
}

#[test]
fn a_pipe_with_no_reader_is_an_error_not_a_hang() {
    testkit::within("write_all: broken pipe", || {
        let mut rt = Runtime::new().unwrap();
        let (tx, rx) = pipe::new().unwrap();
        drop(rx);
        let err = rt.block_on(async {
            let tx = Async::new(tx).unwrap();
            write_all(&tx, b"nobody listens").await.unwrap_err()
        });
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    })
}
