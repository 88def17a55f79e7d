//! Exercise 5.1, solved: an echo that answers backwards.

use std::convert::Infallible;

use crate::{Stats, UdpSocket, serve_with};

/// Reverses the characters of UTF-8 text, and the bytes of anything else.
pub fn reverse(datagram: &mut [u8]) {
    match std::str::from_utf8(datagram) {
        Ok(text) => {
            // Same characters, so the same number of bytes: it fits exactly.
            let reversed: String = text.chars().rev().collect();
            datagram.copy_from_slice(reversed.as_bytes());
        }
        Err(_) => datagram.reverse(),
    }
}

/// Serves like `udp_echo::serve`, but answers with [`reverse`]d datagrams.
pub async fn serve_reversed(socket: &UdpSocket, budget: usize, stats: &Stats) -> Infallible {
    serve_with(socket, budget, stats, |datagram, _peer| {
        reverse(datagram);
        Some(datagram.len())
    })
    .await
}
