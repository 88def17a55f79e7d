//! From per-round times to ratios and verdicts, and the table that shows
//! them (`output/micro.txt`).
//!
//! Per benchmark, the yardstick is the *faster* of the two peers (tokio or
//! smol, by median time over the rounds). Each round gives one ratio, the
//! contestant's time over that peer's time in the same round; the rounds'
//! ratios give the spread, and the noise band is how far apart `tokio`
//! and `tokio-again`, and `smol` and `smol-again`, came in any round of
//! that benchmark. The rule that turns them into a verdict is the echo
//! harness's ([`verdict`]): for a time, lower is better.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::contestants::{Contestant, Sample};
use super::workload::{Bench, Size};
use crate::harness::{Better, NoiseBand, Spread, Verdict, verdict};

/// One child process's figures.
#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    pub round: usize,
    pub bench: Bench,
    pub contestant: Contestant,
    pub sample: Sample,
}

/// One benchmark, summed up.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub bench: Bench,
    pub size: Size,
    /// The peer the ratios are taken against.
    pub faster_peer: Contestant,
    /// From the `-again` copies; `None` with fewer than one round of them.
    pub band: Option<NoiseBand>,
    pub rows: Vec<Row>,
    /// For `ours` and `executor`, against `faster_peer`.
    pub ratios: Vec<Ratio>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub contestant: Contestant,
    /// Median over the rounds of each round's median run, in µs.
    pub median_us: f64,
    /// Heap allocations per spawned task, in the counted run.
    pub allocations_per_task: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ratio {
    pub contestant: Contestant,
    pub spread: Spread,
    pub verdict: Verdict,
}

fn times(all: &[Measurement], bench: Bench, who: Contestant) -> BTreeMap<usize, f64> {
    all.iter()
        .filter(|m| m.bench == bench && m.contestant == who)
        .map(|m| (m.round, m.sample.median_nanos))
        .collect()
}

/// Per-round ratios of `a` to `b`, over the rounds both ran.
fn per_round(a: &BTreeMap<usize, f64>, b: &BTreeMap<usize, f64>) -> Vec<f64> {
    a.iter()
        .filter_map(|(round, ta)| b.get(round).map(|tb| ta / tb))
        .collect()
}

fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    Spread::of(values.into_iter().collect()).map(|s| s.median)
}

