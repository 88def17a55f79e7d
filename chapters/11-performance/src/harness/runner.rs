//! The runner: every round runs every scenario on every server in the same
//! order; a run is a fresh, pinned server process driven by the load
//! generator, its CPU time read from `/proc` before and after; and the
//! rows are summarized from the runs, their ratios taken round by round
//! and judged against the noise band of the same run.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use testkit::ServerProcess;

use crate::process::{CpuTime, OneCpu, allowed_cpus};
use crate::servers::{Proto, ServerKind};
use crate::udp_load;
use udp_echo::client::latency_histogram;

use super::machine::Before;
use super::results::{Cores, Latency, Measured, Noise, Ratio, Ratios, Results, Row, Run};
use super::scenario::{Plan, Scenario};
use super::verdict::{Better, NoiseBand, Spread, verdict};

// ANCHOR: interleave
/// Runs the plan: every round runs every scenario on every server, in the
/// same order, so a disturbance lasting a few seconds hits one round of
/// each server rather than all the rounds of one.
pub fn run(plan: &Plan, mut progress: impl FnMut(&str)) -> anyhow::Result<Results> {
    // Looked up before pinning, which leaves this thread one CPU.
    let cpus = allowed_cpus();
    let cores = pin_load_generator(plan, &cpus)?;
    let before = Before::now();
    let mut runs = Vec::new();
    let mut histograms = BTreeMap::new();
    for round in 0..plan.rounds {
        for (s, scenario) in plan.scenarios.iter().enumerate() {
            for &server in &plan.servers {
                if !server.serves(scenario.proto) {
                    continue;
                }
                let (run, latency) = run_one(plan, cores, round, s, scenario, server)
                    .with_context(|| format!("{} on {server}", scenario.label()))?;
                progress(&format!(
                    "round {}/{} {:<22} {:<14} {:>9.0} rt/s  {:>6.2} µs CPU/request",
                    round + 1,
                    plan.rounds,
                    scenario.label(),
                    server.name(),
                    run.round_trips_per_sec,
                    run.server_cpu_us_per_request
                ));
                histograms
                    .entry((s, server.name()))
                    .or_insert_with(latency_histogram)
                    .add(&latency)
                    .expect("same bounds");
                runs.push(run);
            }
        }
    }
    // ANCHOR_END: interleave
    let (noise, rows) = summarize(plan, &runs, &histograms);
    Ok(Results {
        mode: plan.mode.clone(),
        command: plan.command.clone(),
        rounds: plan.rounds,
        warmup_secs: plan.warmup.as_secs_f64(),
        duration_secs: plan.duration.as_secs_f64(),
        machine: before.finish(&cpus, cores),
        scenarios: plan.scenarios.clone(),
        servers: plan.servers.clone(),
        noise,
        rows,
        runs,
    })
}

// ANCHOR: run_one
/// The two cores of `cpus` the plan pins to, the load generator's and the
/// server's (`None` unpinned, or with fewer than two), and this thread,
/// which runs the load generator, pinned to the first.
pub(crate) fn pin_load_generator(plan: &Plan, cpus: &[usize]) -> anyhow::Result<Option<Cores>> {
    let cores = match cpus[..] {
        [client, server, ..] if plan.pin => Some(Cores { client, server }),
        _ => None,
    };
    if let Some(cores) = cores {
        OneCpu::new(cores.client)
            .pin_current_thread()
            .context("pin the load generator")?;
    }
    Ok(cores)
}

