//! The latency-versus-offered-load curve: tokio's closed-loop maximum,
//! measured in the same run, then every server under the open-loop
//! generator at fixed fractions of it (25, 50, 75 and 90 % by default),
//! interleaved round after round like the table's runs. The point at half
//! of tokio's maximum gives the chapter's headline efficiency figure, the
//! server's CPU time per request below saturation, as per-round ratios to
//! tokio judged against the noise band of `tokio-again` at that point.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use serde::Serialize;

use crate::open_loop;
use crate::process::CpuTime;
use crate::servers::{Proto, ServerKind};
use udp_echo::client::latency_histogram;

use super::machine::Before;
use super::results::{Cores, Latency, Machine, Results};
use super::runner::{pin_load_generator, run_one, start_server};
use super::scenario::{Plan, Scenario};
use super::verdict::{Better, NoiseBand, Spread, Verdict, verdict};

// ANCHOR: curve_plan
/// What the curve measures, besides the table's plan (its servers, server
/// binary and pinning).
#[derive(Clone, Debug)]
pub struct CurvePlan {
    /// The load shape (TCP only: the open-loop generator is TCP's).
    pub scenario: Scenario,
    /// Offered loads, as fractions of tokio's closed-loop maximum.
    pub fractions: Vec<f64>,
    /// The fraction whose CPU per request is the headline.
    pub headline: f64,
    pub rounds: usize,
    pub warmup: Duration,
    pub duration: Duration,
}

/// The servers the curve runs, of those in the table's plan: the book's
/// runtime, tokio, and the hand-written mio loop, with `tokio-again` for the
/// noise band. (Every server of the table at four loads would double the
/// run; the table compares all of them already.)
pub const CURVE_SERVERS: [ServerKind; 4] = [
    ServerKind::Ours,
    ServerKind::Tokio,
    ServerKind::Mio,
    ServerKind::TokioAgain,
];

impl CurvePlan {
    /// The servers of `plan` that the curve runs, in the plan's order.
    pub fn servers(plan: &Plan) -> Vec<ServerKind> {
        plan.servers
            .iter()
            .copied()
            .filter(|server| CURVE_SERVERS.contains(server))
            .collect()
    }
}

/// The default points: a quarter, half, three quarters and nine tenths of
/// tokio's maximum; the headline at half, well below saturation.
pub const FRACTIONS: [f64; 4] = [0.25, 0.50, 0.75, 0.90];
pub const HEADLINE: f64 = 0.50;
// ANCHOR_END: curve_plan

/// tokio's closed-loop maximum, which sets the offered loads.
#[derive(Clone, Debug, Serialize)]
pub struct Base {
    /// The median over its rounds, in round trips per second.
    pub round_trips_per_sec: f64,
    pub rounds: Vec<f64>,
    /// `table` when taken from this run's table, `calibration` when the
    /// curve ran tokio closed-loop itself first.
    pub source: &'static str,
}

/// One server at one offered load in one round.
#[derive(Clone, Debug, Serialize)]
pub struct CurveRun {
    pub round: usize,
    pub point: usize,
    pub server: ServerKind,
    pub offered_per_sec: f64,
    pub achieved_per_sec: f64,
    pub scheduled: u64,
    pub round_trips: u64,
    pub held_back: u64,
    pub unsent: u64,
    pub warmup_round_trips: u64,
    pub latency_us: Latency,
    /// The generator's own lateness (see `OpenMeasured::slip`), p99, µs.
    pub client_slip_p99_us: f64,
    pub server_user_secs: f64,
    pub server_system_secs: f64,
    /// Server CPU time over the whole run per echo served (warm-up
    /// included, as in the table).
    pub server_cpu_us_per_request: f64,
    pub client_cpu_us_per_request: f64,
}

