//! Exercise 4.1: `read_to_end` on an async pipe.

use std::io::Write;
use std::thread;
use std::time::Duration;

use mio::unix::pipe;
use reactor::exercises::read_to_end::read_to_end;
use reactor::{Async, Runtime};

/// Bytes that show where each came from, so a lost or repeated chunk shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn reads_everything_a_slow_writer_sends_until_eof() {
    testkit::within("read_to_end: slow writer", || {
        let data = pattern(300_000); // more than a pipe holds: it must wait
        let mut rt = Runtime::new().unwrap();
        let (tx, rx) = pipe::new().unwrap();
        tx.set_nonblocking(false).unwrap();
        let expected = data.clone();
        let writer = thread::spawn(move || {
            let mut tx = tx;
            for chunk in data.chunks(10_000) {
                tx.write_all(chunk).unwrap();
                thread::sleep(Duration::from_millis(2));
            }
            // Dropping `tx` closes the pipe: the reader sees EOF.
        });
        let got = rt.block_on(async {
            let rx = Async::new(rx).unwrap();
            read_to_end(&rx).await.unwrap()
        });
        writer.join().unwrap();
        assert_eq!(got.len(), expected.len());
        assert!(got == expected, "the bytes differ from what was written");
    })
}

#[test]
fn a_pipe_closed_before_any_write_reads_as_empty() {
    testkit::within("read_to_end: empty", || {
        let mut rt = Runtime::new().unwrap();
        let (tx, rx) = pipe::new().unwrap();
        drop(tx);
        let got = rt.block_on(async {
            let rx = Async::new(rx).unwrap();
            read_to_end(&rx).await.unwrap()
        });
        assert!(got.is_empty());
    })
}

#[test]
fn other_tasks_run_while_it_waits() {
    testkit::within("read_to_end: waits without blocking", || {
        let mut rt = Runtime::new().unwrap();
        let got = rt.block_on(async {
            let (tx, rx) = pipe::new().unwrap();
            let rx = Async::new(rx).unwrap();
            // The writer is a task on the same thread: if the reader blocked
            // the thread (or spun without yielding), it would never run.
            let writer = reactor::spawn(async move {
                let tx = Async::new(tx).unwrap();
                tx.write_with(|mut t| t.write(b"from a task"))
                    .await
                    .unwrap();
            });
            let got = read_to_end(&rx).await.unwrap();
            writer.await.unwrap();
            got
        });
        assert_eq!(got, b"from a task");
    })
}
