//! The results schema: what one run measured ([`Measured`], [`Run`]), one
//! server under one scenario over all rounds ([`Row`], with its [`Ratios`]
//! to the peers and their verdicts), the noise each scenario met
//! ([`Noise`]), the machine, and everything a run of the harness produced
//! ([`Results`], written as JSON by the report).

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

use super::machine::Steal;
use super::scenario::Scenario;
use super::verdict::{NoiseBand, Spread, Verdict};
use crate::servers::ServerKind;
use udp_echo::client::latency_histogram;

/// The core of the load generator and the core of the server: the first
/// two this process may use (0 and 1 on a machine of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cores {
    pub client: usize,
    pub server: usize,
}

/// What a load generator saw in one run.
#[derive(Debug)]
pub struct Measured {
    /// Echoes received and checked after the warm-up.
    pub round_trips: u64,
    /// Echoes received and checked during the warm-up.
    pub warmup_round_trips: u64,
    /// UDP only: datagrams whose echo never came, and echoes that came after
    /// their datagram was counted lost.
    pub lost: u64,
    pub late: u64,
    /// From the end of the warm-up to the last measured echo.
    pub elapsed: Duration,
    pub size: usize,
    /// Round-trip times of the measured echoes, in nanoseconds.
    pub latency: Histogram<u64>,
}

impl Measured {
    pub fn new() -> Measured {
        Measured {
            round_trips: 0,
            warmup_round_trips: 0,
            lost: 0,
            late: 0,
            elapsed: Duration::ZERO,
            size: 0,
            latency: latency_histogram(),
        }
    }

    pub(crate) fn per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.round_trips as f64 / secs
        } else {
            0.0
        }
    }
}

impl Default for Measured {
    fn default() -> Measured {
        Measured::new()
    }
}

/// Latency percentiles, in microseconds.
#[derive(Clone, Debug, Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Latency {
    pub(crate) fn of(h: &Histogram<u64>) -> Latency {
        let us = |ns: u64| ns as f64 / 1000.0;
        Latency {
            p50: us(h.value_at_quantile(0.50)),
            p99: us(h.value_at_quantile(0.99)),
            p999: us(h.value_at_quantile(0.999)),
            max: us(h.max()),
        }
    }
}

/// One server, one scenario, one round.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub round: usize,
    pub scenario: usize,
    pub server: ServerKind,
    pub round_trips: u64,
    pub warmup_round_trips: u64,
    pub lost: u64,
    pub late: u64,
    pub elapsed_secs: f64,
    pub round_trips_per_sec: f64,
    pub bytes_per_sec: f64,
    pub latency_us: Latency,
    /// The server's CPU time over the whole run (warm-up included), split.
    pub server_user_secs: f64,
    pub server_system_secs: f64,
    /// Server CPU time per echo served (warm-up echoes included, since the
    /// CPU time includes the warm-up).
    pub server_cpu_us_per_request: f64,
    /// The same for the load generator: when it is near a full core, the
    /// client, not the server, sets the pace.
    pub client_cpu_us_per_request: f64,
}

/// One server under one scenario, over all rounds.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub scenario: usize,
    pub server: ServerKind,
    pub round_trips: u64,
    pub lost: u64,
    /// The median over rounds, and the spread.
    pub round_trips_per_sec: f64,
    pub round_trips_per_sec_min: f64,
    pub round_trips_per_sec_max: f64,
    pub bytes_per_sec: f64,
    /// All rounds' round trips together.
    pub latency_us: Latency,
    /// All rounds' server CPU time over all rounds' echoes.
    pub server_cpu_us_per_request: f64,
    /// The part of it spent in the kernel.
    pub server_system_share: f64,
    pub client_cpu_us_per_request: f64,
    /// The per-round ratios against tokio and against mio (each taken
    /// between runs of the same round), with their verdicts.
    pub vs_tokio: Option<Ratios>,
    pub vs_mio: Option<Ratios>,
}

/// This server's figures divided by another's, round by round.
#[derive(Clone, Debug, Serialize)]
pub struct Ratios {
    /// Round trips per second: above 1 is faster.
    pub round_trips_per_sec: Ratio,
    /// CPU per request: below 1 is cheaper.
    pub cpu_per_request: Ratio,
}

/// One figure's ratio: its spread over rounds and what that says against
/// the scenario's noise band (`None` when there was no band: `tokio-again`
/// did not run).
#[derive(Clone, Debug, Serialize)]
pub struct Ratio {
    pub spread: Spread,
    pub verdict: Option<Verdict>,
}

/// One scenario's noise: tokio against `tokio-again`, round by round, for
/// each figure (`None` when either did not run).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Noise {
    pub round_trips_per_sec: Option<NoiseBand>,
    pub cpu_per_request: Option<NoiseBand>,
}

/// The machine the figures come from.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    /// `osrelease` and `version` from `/proc/sys/kernel`.
    pub kernel: String,
    pub started_utc: String,
    pub load_before: String,
    pub load_after: String,
    /// Steal time over the whole run (`None`: `/proc/stat` not readable).
    pub steal: Option<Steal>,
    /// Each allowed CPU's frequency at the end (`None`: not readable).
    pub cpu_mhz: Option<Vec<f64>>,
    /// `None` when not pinned (fewer than two cores, or `--no-pin`).
    pub pinned: Option<Cores>,
}

/// Everything a run of the harness produced.
#[derive(Clone, Debug, Serialize)]
pub struct Results {
    pub mode: String,
    /// The command line that produced these results.
    pub command: String,
    pub rounds: usize,
    pub warmup_secs: f64,
    pub duration_secs: f64,
    pub machine: Machine,
    pub scenarios: Vec<Scenario>,
    pub servers: Vec<ServerKind>,
    /// One per scenario, in the same order.
    pub noise: Vec<Noise>,
    pub rows: Vec<Row>,
    pub runs: Vec<Run>,
}

impl Results {
    pub fn row(&self, scenario: usize, server: ServerKind) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.scenario == scenario && r.server == server)
    }
}
