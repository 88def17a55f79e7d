//! `cargo run --release -p performance -- --mode quick`: runs every echo
//! server against the same load generator, interleaved, and writes the
//! table, the JSON and the chart.

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, ValueEnum};
use performance::harness::curve::{self, CurvePlan, FRACTIONS, HEADLINE};
use performance::harness::{self, Plan, Scenario, TARGETS};
use performance::{Proto, ServerKind, report};
use udp_echo::cli;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// A few seconds in all: one short round, for the test that checks the
    /// harness works, not for figures.
    Smoke,
    /// Under a minute: three rounds of the two target scenarios (the
    /// fewest that can give a verdict other than "parity within noise"),
    /// with the servers of [`QUICK_SERVERS`].
    Quick,
    /// The chapter's table: seven rounds of four scenarios, a few minutes.
    Full,
}

// ANCHOR: args
/// Echo servers compared in one interleaved run: the book's runtime (and
/// its reactor-thread variant), tokio's current-thread runtime, and a raw
/// mio loop, over TCP and UDP, with the same load generator for all.
#[derive(Parser, Debug)]
#[command(name = "echo-bench", version)]
struct Args {
    #[arg(long, value_enum, default_value_t = Mode::Quick)]
    mode: Mode,
    /// Rounds (every server once per scenario per round); default per mode.
    #[arg(long)]
    rounds: Option<usize>,
    /// Measured seconds per run; default per mode.
    #[arg(long, value_name = "SECS")]
    duration: Option<f64>,
    /// Warm-up seconds per run (echoes checked, not counted); default per mode.
    #[arg(long, value_name = "SECS")]
    warmup: Option<f64>,
    /// Only these load shapes, as PROTO:CONNECTIONSxBYTESxDEPTH (repeat the
    /// option; default: the mode's).
    #[arg(long = "scenario", value_name = "SHAPE", value_parser = Scenario::parse)]
    scenarios: Vec<Scenario>,
    /// Only these servers (repeat the option; default: all of them, tokio
    /// twice, as `tokio` and `tokio-again`, for the noise band; in the quick
    /// mode, those of its targets and one of each other design).
    #[arg(long = "server", value_enum)]
    servers: Vec<ServerKind>,
    /// Where to write results.json, results.txt and results.svg
    /// (default: target/echo-bench in the workspace).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The bench-server binary (default: next to this one).
    #[arg(long, value_name = "PATH")]
    server_bin: Option<PathBuf>,
    /// Also measure the latency curve (open loop, at fractions of tokio's
    /// closed-loop maximum); the default in the smoke and full modes.
    #[arg(long, conflicts_with = "no_curve")]
    curve: bool,
    /// Do not measure the latency curve.
    #[arg(long)]
    no_curve: bool,
    /// Measure only the latency curve, not the table (tokio's closed-loop
    /// maximum is then measured first, on its own).
    #[arg(long, conflicts_with = "no_curve")]
    curve_only: bool,
    /// Rounds of the curve; default per mode.
    #[arg(long, value_name = "N")]
    curve_rounds: Option<usize>,
    /// Do not pin the server and the client to different cores.
    #[arg(long)]
    no_pin: bool,
    /// Measure even though this is a debug build (the figures then describe
    /// unoptimised code, not the runtimes).
    #[arg(long)]
    allow_debug: bool,
}
// ANCHOR_END: args

// ANCHOR: modes
fn plan(args: &Args) -> anyhow::Result<Plan> {
    let (rounds, warmup, duration, scenarios) = match args.mode {
        Mode::Smoke => (1, 0.1, 0.3, TARGETS.to_vec()),
        Mode::Quick => (3, 0.3, 1.0, TARGETS.to_vec()),
        Mode::Full => {
            let mut all = TARGETS.to_vec();
            // One connection: every request pays the whole path alone,
            // nothing to batch. And deep pipelines: many per wake.
            all.push(Scenario::new(Proto::Tcp, 1, 64, 1));
            all.push(Scenario::new(Proto::Tcp, 64, 512, 8));
            // Seven rounds, so that a spread of per-round ratios has
            // enough rounds to mean something; short runs, so that seven
            // rounds of eleven servers stay near twelve minutes.
            (7, 0.5, 2.0, all)
        }
    };
    let secs = |s: f64| Duration::try_from_secs_f64(s).context("a duration in seconds");
    let server_bin = match &args.server_bin {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("bench-server"),
    };
    Ok(Plan {
        mode: format!("{:?}", args.mode).to_lowercase(),
        command: command_line(),
        scenarios: if args.scenarios.is_empty() {
            scenarios
        } else {
            args.scenarios.clone()
        },
        servers: if !args.servers.is_empty() {
            args.servers.clone()
        } else if args.mode == Mode::Quick {
            (ServerKind::available().into_iter())
                .filter(|server| QUICK_SERVERS.contains(server))
                .collect()
        } else {
            ServerKind::available()
        },
        rounds: args.rounds.unwrap_or(rounds).max(1),
        warmup: secs(args.warmup.unwrap_or(warmup))?,
        duration: secs(args.duration.unwrap_or(duration))?,
        // The smoke mode's runs are a few tenths of a second: on a busy
        // machine (its test's), that can be no echo at all, or a server CPU
        // time of no tick. A hundred messages per connection give every run
        // some 6,400 round trips, however long they take.
        at_least: if args.mode == Mode::Smoke { 100 } else { 0 },
        server_bin,
        pin: !args.no_pin,
    })
}
// ANCHOR_END: modes

