//! The harness end to end, in its smoke mode: every server, TCP and UDP,
//! one short round. It checks that the figures are there and sane (every
//! echo verified, throughput and CPU per request positive and finite, every
//! ratio with its spread and a verdict, the noise band measured, the
//! machine described, the JSON and the SVG well formed), never how fast
//! anything is or which verdict came out: speed is the benchmark's
//! business, and this runs on loaded CI machines.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

const HARNESS: &str = env!("CARGO_BIN_EXE_echo-bench");
const SERVER: &str = env!("CARGO_BIN_EXE_bench-server");

fn run_smoke(out: &Path) -> std::process::Output {
    Command::new(HARNESS)
        .args(["--mode", "smoke", "--server-bin", SERVER, "--out"])
        .arg(out)
        .output()
        .expect("run echo-bench")
}

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

// ANCHOR: quick_test
#[test]
fn smoke_mode_measures_every_server_with_verified_echoes() {
    testkit::watchdog(
        "smoke_mode_measures_every_server_with_verified_echoes",
        Duration::from_secs(180),
        || {
            let out = tempdir();
            let output = run_smoke(&out);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "echo-bench failed:\n{stderr}");

            let json = std::fs::read_to_string(out.join("results.json")).unwrap();
            let results: Value = serde_json::from_str(&json).expect("results.json parses");
            let mut servers = vec!["ours", "ours-threaded", "tokio", "mio", "tokio-mt1"];
            servers.extend(["tokio-mt2", "tokio-again"]);
            // Chapter 10's server, with each ring setup: TCP only, and
            // only where io_uring runs.
            let uring = ["uring", "uring-coop", "uring-defer", "uring-pollfirst"];
            let uring: &[&str] = if completion::probe().is_ok() {
                &uring
            } else {
                &[]
            };
            let rows = results["rows"].as_array().unwrap();
            let runs = results["runs"].as_array().unwrap();
            let expected = 2 * servers.len() + uring.len();
            assert_eq!(rows.len(), expected, "TCP and UDP, every server");
            assert_eq!(runs.len(), expected);
            for &server in uring {
                let of = |r: &&Value| r["server"] == server;
                assert_eq!(runs.iter().filter(of).count(), 1, "{server}: TCP only");
            }
            servers.extend(uring);
            for run in runs {
                let what = format!("{} in scenario {}", run["server"], run["scenario"]);
                // The generators fail the run on any wrong byte, so a run
                // that is here had all its echoes checked; there must have
                // been some, and none of them wrong.
                assert!(number(run, "round_trips") > 0.0, "{what}: no echoes");
                assert!(number(run, "round_trips_per_sec") > 0.0, "{what}");
                assert!(number(run, "bytes_per_sec") > 0.0, "{what}");
                // The kernel counts CPU time in ticks (10 ms): a short run
                // on a busy machine can read 0, which is a figure, not a bug.
                let cpu = number(run, "server_cpu_us_per_request");
                assert!(cpu.is_finite() && cpu >= 0.0, "{what}: CPU/request {cpu}");
                let latency = &run["latency_us"];
                assert!(number(latency, "p50") > 0.0, "{what}");
                assert!(number(latency, "p50") <= number(latency, "p999"), "{what}");
            }
            for row in rows {
                let server = row["server"].as_str().unwrap();
                assert!(servers.contains(&server), "unexpected server {server}");
                for figure in ["round_trips_per_sec", "cpu_per_request"] {
                    let ratio = &row["vs_tokio"][figure];
                    let spread = &ratio["spread"];
                    let (min, median, max) = (
                        number(spread, "min"),
                        number(spread, "median"),
                        number(spread, "max"),
                    );
                    assert!(
                        min.is_finite() && 0.0 < min && min <= median && median <= max,
                        "{server} {figure}: {spread}"
                    );
                    let rounds = spread["rounds"].as_array().unwrap();
                    assert_eq!(rounds.len(), 1, "{server} {figure}: one ratio per round");
                    // One round is below the verdict's minimum: whatever
                    // the ratio, it is no evidence.
                    assert_eq!(ratio["verdict"], "parity-within-noise", "{server} {figure}");
                }
            }
            for &server in &servers {
                let row = rows.iter().find(|r| r["server"] == server).unwrap();
                if server == "tokio" {
                    let spread = &row["vs_tokio"]["round_trips_per_sec"]["spread"];
                    assert_eq!(number(spread, "median"), 1.0);
                }
            }
            // The noise band, per scenario and figure, from tokio-again.
            let noise = results["noise"].as_array().unwrap();
            assert_eq!(noise.len(), 2);
            for band in noise {
                for figure in ["round_trips_per_sec", "cpu_per_request"] {
                    let factor = number(&band[figure], "factor");
                    assert!(factor.is_finite() && factor >= 1.0, "{band}");
                }
            }
            // What can skew a run is recorded (steal time may be missing
            // from /proc/stat in some sandbox; frequency often is).
            let machine = &results["machine"];
            assert!(!machine["kernel"].as_str().unwrap().is_empty());
            assert!(machine["started_utc"].as_str().unwrap().ends_with(" UTC"));
            assert!(!machine["load_before"].as_str().unwrap().is_empty());
            if !machine["steal"].is_null() {
                assert!(number(&machine["steal"], "secs") >= 0.0);
            }
            let command = results["command"].as_str().unwrap();
            assert!(command.starts_with("echo-bench --mode smoke"), "{command}");

            let svg = std::fs::read_to_string(out.join("results.svg")).unwrap();
            assert_well_formed(&svg);
            for &server in &servers {
                assert!(
                    svg.contains(&format!(">{server}<")),
                    "{server} not in the legend"
                );
            }
            let table = std::fs::read_to_string(out.join("results.txt")).unwrap();
            assert!(table.contains("tcp 64×512 B d1") && table.contains("udp 64×512 B d1"));
            assert!(table.contains("noise band (tokio-again against tokio"));
            // The excerpts the chapter quotes: the targets, and one line
            // per scenario for ours-threaded.
            let targets = std::fs::read_to_string(out.join("targets.txt")).unwrap();
            assert_eq!(targets.lines().count(), 6, "{targets}");
            assert!(table.ends_with(&targets), "the table ends with the targets");
            let threaded = std::fs::read_to_string(out.join("ours-threaded.txt")).unwrap();
            assert_eq!(threaded.lines().count(), 2, "{threaded}");

            // The curve runs the book's runtime, tokio and mio, and
            // tokio-again for its noise band.
            check_curve(&out, &results, &["ours", "tokio", "mio", "tokio-again"]);
        },
    );
}
// ANCHOR_END: quick_test

