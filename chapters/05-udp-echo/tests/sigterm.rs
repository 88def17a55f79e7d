//! `kill -TERM` (and `Ctrl-C`) on the real `udp-echo` binary. UDP has no
//! connections to drain: the server finishes the datagram in hand, says
//! how many it served, and exits 0.

use std::net::UdpSocket;
use std::time::Duration;

use testkit::sigterm::Signalled;

const SERVER: &str = env!("CARGO_BIN_EXE_udp-echo");

fn stops_cleanly_on(signal: &str) {
    let mut server = Signalled::start(SERVER, &["--addr", "127.0.0.1:0"]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    client.connect(server.addr()).unwrap();
    for message in [&b"one"[..], b"two", b"three"] {
        client.send(message).unwrap();
        let mut back = [0u8; 16];
        let n = client.recv(&mut back).expect("the echo");
        assert_eq!(&back[..n], message);
    }
    server.signal(signal);
    let line = server.wait_for_line("stopped");
    assert!(line.contains("replied 3"), "{line}");
    let exit = server.wait();
    assert!(
        exit.status.success(),
        "exit status {} after SIG{signal}; stderr: {}",
        exit.status,
        exit.stderr
    );
}

#[test]
fn sigterm_ends_the_server_with_status_0() {
    testkit::within("udp-echo stops on SIGTERM", || stops_cleanly_on("TERM"))
}

#[test]
fn sigint_ends_the_server_with_status_0() {
    testkit::within("udp-echo stops on SIGINT", || stops_cleanly_on("INT"))
}