/// One run: a fresh server process, its CPU time read once it listens and
/// again when the load is done, the load generator in between.
pub(crate) fn run_one(
    plan: &Plan,
    cores: Option<Cores>,
    round: usize,
    s: usize,
    scenario: &Scenario,
    server: ServerKind,
) -> anyhow::Result<(Run, Histogram<u64>)> {
    let process = start_server(plan, cores, scenario.proto, server);
    let pid = process.pid();
    let me = std::process::id();
    let (server_before, client_before) = (CpuTime::of(pid)?, CpuTime::of(me)?);
    let measured = drive(process.addr(), scenario, plan)?;
    let (server_after, client_after) = (CpuTime::of(pid)?, CpuTime::of(me)?);
    drop(process);
    let served = measured.round_trips + measured.warmup_round_trips;
    if measured.round_trips == 0 {
        bail!("no echo came back after the warm-up");
    }
    let server_cpu = server_after.since(server_before);
    let client_cpu = client_after.since(client_before);
    let per_request = |cpu: CpuTime| cpu.total().as_secs_f64() * 1e6 / served as f64;
    let rate = measured.per_sec();
    let run = Run {
        round,
        scenario: s,
        server,
        round_trips: measured.round_trips,
        warmup_round_trips: measured.warmup_round_trips,
        lost: measured.lost,
        late: measured.late,
        elapsed_secs: measured.elapsed.as_secs_f64(),
        round_trips_per_sec: rate,
        bytes_per_sec: rate * scenario.size as f64,
        latency_us: Latency::of(&measured.latency),
        server_user_secs: server_cpu.user.as_secs_f64(),
        server_system_secs: server_cpu.system.as_secs_f64(),
        server_cpu_us_per_request: per_request(server_cpu),
        client_cpu_us_per_request: per_request(client_cpu),
    };
    Ok((run, measured.latency))
}

/// A fresh server process, pinned to the server's core, once it listens.
pub(crate) fn start_server(
    plan: &Plan,
    cores: Option<Cores>,
    proto: Proto,
    server: ServerKind,
) -> ServerProcess {
    let mut command = Command::new(&plan.server_bin);
    command.args(["--runtime", server.name()]);
    command.args(["--proto", &proto.to_string()]);
    command.args(["--addr", "127.0.0.1:0"]);
    // `tokio-mt2`'s second worker needs a second core: it alone is not pinned.
    if let Some(cores) = cores.filter(|_| server.on_one_core()) {
        let core = OneCpu::new(cores.server);
        // SAFETY: the hook runs in the child between fork and exec, where
        // only async-signal-safe calls are allowed: it makes one system
        // call (sched_setaffinity) on a set built before the fork, and
        // neither allocates nor locks. Threads the server starts later
        // (the reactor thread of `ours-threaded`) inherit the mask.
        unsafe {
            command.pre_exec(move || core.pin_current_thread());
        }
    }
    ServerProcess::spawn(command)
}

/// The load generator for the scenario's protocol: chapter 6's for TCP, on
/// the book's runtime; this chapter's for UDP.
fn drive(addr: SocketAddr, scenario: &Scenario, plan: &Plan) -> anyhow::Result<Measured> {
    match scenario.proto {
        Proto::Tcp => {
            let config = tcp_echo::load::Config {
                addr,
                connections: scenario.connections,
                size: scenario.size,
                stop: match plan.at_least {
                    0 => tcp_echo::load::Stop::Duration(plan.duration),
                    n => tcp_echo::load::Stop::AtLeast(plan.duration, n),
                },
                pipeline: scenario.depth,
                warmup: plan.warmup,
            };
            let report = reactor::Runtime::new()?.block_on(tcp_echo::load::run(&config))?;
            Ok(Measured {
                round_trips: report.round_trips,
                warmup_round_trips: report.warmup_round_trips,
                lost: 0,
                late: 0,
                elapsed: report.elapsed,
                size: report.size,
                latency: report.latency,
            })
        }
        Proto::Udp => Ok(udp_load::run(&udp_load::Config {
            addr,
            flows: scenario.connections,
            size: scenario.size,
            window: scenario.depth,
            warmup: plan.warmup,
            duration: plan.duration,
            loss_timeout: Duration::from_millis(200),
            at_least: plan.at_least * scenario.connections as u64,
        })?),
    }
}
// ANCHOR_END: run_one

