//! Exercise 6.2: echo length-prefixed frames.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::thread;
use std::time::Duration;

use common::{client, serve_each};
use tcp_echo::exercises::frames::{MAX_FRAME, echo_frames};

fn frame(body: &[u8]) -> Vec<u8> {
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(body);
    frame
}

fn reversed(body: &[u8]) -> Vec<u8> {
    let mut copy = body.to_vec();
    copy.reverse();
    copy
}

#[test]
fn every_frame_comes_back_reversed() {
    testkit::within("frames", || {
        let (addr, results) = serve_each(echo_frames);
        let mut stream = client(addr);
        let bodies: [&[u8]; 3] = [b"hello", b"", b"frames!"];
        let sent: Vec<u8> = bodies.iter().flat_map(|b| frame(b)).collect();
        stream.write_all(&sent).unwrap(); // three frames in one write
        stream.shutdown(Shutdown::Write).unwrap();
        let mut back = Vec::new();
        stream.read_to_end(&mut back).unwrap();
        let expected: Vec<u8> = bodies.iter().flat_map(|b| frame(&reversed(b))).collect();
        assert_eq!(back, expected);
        assert_eq!(results.recv().unwrap().unwrap(), 3);
    })
}

#[test]
fn a_frame_that_arrives_a_byte_at_a_time_is_still_one_frame() {
    testkit::within("trickle", || {
        let (addr, _) = serve_each(echo_frames);
        let mut stream = client(addr);
        stream.set_nodelay(true).unwrap();
        for byte in frame(b"slowly") {
            stream.write_all(&[byte]).unwrap();
            thread::sleep(Duration::from_millis(5));
        }
        let mut back = vec![0u8; 10];
        stream.read_exact(&mut back).unwrap();
        assert_eq!(back, frame(b"ylwols"));
    })
}

#[test]
fn the_largest_frame_is_echoed_whole() {
    testkit::within("largest frame", || {
        let (addr, _) = serve_each(echo_frames);
        let mut stream = client(addr);
        let body: Vec<u8> = (0..MAX_FRAME).map(|i| (i % 253) as u8).collect();
        let mut writer = stream.try_clone().unwrap();
        let sending = {
            let frame = frame(&body);
            thread::spawn(move || writer.write_all(&frame).unwrap())
        };
        let mut back = vec![0u8; 4 + MAX_FRAME];
        stream.read_exact(&mut back).unwrap();
        sending.join().unwrap();
        assert!(back == frame(&reversed(&body)));
    })
}

#[test]
fn a_length_over_the_limit_is_refused_without_waiting_for_the_body() {
    testkit::within("oversized", || {
        let (addr, results) = serve_each(echo_frames);
        let mut stream = client(addr);
        stream
            .write_all(&((MAX_FRAME + 1) as u32).to_be_bytes())
            .unwrap();
        // No body follows: a server that tries to read it waits for ever.
        let result = results
            .recv_timeout(Duration::from_secs(3))
            .expect("the server is still waiting for the body");
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidData);
    })
}

#[test]
fn a_close_inside_a_frame_is_an_unexpected_eof() {
    testkit::within("eof inside a frame", || {
        let (addr, results) = serve_each(echo_frames);
        for cut in [
            frame(b"abcdef")[..2].to_vec(),
            frame(b"abcdef")[..7].to_vec(),
        ] {
            let mut stream = client(addr);
            stream.write_all(&cut).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            let result = results.recv().unwrap();
            assert_eq!(
                result.unwrap_err().kind(),
                ErrorKind::UnexpectedEof,
                "cut after {} bytes",
                cut.len()
            );
        }
    })
}