/// One server at one offered load, over all rounds.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePoint {
    pub point: usize,
    pub fraction: f64,
    pub server: ServerKind,
    /// Medians over rounds, and the lowest round's achieved rate.
    pub offered_per_sec: f64,
    pub achieved_per_sec: f64,
    pub achieved_per_sec_min: f64,
    /// Sums over rounds.
    pub scheduled: u64,
    pub round_trips: u64,
    pub held_back: u64,
    pub unsent: u64,
    /// All rounds' round trips together, timed from their due times.
    pub latency_us: Latency,
    /// The worst round's p99 of the generator's own lateness, µs.
    pub client_slip_p99_us: f64,
    /// All rounds' server CPU time over all rounds' echoes.
    pub server_cpu_us_per_request: f64,
    /// CPU per request against tokio, round by round, with its verdict
    /// (`None` for tokio itself, or when tokio did not run).
    pub cpu_vs_tokio: Option<CpuRatio>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CpuRatio {
    pub spread: Spread,
    /// `None` without a noise band (`tokio-again` did not run).
    pub verdict: Option<Verdict>,
}

/// Everything the curve produced (written as `latency-curve.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Curve {
    pub mode: String,
    pub command: String,
    pub scenario: Scenario,
    pub fractions: Vec<f64>,
    pub headline: f64,
    pub rounds: usize,
    pub warmup_secs: f64,
    pub duration_secs: f64,
    pub base: Base,
    pub machine: Machine,
    pub servers: Vec<ServerKind>,
    /// Per point: tokio-again against tokio in CPU per request.
    pub noise: Vec<Option<NoiseBand>>,
    pub points: Vec<CurvePoint>,
    pub runs: Vec<CurveRun>,
}

impl Curve {
    pub fn point(&self, point: usize, server: ServerKind) -> Option<&CurvePoint> {
        self.points
            .iter()
            .find(|p| p.point == point && p.server == server)
    }

    /// The index of the headline's point, if it was measured.
    pub fn headline_point(&self) -> Option<usize> {
        self.fractions
            .iter()
            .position(|&f| (f - self.headline).abs() < 1e-9)
    }
}

/// tokio's closed-loop rate on `scenario` in this run's table, if it ran.
pub fn base_from_table(results: &Results, scenario: &Scenario) -> Option<Base> {
    let s = results.scenarios.iter().position(|x| x == scenario)?;
    let rounds: Vec<f64> = results
        .runs
        .iter()
        .filter(|r| r.scenario == s && r.server == ServerKind::Tokio)
        .map(|r| r.round_trips_per_sec)
        .collect();
    let spread = Spread::of(rounds.clone())?;
    Some(Base {
        round_trips_per_sec: spread.median,
        rounds,
        source: "table",
    })
}

