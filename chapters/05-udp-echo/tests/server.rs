//! The server binary, end to end: started on `127.0.0.1:0` through
//! `testkit::ServerProcess`, talked to with plain std sockets.

mod common;

use std::sync::Barrier;
use std::thread;

use common::{SERVER, client, round_trip};
use testkit::ServerProcess;
use udp_echo::MAX_IPV4_PAYLOAD;

fn start() -> ServerProcess {
    ServerProcess::start(SERVER, &["--addr", "127.0.0.1:0"])
}

#[test]
fn the_server_announces_its_real_port_and_echoes_a_datagram() {
    testkit::within("announce and echo", || {
        let server = start();
        assert!(server.addr().ip().is_loopback());
        assert_ne!(server.addr().port(), 0);
        assert_eq!(round_trip(&client(), server.addr(), b"hello"), b"hello");
        let (stdout, _) = server.stop();
        assert_eq!(stdout, "", "nothing but the `listening on` line on stdout");
    });
}

#[test]
fn a_zero_length_datagram_is_echoed_as_a_zero_length_datagram() {
    testkit::within("zero-length datagram", || {
        let server = start();
        let socket = client();
        assert_eq!(round_trip(&socket, server.addr(), b""), b"");
        // And the server is not confused by it: the next one is normal.
        assert_eq!(round_trip(&socket, server.addr(), b"next"), b"next");
    });
}

#[test]
fn a_maximum_size_datagram_is_echoed_whole() {
    testkit::within("65,507-byte datagram", || {
        let server = start();
        let datagram: Vec<u8> = (0..MAX_IPV4_PAYLOAD).map(|i| (i % 251) as u8).collect();
        let echo = round_trip(&client(), server.addr(), &datagram);
        assert_eq!(echo.len(), MAX_IPV4_PAYLOAD);
        assert!(echo == datagram, "the echo differs from what was sent");
    });
}

#[test]
fn one_byte_more_than_the_maximum_cannot_even_be_sent() {
    // The limit is the protocol's, not the server's: the sender's kernel
    // refuses the datagram (EMSGSIZE), so no receive buffer ever sees it.
    let socket = client();
    let too_big = vec![0u8; MAX_IPV4_PAYLOAD + 1];
    let error = socket.send_to(&too_big, "127.0.0.1:9").unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EMSGSIZE));
}

#[test]
fn replies_go_to_their_own_sender_when_many_clients_talk_at_once() {
    const CLIENTS: usize = 16;
    const ROUNDS: usize = 50;
    testkit::within("many clients", || {
        let server = start();
        let addr = server.addr();
        let start_together = std::sync::Arc::new(Barrier::new(CLIENTS));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|id| {
                let start_together = start_together.clone();
                thread::spawn(move || {
                    let socket = client();
                    start_together.wait();
                    for round in 0..ROUNDS {
                        // Each client's datagrams name the client: an echo
                        // delivered to the wrong one would not match.
                        let datagram = format!("client {id} round {round}");
                        let echo = round_trip(&socket, addr, datagram.as_bytes());
                        assert_eq!(String::from_utf8(echo).unwrap(), datagram);
                    }
                })
            })
            .collect();
        for c in clients {
            c.join().unwrap();
        }
    });
}