// ANCHOR: ratios
/// Per scenario and server: medians over rounds, latency over all rounds,
/// and ratios taken round by round (this server's run divided by the
/// reference's run of the same round, which met the same machine), kept
/// whole as a [`Spread`] and judged against the scenario's [`Noise`]:
/// tokio against `tokio-again`, two runs of one server in the same rounds.
fn summarize(
    plan: &Plan,
    runs: &[Run],
    histograms: &BTreeMap<(usize, &str), Histogram<u64>>,
) -> (Vec<Noise>, Vec<Row>) {
    let find = |round: usize, s: usize, server: ServerKind| {
        runs.iter()
            .find(|r| r.round == round && r.scenario == s && r.server == server)
    };
    // Per round, this server's figures over the reference's: (rate, CPU).
    let per_round = |s: usize, server: ServerKind, reference: ServerKind| {
        let (mut rate, mut cpu) = (Vec::new(), Vec::new());
        for round in 0..plan.rounds {
            if let (Some(a), Some(b)) = (find(round, s, server), find(round, s, reference)) {
                rate.push(a.round_trips_per_sec / b.round_trips_per_sec);
                cpu.push(a.server_cpu_us_per_request / b.server_cpu_us_per_request);
            }
        }
        (rate, cpu)
    };
    let noise: Vec<Noise> = (0..plan.scenarios.len())
        .map(|s| {
            let (rate, cpu) = per_round(s, ServerKind::TokioAgain, ServerKind::Tokio);
            Noise {
                round_trips_per_sec: NoiseBand::of(&rate),
                cpu_per_request: NoiseBand::of(&cpu),
            }
        })
        .collect();
    let ratios = |s: usize, server: ServerKind, reference: ServerKind| {
        let (rate, cpu) = per_round(s, server, reference);
        let judged = |rounds: Vec<f64>, band: Option<NoiseBand>, better: Better| {
            let verdict = band.map(|band| verdict(&rounds, band, better));
            Spread::of(rounds).map(|spread| Ratio { spread, verdict })
        };
        Some(Ratios {
            round_trips_per_sec: judged(rate, noise[s].round_trips_per_sec, Better::Higher)?,
            cpu_per_request: judged(cpu, noise[s].cpu_per_request, Better::Lower)?,
        })
    };
    let mut rows = Vec::new();
    for (s, scenario) in plan.scenarios.iter().enumerate() {
        for &server in &plan.servers {
            let mine: Vec<&Run> = runs
                .iter()
                .filter(|r| r.scenario == s && r.server == server)
                .collect();
            let rates: Vec<f64> = mine.iter().map(|r| r.round_trips_per_sec).collect();
            let served: u64 = mine
                .iter()
                .map(|r| r.round_trips + r.warmup_round_trips)
                .sum();
            let user: f64 = mine.iter().map(|r| r.server_user_secs).sum();
            let system: f64 = mine.iter().map(|r| r.server_system_secs).sum();
            let client: f64 = mine
                .iter()
                .map(|r| {
                    r.client_cpu_us_per_request * (r.round_trips + r.warmup_round_trips) as f64
                })
                .sum();
            let Some(rate) = Spread::of(rates) else {
                continue;
            };
            rows.push(Row {
                scenario: s,
                server,
                round_trips: mine.iter().map(|r| r.round_trips).sum(),
                lost: mine.iter().map(|r| r.lost).sum(),
                round_trips_per_sec: rate.median,
                round_trips_per_sec_min: rate.min,
                round_trips_per_sec_max: rate.max,
                bytes_per_sec: rate.median * scenario.size as f64,
                latency_us: Latency::of(&histograms[&(s, server.name())]),
                server_cpu_us_per_request: (user + system) * 1e6 / served as f64,
                server_system_share: system / (user + system),
                client_cpu_us_per_request: client / served as f64,
                vs_tokio: ratios(s, server, ServerKind::Tokio),
                vs_mio: ratios(s, server, ServerKind::Mio),
            });
        }
    }
    (noise, rows)
}
// ANCHOR_END: ratios

/// How long the plan takes, roughly (for the progress line).
pub fn estimate(plan: &Plan) -> Duration {
    let per_run = plan.warmup + plan.duration + Duration::from_millis(100);
    let runs: usize = (plan.scenarios.iter())
        .map(|s| plan.servers.iter().filter(|k| k.serves(s.proto)).count())
        .sum();
    per_run * (plan.rounds * runs) as u32
}