// ANCHOR: curve_run
/// Runs the curve: tokio's maximum first (from `base`, this run's table, or
/// measured now), then every round: every point, every server of the plan.
///
/// `cpus` are the CPUs this process may use, looked up before anything
/// pinned it ([`crate::process::allowed_cpus`]): after the table's run, this thread is
/// pinned to one, and would find no core to give the server.
pub fn run(
    plan: &Plan,
    curve: &CurvePlan,
    base: Option<Base>,
    cpus: &[usize],
    mut progress: impl FnMut(&str),
) -> anyhow::Result<Curve> {
    if curve.scenario.proto != Proto::Tcp {
        bail!("the open-loop generator is TCP only");
    }
    let cores = pin_load_generator(plan, cpus)?;
    let before = Before::now();
    let base = match base {
        Some(base) => base,
        None => calibrate(plan, cores, curve, &mut progress)?,
    };
    anyhow::ensure!(
        base.round_trips_per_sec > 0.0,
        "tokio's closed-loop rate was 0: no load to offer"
    );
    let mut runs = Vec::new();
    let mut histograms: HashMap<(usize, ServerKind), Histogram<u64>> = HashMap::new();
    for round in 0..curve.rounds {
        for (point, &fraction) in curve.fractions.iter().enumerate() {
            let rate = fraction * base.round_trips_per_sec;
            for &server in &CurvePlan::servers(plan) {
                let (run, latency) = run_open(plan, cores, curve, round, point, rate, server)
                    .with_context(|| {
                        format!("open loop at {:.0} rt/s on {server}", rate.round())
                    })?;
                progress(&format!(
                    "curve round {}/{} {:>3.0}% {:<14} offered {:>7.0} achieved {:>7.0} rt/s  p99 {:>8.1} µs  {:>5.2} µs CPU/request",
                    round + 1,
                    curve.rounds,
                    fraction * 100.0,
                    server.name(),
                    run.offered_per_sec,
                    run.achieved_per_sec,
                    run.latency_us.p99,
                    run.server_cpu_us_per_request
                ));
                histograms
                    .entry((point, server))
                    .or_insert_with(latency_histogram)
                    .add(&latency)
                    .expect("same bounds");
                runs.push(run);
            }
        }
    }
    // ANCHOR_END: curve_run
    let (noise, points) = summarize(curve, &CurvePlan::servers(plan), &runs, &histograms);
    Ok(Curve {
        mode: plan.mode.clone(),
        command: plan.command.clone(),
        scenario: curve.scenario,
        fractions: curve.fractions.clone(),
        headline: curve.headline,
        rounds: curve.rounds,
        warmup_secs: curve.warmup.as_secs_f64(),
        duration_secs: curve.duration.as_secs_f64(),
        base,
        machine: before.finish(cpus, cores),
        servers: CurvePlan::servers(plan),
        noise,
        points,
        runs,
    })
}

/// tokio closed-loop on the curve's scenario, `rounds` times, when the
/// table did not measure it in this run.
fn calibrate(
    plan: &Plan,
    cores: Option<Cores>,
    curve: &CurvePlan,
    progress: &mut impl FnMut(&str),
) -> anyhow::Result<Base> {
    let mut rounds = Vec::new();
    for round in 0..curve.rounds {
        let (run, _) = run_one(plan, cores, round, 0, &curve.scenario, ServerKind::Tokio)
            .context("tokio's closed-loop maximum")?;
        progress(&format!(
            "curve calibration {}/{}: tokio closed-loop {:.0} rt/s",
            round + 1,
            curve.rounds,
            run.round_trips_per_sec
        ));
        rounds.push(run.round_trips_per_sec);
    }
    let median = Spread::of(rounds.clone()).map_or(0.0, |s| s.median);
    Ok(Base {
        round_trips_per_sec: median,
        rounds,
        source: "calibration",
    })
}

// ANCHOR: run_open
/// One open-loop run: a fresh server, its CPU time read when it listens
/// and when the last connection is closed, the schedule in between.
fn run_open(
    plan: &Plan,
    cores: Option<Cores>,
    curve: &CurvePlan,
    round: usize,
    point: usize,
    rate: f64,
    server: ServerKind,
) -> anyhow::Result<(CurveRun, Histogram<u64>)> {
    let process = start_server(plan, cores, Proto::Tcp, server);
    let pid = process.pid();
    let me = std::process::id();
    let (server_before, client_before) = (CpuTime::of(pid)?, CpuTime::of(me)?);
    let m = open_loop::run(&open_loop::Config {
        addr: process.addr(),
        connections: curve.scenario.connections,
        size: curve.scenario.size,
        rate,
        depth: curve.scenario.depth,
        warmup: curve.warmup,
        duration: curve.duration,
        drain_timeout: Duration::from_secs(5),
    })?;
    let (server_after, client_after) = (CpuTime::of(pid)?, CpuTime::of(me)?);
    drop(process);
    if m.round_trips == 0 {
        bail!("no echo came back in the measured window");
    }
    let served = (m.round_trips + m.warmup_round_trips) as f64;
    let server_cpu = server_after.since(server_before);
    let client_cpu = client_after.since(client_before);
    let per_request = |cpu: CpuTime| cpu.total().as_secs_f64() * 1e6 / served;
    let run = CurveRun {
        round,
        point,
        server,
        offered_per_sec: m.offered_per_sec(),
        achieved_per_sec: m.achieved_per_sec(),
        scheduled: m.scheduled,
        round_trips: m.round_trips,
        held_back: m.held_back,
        unsent: m.unsent,
        warmup_round_trips: m.warmup_round_trips,
        latency_us: Latency::of(&m.latency),
        client_slip_p99_us: m.slip.value_at_quantile(0.99) as f64 / 1000.0,
        server_user_secs: server_cpu.user.as_secs_f64(),
        server_system_secs: server_cpu.system.as_secs_f64(),
        server_cpu_us_per_request: per_request(server_cpu),
        client_cpu_us_per_request: per_request(client_cpu),
    };
    Ok((run, m.latency))
}
// ANCHOR_END: run_open