// ANCHOR: curve_modes
/// The latency curve's plan, or `None` when this run has no curve: smoke
/// runs it briefly (its test checks the open-loop path works), quick
/// leaves it out (to stay under a minute), full runs five rounds.
fn curve_plan(args: &Args) -> anyhow::Result<Option<CurvePlan>> {
    let (on, rounds, warmup, duration) = match args.mode {
        Mode::Smoke => (true, 1, 0.1, 0.3),
        Mode::Quick => (false, 3, 0.3, 1.0),
        Mode::Full => (true, 5, 0.5, 2.0),
    };
    if args.no_curve || !(on || args.curve || args.curve_only) {
        return Ok(None);
    }
    let secs = |s: f64| Duration::try_from_secs_f64(s).context("a duration in seconds");
    Ok(Some(CurvePlan {
        scenario: TARGETS[0],
        fractions: FRACTIONS.to_vec(),
        headline: HEADLINE,
        rounds: args.curve_rounds.unwrap_or(rounds).max(1),
        // --warmup and --duration set the curve's runs as well as the
        // table's; only the rounds have an option of their own.
        warmup: secs(args.warmup.unwrap_or(warmup))?,
        duration: secs(args.duration.unwrap_or(duration))?,
    }))
}
// ANCHOR_END: curve_modes

/// The quick mode's servers: those its targets compare (ours, tokio twice
/// for the noise band, mio) and one of each other design (the reactor
/// thread, io_uring with its defaults), so that it stays under a minute.
const QUICK_SERVERS: [ServerKind; 6] = [
    ServerKind::Ours,
    ServerKind::OursThreaded,
    ServerKind::Tokio,
    ServerKind::Mio,
    ServerKind::Uring,
    ServerKind::TokioAgain,
];

/// How this process was started, as `echo-bench --mode full ...`, to be
/// recorded with its results.
fn command_line() -> String {
    std::iter::once("echo-bench".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Said when the harness is a debug build: its figures would measure the
/// compiler's unoptimised code.
const DEBUG_BUILD: &str = "echo-bench: this is a debug build: its figures measure unoptimised \
     code, not the runtimes. Run `cargo run --release -p performance` for figures";

fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| {
        let debug = cfg!(debug_assertions);
        // Smoke mode only checks that the harness works (its test runs in a
        // debug build); every other mode is for figures.
        anyhow::ensure!(
            !debug || args.mode == Mode::Smoke || args.allow_debug,
            "{DEBUG_BUILD} (or pass --allow-debug to measure anyway)."
        );
        if debug {
            eprintln!("{DEBUG_BUILD}.");
        }
        // Before the table's run pins this thread to one CPU: the curve
        // needs to know the others too.
        let cpus = performance::process::allowed_cpus();
        let plan = plan(&args)?;
        anyhow::ensure!(
            plan.server_bin.exists(),
            "no server binary at {} (build it: cargo build --release -p performance)",
            plan.server_bin.display()
        );
        let curve_plan = curve_plan(&args)?;
        let table_secs = if args.curve_only {
            0.0
        } else {
            harness::estimate(&plan).as_secs_f64()
        };
        let curve_secs = curve_plan
            .as_ref()
            .map_or(0.0, |c| curve::estimate(&plan, c).as_secs_f64());
        eprintln!(
            "echo-bench: {} mode, about {:.0} s (table {table_secs:.0} s, curve {curve_secs:.0} s)",
            plan.mode,
            table_secs + curve_secs
        );
        let start = Instant::now();
        let progress = |line: &str| eprintln!("[{:>5.1} s] {line}", harness::since(start));
        let out = args.out.clone().unwrap_or_else(performance::default_out);
        fs::create_dir_all(&out).with_context(|| format!("create {}", out.display()))?;
        let write = |name: &str, text: &str| {
            let path = out.join(name);
            fs::write(&path, text).with_context(|| format!("write {}", path.display()))
        };
        let mut base = None;
        if !args.curve_only {
            let results = harness::run(&plan, progress)?;
            let table = report::table(&results);
            write("results.json", &serde_json::to_string_pretty(&results)?)?;
            write("results.txt", &table)?;
            write("results.svg", &report::svg(&results))?;
            // Small excerpts the chapter quotes whole, so that no quote can
            // drift to other lines when the table changes.
            write("targets.txt", &report::targets(&results))?;
            write(
                "ours-threaded.txt",
                &report::server_summary(&results, ServerKind::OursThreaded),
            )?;
            write("uring.txt", &report::uring_target(&results))?;
            let mt = [ServerKind::TokioMt1, ServerKind::TokioMt2];
            let mt = mt
                .map(|kind| report::server_summary(&results, kind))
                .concat();
            write("tokio-mt.txt", &mt)?;
            print!("{table}");
            eprintln!(
                "echo-bench: wrote results.{{json,txt,svg}}, targets.txt, ours-threaded.txt, \
                 uring.txt and tokio-mt.txt in {}",
                shown(&out).display()
            );
            base = curve_plan
                .as_ref()
                .and_then(|c| curve::base_from_table(&results, &c.scenario));
        }
        if let Some(curve_plan) = &curve_plan {
            let curve = curve::run(&plan, curve_plan, base, &cpus, progress)?;
            let table = report::curve_table(&curve);
            write("latency-curve.json", &serde_json::to_string_pretty(&curve)?)?;
            write("latency-curve.txt", &table)?;
            write("latency-curve.svg", &report::curve_svg(&curve))?;
            write("cpu-headline.txt", &report::headline(&curve))?;
            print!("{table}");
            eprintln!(
                "echo-bench: wrote latency-curve.{{json,txt,svg}} and cpu-headline.txt in {}",
                shown(&out).display()
            );
        }
        if debug {
            eprintln!("{DEBUG_BUILD}.");
        }
        Ok(())
    })
}

/// `path` relative to the current directory when it is inside it (as
/// `target/echo-bench` from the workspace root), else as it is.
fn shown(path: &std::path::Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(here).ok().map(PathBuf::from))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}
