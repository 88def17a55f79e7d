//! Exercise 5.1: an echo that answers backwards.
//!
//! Goal: a server that sends each datagram back reversed. Text must come
//! back as text: when the datagram is valid UTF-8, reverse its characters
//! (`"héllo"` comes back as `"olléh"`, not as invalid bytes); otherwise
//! reverse its bytes. Nothing else changes: the reply goes to the sender,
//! has the same length, and an empty datagram gets an empty reply.

use std::convert::Infallible;

use crate::{Stats, UdpSocket};

/// Reverses `datagram` in place, as the goal above says.
pub fn reverse(datagram: &mut [u8]) {
    // TODO: reverse the characters of UTF-8 text (`std::str::from_utf8`),
    // and the bytes of anything else.
    let _ = datagram;
    todo!("reverse the datagram")
}

/// Serves like `udp_echo::serve`, but answers with [`reverse`]d datagrams.
pub async fn serve_reversed(socket: &UdpSocket, budget: usize, stats: &Stats) -> Infallible {
    // TODO: `crate::serve_with` takes a closure that may rewrite the
    // datagram in place and says how many of its bytes to send back.
    let _ = (socket, budget, stats);
    todo!("serve with a reversing reply")
}