// ANCHOR: curve_summary
/// Per point and server: medians and sums over rounds, latency over all
/// rounds, and CPU per request divided by tokio's round by round, judged
/// against tokio-again's ratios at the same point.
fn summarize(
    curve: &CurvePlan,
    servers: &[ServerKind],
    runs: &[CurveRun],
    histograms: &HashMap<(usize, ServerKind), Histogram<u64>>,
) -> (Vec<Option<NoiseBand>>, Vec<CurvePoint>) {
    let find = |round: usize, point: usize, server: ServerKind| {
        runs.iter()
            .find(|r| r.round == round && r.point == point && r.server == server)
    };
    let cpu_rounds = |point: usize, server: ServerKind| -> Vec<f64> {
        (0..curve.rounds)
            .filter_map(|round| {
                let (a, b) = (
                    find(round, point, server)?,
                    find(round, point, ServerKind::Tokio)?,
                );
                Some(a.server_cpu_us_per_request / b.server_cpu_us_per_request)
            })
            // A run too short for a clock tick reads 0 CPU: no ratio.
            .filter(|r| r.is_finite() && *r > 0.0)
            .collect()
    };
    let noise: Vec<Option<NoiseBand>> = (0..curve.fractions.len())
        .map(|point| NoiseBand::of(&cpu_rounds(point, ServerKind::TokioAgain)))
        .collect();
    let mut points = Vec::new();
    for (point, &fraction) in curve.fractions.iter().enumerate() {
        for &server in servers {
            let mine: Vec<&CurveRun> = runs
                .iter()
                .filter(|r| r.point == point && r.server == server)
                .collect();
            let median =
                |f: fn(&CurveRun) -> f64| Spread::of(mine.iter().map(|r| f(r)).collect::<Vec<_>>());
            let (Some(offered), Some(achieved)) = (
                median(|r| r.offered_per_sec),
                median(|r| r.achieved_per_sec),
            ) else {
                continue;
            };
            let sum = |f: fn(&CurveRun) -> u64| mine.iter().map(|r| f(r)).sum::<u64>();
            let served = sum(|r| r.round_trips + r.warmup_round_trips);
            let cpu: f64 = mine
                .iter()
                .map(|r| r.server_user_secs + r.server_system_secs)
                .sum();
            let cpu_vs_tokio = if server == ServerKind::Tokio {
                None
            } else {
                Spread::of(cpu_rounds(point, server)).map(|spread| CpuRatio {
                    verdict: noise[point].map(|band| verdict(&spread.rounds, band, Better::Lower)),
                    spread,
                })
            };
            points.push(CurvePoint {
                point,
                fraction,
                server,
                offered_per_sec: offered.median,
                achieved_per_sec: achieved.median,
                achieved_per_sec_min: achieved.min,
                scheduled: sum(|r| r.scheduled),
                round_trips: sum(|r| r.round_trips),
                held_back: sum(|r| r.held_back),
                unsent: sum(|r| r.unsent),
                latency_us: Latency::of(&histograms[&(point, server)]),
                client_slip_p99_us: mine
                    .iter()
                    .map(|r| r.client_slip_p99_us)
                    .fold(0.0, f64::max),
                server_cpu_us_per_request: cpu * 1e6 / served.max(1) as f64,
                cpu_vs_tokio,
            });
        }
    }
    (noise, points)
}
// ANCHOR_END: curve_summary

