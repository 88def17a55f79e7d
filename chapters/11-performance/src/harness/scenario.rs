//! What to measure: a load shape ([`Scenario`]), the shapes the chapter's
//! target is about ([`TARGETS`]), and a whole [`Plan`] (which servers, how
//! many rounds, how long each run).

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::servers::{Proto, ServerKind};

// ANCHOR: scenario
/// One load shape: protocol, connections (UDP: flows), message size, and
/// messages in flight per connection (pipelining depth; UDP: window).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub proto: Proto,
    pub connections: usize,
    pub size: usize,
    pub depth: usize,
}
// ANCHOR_END: scenario

/// The scenarios the chapter's target is about: 64 connections of 512-byte
/// messages, one in flight each, over TCP and UDP.
pub const TARGETS: [Scenario; 2] = [
    Scenario::new(Proto::Tcp, 64, 512, 1),
    Scenario::new(Proto::Udp, 64, 512, 1),
];

impl Scenario {
    pub const fn new(proto: Proto, connections: usize, size: usize, depth: usize) -> Scenario {
        Scenario {
            proto,
            connections,
            size,
            depth,
        }
    }

    /// Parses `tcp:64x512x1` (protocol, connections, bytes, depth), the
    /// form of the harness's `--scenario` option.
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let bad =
            || format!("`{text}`: expected PROTO:CONNECTIONSxBYTESxDEPTH, as in tcp:64x512x1");
        let (proto, shape) = text.split_once(':').ok_or_else(bad)?;
        let proto = match proto {
            "tcp" => Proto::Tcp,
            "udp" => Proto::Udp,
            _ => return Err(bad()),
        };
        let numbers: Vec<usize> = shape
            .split('x')
            .map(|n| n.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        let [connections, size, depth] = numbers[..] else {
            return Err(bad());
        };
        if connections == 0 || depth == 0 || size < udp_echo::payload::HEADER {
            return Err(format!(
                "`{text}`: at least one connection, one message in flight, and {} bytes",
                udp_echo::payload::HEADER
            ));
        }
        Ok(Scenario::new(proto, connections, size, depth))
    }

    /// `tcp 64×512 B d1`.
    pub fn label(&self) -> String {
        format!(
            "{} {}×{} B d{}",
            self.proto, self.connections, self.size, self.depth
        )
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The name of the mode, for the report (`quick`, `full`, ...).
    pub mode: String,
    /// The command line, recorded with the results.
    pub command: String,
    pub scenarios: Vec<Scenario>,
    pub servers: Vec<ServerKind>,
    pub rounds: usize,
    pub warmup: Duration,
    pub duration: Duration,
    /// Measured messages per connection (UDP: per flow) a run has at least,
    /// however long they take: 0 but in the smoke mode, whose short runs on
    /// a busy machine could otherwise measure nothing, or too little for a
    /// CPU time counted in 10 ms ticks.
    pub at_least: u64,
    /// The `bench-server` binary.
    pub server_bin: PathBuf,
    /// Pin the server to core 1 and the client to core 0.
    pub pin: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_is_parsed_from_its_short_form() {
        assert_eq!(
            Scenario::parse("udp:16x1024x4"),
            Ok(Scenario::new(Proto::Udp, 16, 1024, 4))
        );
        for bad in [
            "tcp:64x512",
            "quic:1x64x1",
            "tcp:0x64x1",
            "tcp:1x4x1",
            "tcp64x512x1",
        ] {
            assert!(Scenario::parse(bad).is_err(), "{bad} was accepted");
        }
    }
}