/// Seconds since `start`, for progress lines.
pub fn since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::harness::scenario::TARGETS;
    use crate::harness::verdict::Verdict;

    fn run(round: usize, server: ServerKind, rate: f64, cpu: f64) -> Run {
        let zero = Latency {
            p50: 1.0,
            p99: 1.0,
            p999: 1.0,
            max: 1.0,
        };
        Run {
            round,
            scenario: 0,
            server,
            round_trips: 1000,
            warmup_round_trips: 0,
            lost: 0,
            late: 0,
            elapsed_secs: 1.0,
            round_trips_per_sec: rate,
            bytes_per_sec: rate,
            latency_us: zero,
            server_user_secs: 0.0,
            server_system_secs: cpu * 1000.0 / 1e6,
            server_cpu_us_per_request: cpu,
            client_cpu_us_per_request: 1.0,
        }
    }

    /// A plan of the first target scenario, unpinned, that runs nothing.
    fn test_plan(servers: Vec<ServerKind>, rounds: usize) -> Plan {
        Plan {
            mode: "test".into(),
            command: "test".into(),
            scenarios: vec![TARGETS[0]],
            servers,
            rounds,
            warmup: Duration::ZERO,
            duration: Duration::ZERO,
            at_least: 0,
            server_bin: PathBuf::new(),
            pin: false,
        }
    }

    #[test]
    fn ratios_are_taken_within_a_round_and_judged_against_tokio_again() {
        let plan = test_plan(
            vec![ServerKind::Ours, ServerKind::Tokio, ServerKind::TokioAgain],
            3,
        );
        // The machine slows down by half in round 2, for every server. The
        // raw rates spread by 2×; the ratio within each round is 1.1 every
        // time, and that is what the row reports. tokio-again comes within
        // 2% of tokio, so 1.1× is outside the noise: ahead.
        let runs = vec![
            run(0, ServerKind::Ours, 110.0, 4.0),
            run(0, ServerKind::Tokio, 100.0, 5.0),
            run(0, ServerKind::TokioAgain, 102.0, 5.0),
            run(1, ServerKind::Ours, 55.0, 4.0),
            run(1, ServerKind::Tokio, 50.0, 5.0),
            run(1, ServerKind::TokioAgain, 49.5, 5.1),
            run(2, ServerKind::Ours, 100.0, 4.0),
            run(2, ServerKind::Tokio, 100.0 / 1.1, 5.0),
            run(2, ServerKind::TokioAgain, 100.0 / 1.1, 4.95),
        ];
        let mut histograms = BTreeMap::new();
        for server in ["ours", "tokio", "tokio-again"] {
            let mut h = latency_histogram();
            h.record(1000).unwrap();
            histograms.insert((0, server), h);
        }
        let (noise, rows) = summarize(&plan, &runs, &histograms);
        let band = noise[0].round_trips_per_sec.unwrap();
        assert!((band.factor - 1.02).abs() < 1e-9, "{band:?}");
        let ours = rows.iter().find(|r| r.server == ServerKind::Ours).unwrap();
        let vs_tokio = ours.vs_tokio.as_ref().unwrap();
        let rate = &vs_tokio.round_trips_per_sec;
        assert!((rate.spread.min - 1.1).abs() < 1e-9, "{rate:?}");
        assert!((rate.spread.max - 1.1).abs() < 1e-9, "{rate:?}");
        assert_eq!(rate.verdict, Some(Verdict::Ahead));
        let cpu = &vs_tokio.cpu_per_request;
        assert!((cpu.spread.median - 0.8).abs() < 1e-9, "{cpu:?}");
        assert_eq!(cpu.verdict, Some(Verdict::Ahead));
        assert!(ours.vs_mio.is_none(), "mio did not run");
        assert!((ours.server_cpu_us_per_request - 4.0).abs() < 1e-9);
        // tokio-again against tokio is the band itself: parity, always.
        let again = rows.iter().find(|r| r.server == ServerKind::TokioAgain);
        let again = again.unwrap().vs_tokio.as_ref().unwrap();
        assert_eq!(
            again.round_trips_per_sec.verdict,
            Some(Verdict::ParityWithinNoise)
        );
    }

    #[test]
    fn without_tokio_again_there_is_no_verdict() {
        let plan = test_plan(vec![ServerKind::Ours, ServerKind::Tokio], 1);
        let runs = vec![
            run(0, ServerKind::Ours, 200.0, 4.0),
            run(0, ServerKind::Tokio, 100.0, 5.0),
        ];
        let mut histograms = BTreeMap::new();
        for server in ["ours", "tokio"] {
            histograms.insert((0, server), latency_histogram());
        }
        let (noise, rows) = summarize(&plan, &runs, &histograms);
        assert!(noise[0].round_trips_per_sec.is_none());
        let ours = rows.iter().find(|r| r.server == ServerKind::Ours).unwrap();
        assert_eq!(
            ours.vs_tokio.as_ref().unwrap().round_trips_per_sec.verdict,
            None
        );
    }
}