/// How long the curve takes, roughly (calibration not included).
pub fn estimate(plan: &Plan, curve: &CurvePlan) -> Duration {
    let per_run = curve.warmup + curve.duration + Duration::from_millis(150);
    per_run * (curve.rounds * curve.fractions.len() * CurvePlan::servers(plan).len()) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::scenario::TARGETS;

    fn run(round: usize, server: ServerKind, cpu: f64) -> CurveRun {
        let one = Latency {
            p50: 1.0,
            p99: 1.0,
            p999: 1.0,
            max: 1.0,
        };
        CurveRun {
            round,
            point: 0,
            server,
            offered_per_sec: 1000.0,
            achieved_per_sec: 990.0,
            scheduled: 1000,
            round_trips: 990,
            held_back: 3,
            unsent: 10,
            warmup_round_trips: 10,
            latency_us: one,
            client_slip_p99_us: 1.0,
            server_user_secs: 0.0,
            server_system_secs: cpu * 1000.0 / 1e6,
            server_cpu_us_per_request: cpu,
            client_cpu_us_per_request: 1.0,
        }
    }

    #[test]
    fn cpu_ratios_are_taken_within_a_round_and_judged_against_tokio_again() {
        let curve = CurvePlan {
            scenario: TARGETS[0],
            fractions: vec![0.5],
            headline: 0.5,
            rounds: 3,
            warmup: Duration::ZERO,
            duration: Duration::ZERO,
        };
        let servers = [ServerKind::Ours, ServerKind::Tokio, ServerKind::TokioAgain];
        // The machine gets dearer in round 1 for everyone; ours costs 0.8×
        // tokio in every round, tokio-again within 2 % of tokio.
        let runs = vec![
            run(0, ServerKind::Ours, 4.0),
            run(0, ServerKind::Tokio, 5.0),
            run(0, ServerKind::TokioAgain, 5.1),
            run(1, ServerKind::Ours, 8.0),
            run(1, ServerKind::Tokio, 10.0),
            run(1, ServerKind::TokioAgain, 9.9),
            run(2, ServerKind::Ours, 4.0),
            run(2, ServerKind::Tokio, 5.0),
            run(2, ServerKind::TokioAgain, 5.0),
        ];
        let mut histograms = HashMap::new();
        for server in servers {
            histograms.insert((0, server), latency_histogram());
        }
        let (noise, points) = summarize(&curve, &servers, &runs, &histograms);
        assert!((noise[0].unwrap().factor - 1.02).abs() < 1e-9);
        let ours = points
            .iter()
            .find(|p| p.server == ServerKind::Ours)
            .unwrap();
        let ratio = ours.cpu_vs_tokio.as_ref().unwrap();
        assert!((ratio.spread.min - 0.8).abs() < 1e-9 && (ratio.spread.max - 0.8).abs() < 1e-9);
        assert_eq!(ratio.verdict, Some(Verdict::Ahead));
        assert_eq!((ours.held_back, ours.unsent, ours.scheduled), (9, 30, 3000));
        let tokio = points
            .iter()
            .find(|p| p.server == ServerKind::Tokio)
            .unwrap();
        assert!(tokio.cpu_vs_tokio.is_none());
        // 20 µs of CPU over 3000 echoes served (warm-up included).
        assert!((ours.server_cpu_us_per_request - 16_000.0 / 3000.0).abs() < 1e-9);
    }
}
