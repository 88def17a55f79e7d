//! `cargo run --release -p performance --bin micro-bench -- --mode full`:
//! the executor micro-benchmarks (`spawn_many`, `yield_many`, `ping_pong`,
//! `chained_spawn`) for the book's two runtimes, tokio's `current_thread`
//! and smol's `LocalExecutor`, each run in a process of its own pinned to
//! one core, interleaved round after round. Writes `micro.txt` and
//! `micro.json` to `--out`.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use performance::micro::contestants::{CountingAlloc, Sample};
use performance::micro::report::{self, Measurement};
use performance::micro::{Bench, Contestant};
use performance::process::{OneCpu, allowed_cpus};
use udp_echo::cli;

/// Counts heap allocations in one run per child (see `CountingAlloc`).
#[global_allocator]
static ALLOCATIONS: CountingAlloc = CountingAlloc::new();

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// About ten seconds: three rounds, short runs.
    Quick,
    /// The chapter's table: seven rounds, about a minute.
    Full,
}

// ANCHOR: args
/// Executor micro-benchmarks on one core: the book's runtimes against
/// tokio's current-thread runtime and smol's LocalExecutor.
#[derive(Parser, Debug)]
#[command(name = "micro-bench", version)]
struct Args {
    #[arg(long, value_enum, default_value_t = Mode::Quick)]
    mode: Mode,
    /// Rounds (every contestant once per benchmark per round); default
    /// per mode.
    #[arg(long)]
    rounds: Option<usize>,
    /// Seconds of timed runs per child process; default per mode.
    #[arg(long, value_name = "SECS")]
    budget: Option<f64>,
    /// Only these benchmarks (repeat the option; default: all four).
    #[arg(long = "bench", value_enum)]
    benches: Vec<Bench>,
    /// Only these contestants (repeat the option; default: all six).
    #[arg(long = "contestant", value_enum)]
    contestants: Vec<Contestant>,
    /// Where to write micro.txt and micro.json (default:
    /// target/micro-bench in the workspace).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not pin the child processes to one core.
    #[arg(long)]
    no_pin: bool,
    /// Measure even though this is a debug build.
    #[arg(long)]
    allow_debug: bool,
    /// Internal: be the child that measures this contestant on `--bench`
    /// and prints its figures as JSON.
    #[arg(long, value_enum, hide = true)]
    child: Option<Contestant>,
}
// ANCHOR_END: args

const DEBUG_BUILD: &str = "micro-bench: this is a debug build: its figures measure unoptimised \
     code, not the runtimes. Run `cargo run --release -p performance --bin micro-bench` for figures";

fn main() -> ExitCode {
    let args = Args::parse();
    cli::run(|| match args.child {
        Some(who) => child(&args, who),
        None => parent(&args),
    })
}

fn budget(args: &Args) -> anyhow::Result<Duration> {
    let secs = args.budget.unwrap_or(match args.mode {
        Mode::Quick => 0.05,
        Mode::Full => 0.3,
    });
    Duration::try_from_secs_f64(secs).context("--budget: a duration in seconds")
}

/// Measures one contestant on one benchmark, prints the sample.
fn child(args: &Args, who: Contestant) -> anyhow::Result<()> {
    let [bench] = args.benches[..] else {
        bail!("--child needs exactly one --bench");
    };
    let sample = who.measure(bench, bench.default_size(), budget(args)?, &ALLOCATIONS)?;
    println!("{}", serde_json::to_string(&sample)?);
    Ok(())
}

// ANCHOR: child_process
/// One child: a fresh process (so a fresh runtime, heap and caches),
/// pinned to `cpu`, measuring `who` on `bench`.
fn spawn_child(
    args: &Args,
    who: Contestant,
    bench: Bench,
    cpu: Option<OneCpu>,
) -> anyhow::Result<Sample> {
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["--child", who.name(), "--bench", bench.name()]);
    command.args(["--budget", &budget(args)?.as_secs_f64().to_string()]);
    command.stdout(Stdio::piped()).stderr(Stdio::inherit());
    if let Some(cpu) = cpu {
        // SAFETY: the hook runs between fork and exec, and makes one system
        // call on a set built before the fork: no allocation, no lock.
        unsafe {
            command.pre_exec(move || cpu.pin_current_thread());
        }
    }
    let output = command.output().context("start a child")?;
    if !output.status.success() {
        bail!("{who} on {bench} failed ({})", output.status);
    }
    let line = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(line.trim()).with_context(|| format!("{who} on {bench}: {line}"))
}
// ANCHOR_END: child_process

fn parent(args: &Args) -> anyhow::Result<()> {
    let debug = cfg!(debug_assertions);
    anyhow::ensure!(
        !debug || args.allow_debug,
        "{DEBUG_BUILD} (or pass --allow-debug to measure anyway)."
    );
    let rounds = args
        .rounds
        .unwrap_or(match args.mode {
            Mode::Quick => 3,
            Mode::Full => 7,
        })
        .max(1);
    let benches = if args.benches.is_empty() {
        Bench::ALL.to_vec()
    } else {
        args.benches.clone()
    };
    let contestants = if args.contestants.is_empty() {
        Contestant::ALL.to_vec()
    } else {
        args.contestants.clone()
    };
    // The last core this process may use: the first is where the
    // machine's own daemons usually land.
    let core = allowed_cpus().last().copied().unwrap_or(0);
    let cpu = (!args.no_pin).then(|| OneCpu::new(core));
    let start = Instant::now();
    let mut all = Vec::new();
    // ANCHOR: rounds
    for round in 0..rounds {
        for &bench in &benches {
            for &who in &contestants {
                let sample = spawn_child(args, who, bench, cpu)?;
                eprintln!(
                    "[{:>5.1} s] round {}/{rounds} {bench:<13} {who:<11} {:>10.1} us ({} runs)",
                    start.elapsed().as_secs_f64(),
                    round + 1,
                    sample.median_nanos / 1e3,
                    sample.timed_runs,
                );
                all.push(Measurement {
                    round,
                    bench,
                    contestant: who,
                    sample,
                });
            }
        }
    }
    // ANCHOR_END: rounds
    let summaries: Vec<_> = benches
        .iter()
        .filter_map(|&b| report::summarize(&all, b, b.default_size()))
        .collect();
    let command: Vec<String> = std::iter::once("micro-bench".to_string())
        .chain(std::env::args().skip(1))
        .collect();
    let header = vec![
        format!("command: {}", command.join(" ")),
        format!(
            "{} rounds; each contestant in its own process, {}; {} s of timed runs per process{}",
            rounds,
            if cpu.is_some() {
                format!("pinned to cpu {core}")
            } else {
                "not pinned".to_string()
            },
            budget(args)?.as_secs_f64(),
            if debug { "; DEBUG BUILD" } else { "" },
        ),
    ];
    let table = report::text(&header, &summaries);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| performance::default_out().with_file_name("micro-bench"));
    fs::create_dir_all(&out).with_context(|| format!("create {}", out.display()))?;
    fs::write(out.join("micro.txt"), &table)?;
    let json = serde_json::json!({
        "command": command.join(" "),
        "rounds": rounds,
        "pinned_cpu": cpu.map(|_| core),
        "summaries": summaries,
        "measurements": all,
    });
    fs::write(
        out.join("micro.json"),
        serde_json::to_string_pretty(&json)? + "\n",
    )?;
    print!("{table}");
    eprintln!(
        "micro-bench: wrote micro.txt and micro.json to {}",
        out.display()
    );
    Ok(())
}