// ANCHOR: summarize
/// Sums up one benchmark; `None` if neither peer ran it.
pub fn summarize(all: &[Measurement], bench: Bench, size: Size) -> Option<Summary> {
    let time = |who| times(all, bench, who);
    let peers = [Contestant::Tokio, Contestant::Smol];
    let faster_peer = peers
        .into_iter()
        .filter_map(|p| median(time(p).into_values()).map(|m| (p, m)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?
        .0;
    let mut identical = per_round(&time(Contestant::Tokio), &time(Contestant::TokioAgain));
    identical.extend(per_round(
        &time(Contestant::Smol),
        &time(Contestant::SmolAgain),
    ));
    let band = NoiseBand::of(&identical);
    let peer = time(faster_peer);
    let ratios = [Contestant::Ours, Contestant::Executor]
        .into_iter()
        .filter_map(|who| {
            let rounds = per_round(&time(who), &peer);
            let spread = Spread::of(rounds)?;
            // No band measured: no verdict but parity.
            let verdict = match band {
                Some(band) => verdict(&spread.rounds, band, Better::Lower),
                None => Verdict::ParityWithinNoise,
            };
            Some(Ratio {
                contestant: who,
                spread,
                verdict,
            })
        })
        .collect();
    let rows = Contestant::ALL
        .into_iter()
        .filter_map(|who| {
            let median_us = median(time(who).into_values())? / 1e3;
            let counted = all
                .iter()
                .rfind(|m| m.bench == bench && m.contestant == who)?;
            let tasks = counted.sample.tally.spawned.max(1) as f64;
            Some(Row {
                contestant: who,
                median_us,
                allocations_per_task: counted.sample.allocations as f64 / tasks,
            })
        })
        .collect();
    Some(Summary {
        bench,
        size,
        faster_peer,
        band,
        rows,
        ratios,
    })
}
// ANCHOR_END: summarize

fn describe(bench: Bench, size: Size) -> String {
    match bench {
        Bench::SpawnMany => format!("{} tasks", size.n),
        Bench::YieldMany => format!("{} tasks x {} yields", size.n, size.k),
        Bench::PingPong => format!("{} pairs", size.n),
        Bench::ChainedSpawn => format!("{} deep", size.n),
    }
}

/// The table: `header` lines first (what ran, where, how), then per
/// benchmark the median times, the allocations per task, and the ratios.
pub fn text(header: &[String], summaries: &[Summary]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "median time of one run, in microseconds (heap allocations per task)"
    );
    let _ = write!(out, "{:<15} {:<22}", "benchmark", "size");
    for who in Contestant::ALL {
        let _ = write!(out, " {:>15}", who.name());
    }
    let _ = writeln!(out);
    for s in summaries {
        let _ = write!(
            out,
            "{:<15} {:<22}",
            s.bench.name(),
            describe(s.bench, s.size)
        );
        for who in Contestant::ALL {
            let cell = match s.rows.iter().find(|r| r.contestant == who) {
                Some(r) => format!("{:.1} ({:.1})", r.median_us, r.allocations_per_task),
                None => "-".to_string(),
            };
            let _ = write!(out, " {cell:>15}");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "time / the faster peer's time, per round: median (min-max); below 1.00 is faster"
    );
    let _ = writeln!(
        out,
        "{:<15} {:<12} {:>6}   {:<32} {:<32}",
        "benchmark", "faster peer", "band", "ours", "executor"
    );
    for s in summaries {
        let band = s
            .band
            .map_or("-".to_string(), |b| format!("{:.3}", b.factor));
        let cell = |who| match s.ratios.iter().find(|r| r.contestant == who) {
            Some(r) => format!(
                "{:.2} ({:.2}-{:.2}) {}",
                r.spread.median,
                r.spread.min,
                r.spread.max,
                r.verdict.words()
            ),
            None => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "{:<15} {:<12} {:>6}   {:<32} {:<32}",
            s.bench.name(),
            s.faster_peer.name(),
            band,
            cell(Contestant::Ours),
            cell(Contestant::Executor)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::micro::workload::Tally;

    fn m(round: usize, contestant: Contestant, micros: f64) -> Measurement {
        Measurement {
            round,
            bench: Bench::SpawnMany,
            contestant,
            sample: Sample {
                median_nanos: micros * 1e3,
                timed_runs: 5,
                allocations: 30,
                tally: Tally {
                    spawned: 10,
                    ..Tally::default()
                },
            },
        }
    }

    fn run(ours: [f64; 3]) -> Vec<Measurement> {
        (0..3)
            .flat_map(|r| {
                [
                    m(r, Contestant::Ours, ours[r]),
                    m(r, Contestant::Tokio, 200.0),
                    m(r, Contestant::TokioAgain, 202.0),
                    m(r, Contestant::Smol, 100.0),
                    m(r, Contestant::SmolAgain, 99.0),
                ]
            })
            .collect()
    }

    #[test]
    fn the_ratio_is_taken_against_the_faster_peer_round_by_round() {
        let size = Bench::SpawnMany.default_size();
        let s = summarize(&run([80.0, 90.0, 85.0]), Bench::SpawnMany, size).unwrap();
        assert_eq!(s.faster_peer, Contestant::Smol);
        let ours = &s.ratios[0];
        assert_eq!(ours.spread.rounds, [0.8, 0.9, 0.85]);
        assert_eq!(ours.verdict, Verdict::Ahead);
        // smol / smol-again: 100 / 99, the wider of the two copies.
        assert!((s.band.unwrap().factor - 100.0 / 99.0).abs() < 1e-9);
        assert_eq!(s.rows[0].allocations_per_task, 3.0);
        // No executor measured: no ratio for it, and a dash in the table.
        assert_eq!(s.ratios.len(), 1);
        assert!(text(&[], &[s]).contains("0.85 (0.80-0.90) ahead"));
    }

    #[test]
    fn a_round_inside_the_band_withholds_the_verdict() {
        let size = Bench::SpawnMany.default_size();
        let s = summarize(&run([80.0, 100.5, 85.0]), Bench::SpawnMany, size).unwrap();
        assert_eq!(s.ratios[0].verdict, Verdict::ParityWithinNoise);
        let s = summarize(&run([120.0, 130.0, 125.0]), Bench::SpawnMany, size).unwrap();
        assert_eq!(s.ratios[0].verdict, Verdict::Behind);
    }
}