// ANCHOR: curve_test
/// The open-loop curve of the same smoke run: every server at every
/// offered load, every count consistent (each request due in the window
/// echoed or counted unsent, achieved never above offered), the offered
/// loads the fractions of tokio's closed-loop rate in the table of the
/// same run, and the files the chapter includes written and well formed.
fn check_curve(out: &Path, results: &Value, servers: &[&str]) {
    let json = std::fs::read_to_string(out.join("latency-curve.json")).unwrap();
    let curve: Value = serde_json::from_str(&json).expect("latency-curve.json parses");
    let fractions: Vec<f64> = curve["fractions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_f64().unwrap())
        .collect();
    assert_eq!(fractions, [0.25, 0.5, 0.75, 0.9]);
    // tokio's maximum is the one the table measured in this run.
    let base = &curve["base"];
    assert_eq!(base["source"], "table");
    let tokio_tcp = results["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["server"] == "tokio" && r["scenario"] == 0)
        .unwrap();
    assert_eq!(
        number(base, "round_trips_per_sec"),
        number(tokio_tcp, "round_trips_per_sec")
    );
    // The curve runs on the same machine set-up as the table: as many
    // CPUs, the server and the client pinned the same way (or neither).
    assert_eq!(curve["machine"]["cpus"], results["machine"]["cpus"]);
    assert_eq!(curve["machine"]["pinned"], results["machine"]["pinned"]);
    let window = number(&curve, "duration_secs");
    let runs = curve["runs"].as_array().unwrap();
    assert_eq!(runs.len(), fractions.len() * servers.len());
    for run in runs {
        let what = format!("{} at point {}", run["server"], run["point"]);
        let (scheduled, echoed, unsent, held_back) = (
            number(run, "scheduled"),
            number(run, "round_trips"),
            number(run, "unsent"),
            number(run, "held_back"),
        );
        assert!(echoed > 0.0, "{what}: no echoes");
        assert_eq!(echoed + unsent, scheduled, "{what}");
        assert!(held_back <= scheduled, "{what}");
        let (offered, achieved) = (
            number(run, "offered_per_sec"),
            number(run, "achieved_per_sec"),
        );
        assert!(0.0 < achieved && achieved <= offered, "{what}");
        // The offered load is the fraction of tokio's rate, give or take
        // the one request a window's edge can add or cut.
        let fraction = fractions[number(run, "point") as usize];
        let wanted = fraction * number(base, "round_trips_per_sec");
        assert!(
            (offered - wanted).abs() <= 2.0 / window,
            "{what}: {offered} vs {wanted}"
        );
        let l = &run["latency_us"];
        assert!(
            0.0 < number(l, "p50") && number(l, "p50") <= number(l, "p99"),
            "{what}"
        );
        assert!(number(l, "p99") <= number(l, "p999") && number(l, "p999") <= number(l, "max"));
        let cpu = number(run, "server_cpu_us_per_request");
        assert!(cpu.is_finite() && cpu >= 0.0, "{what}: CPU/request {cpu}");
        let slip = number(run, "client_slip_p99_us");
        assert!(slip.is_finite() && slip >= 0.0, "{what}: slip {slip}");
    }
    let points = curve["points"].as_array().unwrap();
    assert_eq!(points.len(), fractions.len() * servers.len());
    let table = std::fs::read_to_string(out.join("latency-curve.txt")).unwrap();
    for pct in ["25%", "50%", "75%", "90%"] {
        assert!(
            table.contains(&format!("offered {pct} of tokio's maximum")),
            "{pct}"
        );
    }
    // The headline: one line per server under its heading, and the table
    // ends with it.
    let headline = std::fs::read_to_string(out.join("cpu-headline.txt")).unwrap();
    assert_eq!(headline.lines().count(), 1 + servers.len(), "{headline}");
    assert!(
        table.ends_with(&headline),
        "the curve's table ends with the headline"
    );
    let svg = std::fs::read_to_string(out.join("latency-curve.svg")).unwrap();
    assert_well_formed(&svg);
    // A mark per server, offered load and percentile (p50, p99, p99.9).
    let marks = svg.matches("<circle ").count();
    assert_eq!(marks, 3 * fractions.len() * servers.len());
    for server in servers {
        assert!(
            svg.contains(&format!(">{server}<")),
            "{server} not in the legend"
        );
    }
}
// ANCHOR_END: curve_test

/// A fresh directory under the target dir (kept, for a look after a failure).
fn tempdir() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("quick-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every tag opened is closed, in order, and the root is one `<svg>`.
fn assert_well_formed(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("a tag is closed with >");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                open.pop(),
                Some(name.trim()),
                "</{name}> closes the wrong tag"
            );
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().expect("a tag name");
            if open.is_empty() {
                assert_eq!(name, "svg", "the root element");
                assert!(svg.trim_start().starts_with("<svg"), "nothing before <svg>");
            }
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed tags: {open:?}");
    assert!(svg.trim_end().ends_with("</svg>"));
}

#[test]
fn the_well_formedness_check_rejects_a_broken_svg() {
    let broken = std::panic::catch_unwind(|| assert_well_formed("<svg><g></svg>"));
    assert!(broken.is_err());
    assert_well_formed("<svg><g><rect/></g></svg>");
}
