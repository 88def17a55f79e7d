//! Exercise 6.1: a line protocol that shouts back.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::thread;
use std::time::Duration;

use common::{client, serve_each};
use tcp_echo::exercises::upper_lines::shout_lines;

fn read_n(stream: &mut std::net::TcpStream, n: usize) -> String {
    let mut buf = vec![0u8; n];
    stream.read_exact(&mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

#[test]
fn each_line_comes_back_upper_cased() {
    testkit::within("upper-case lines", || {
        let (addr, _) = serve_each(shout_lines);
        let mut stream = client(addr);
        stream
            .write_all("hello\nwörld\r\nstraße\n".as_bytes())
            .unwrap();
        assert_eq!(
            read_n(&mut stream, "HELLO\nWÖRLD\nSTRASSE\n".len()),
            "HELLO\nWÖRLD\nSTRASSE\n"
        );
    })
}

#[test]
fn a_line_split_across_writes_is_answered_once_it_is_complete() {
    testkit::within("split line", || {
        let (addr, _) = serve_each(shout_lines);
        let mut stream = client(addr);
        stream.write_all(b"hel").unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let early = stream.read(&mut [0u8; 16]);
        assert!(
            matches!(&early, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
            "answered half a line: {early:?}"
        );
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(b"lo\nwor").unwrap();
        thread::sleep(Duration::from_millis(20));
        stream.write_all(b"ld\n").unwrap();
        assert_eq!(read_n(&mut stream, 12), "HELLO\nWORLD\n");
    })
}

#[test]
fn the_last_line_without_a_newline_is_answered_then_the_server_closes() {
    testkit::within("last line", || {
        let (addr, results) = serve_each(shout_lines);
        let mut stream = client(addr);
        stream.write_all(b"one\ntwo").unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let mut all = String::new();
        stream.read_to_string(&mut all).unwrap();
        assert_eq!(all, "ONE\nTWO\n");
        assert_eq!(results.recv().unwrap().unwrap(), 2);
    })
}

#[test]
fn bytes_that_are_not_utf8_end_the_connection_with_invalid_data() {
    testkit::within("not UTF-8", || {
        let (addr, results) = serve_each(shout_lines);
        let mut stream = client(addr);
        stream.write_all(b"fine\n\xff\xfe\n").unwrap();
        assert_eq!(read_n(&mut stream, 5), "FINE\n");
        let error = results.recv().unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
    })
}

#[test]
fn a_client_stuck_mid_line_does_not_hold_up_another() {
    testkit::within("two clients", || {
        let (addr, _) = serve_each(shout_lines);
        let mut stuck = client(addr);
        stuck.write_all(b"never finish").unwrap();
        let mut other = client(addr);
        other.write_all(b"quick\n").unwrap();
        assert_eq!(read_n(&mut other, 6), "QUICK\n");
    })
}
