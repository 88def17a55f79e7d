//! Chapter 5 of *Async from Scratch*: UDP echo, on chapter 4's reactor.
//!
//! - [`socket`]: `UdpSocket`, an async UDP socket in a few lines of
//!   `Async::read_with` and `Async::write_with`;
//! - [`server`]: the echo server loop, with its budget and its error policy;
//! - [`cli`]: what every server binary of the book does on the command line
//!   (the `listening on` line, the bind error, the exit code);
//! - [`payload`]: datagrams that carry a sequence number and a pattern, so
//!   the client can check every byte of every echo;
//! - [`client`]: the load client (blocking threads, see its docs for why).

pub mod cli;
pub mod client;
pub mod exercises;
pub mod payload;
pub mod server;
pub mod socket;

pub use server::{Stats, serve, serve_with};
pub use socket::UdpSocket;

// ANCHOR: sizes
/// The largest UDP payload over IPv4: 65,535 (the IPv4 total length field)
/// minus the 20-byte IP header and the 8-byte UDP header.
pub const MAX_IPV4_PAYLOAD: usize = 65_507;

/// The largest UDP payload over IPv6 without jumbograms: 65,535 (the IPv6
/// payload length, which does not count the IPv6 header) minus 8.
pub const MAX_IPV6_PAYLOAD: usize = 65_527;

/// A receive buffer that no datagram can overflow: larger than any payload
/// above, so a receive that fills it completely cannot happen, and one that
/// returns `n` bytes got the whole datagram.
pub const MAX_DATAGRAM: usize = 65_536;
// ANCHOR_END: sizes

const _: () = assert!(MAX_DATAGRAM > MAX_IPV4_PAYLOAD && MAX_DATAGRAM > MAX_IPV6_PAYLOAD);
