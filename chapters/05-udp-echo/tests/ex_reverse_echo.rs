//! Exercise 5.1: an echo that answers backwards.

mod common;

use common::{client, round_trip, settled, spawn_server};
use udp_echo::exercises::reverse_echo::{reverse, serve_reversed};
use udp_echo::server::DEFAULT_BUDGET;

fn reversed(datagram: &[u8]) -> Vec<u8> {
    let mut copy = datagram.to_vec();
    reverse(&mut copy);
    copy
}

#[test]
fn text_comes_back_with_its_characters_reversed() {
    assert_eq!(reversed(b"hello"), b"olleh");
    assert_eq!(
        reversed("héllo, wörld".as_bytes()),
        "dlröw ,olléh".as_bytes()
    );
}

#[test]
fn bytes_that_are_not_text_come_back_with_their_bytes_reversed() {
    assert_eq!(
        reversed(&[0xff, 0x00, 0x01, 0xc3]),
        [0xc3, 0x01, 0x00, 0xff]
    );
    assert_eq!(reversed(b""), b"");
}

#[test]
fn the_reversing_server_answers_each_client_backwards() {
    testkit::within("reversing server", || {
        let (addr, stats) = spawn_server(|socket, stats| async move {
            serve_reversed(&socket, DEFAULT_BUDGET, &stats).await
        });
        let (a, b) = (client(), client());
        assert_eq!(round_trip(&a, addr, b"abc"), b"cba");
        assert_eq!(round_trip(&b, addr, "añb".as_bytes()), "bña".as_bytes());
        assert_eq!(round_trip(&a, addr, b""), b"");
        let big: Vec<u8> = (0..udp_echo::MAX_IPV4_PAYLOAD)
            .map(|i| (i % 100) as u8 + 0x80)
            .collect();
        let mut expected = big.clone();
        expected.reverse();
        assert!(
            round_trip(&b, addr, &big) == expected,
            "65,507 bytes, reversed"
        );
        // Not one more than the four round trips either.
        assert_eq!(settled(|| stats.replied(), 4), 4);
    });
}
