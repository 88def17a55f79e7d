//! Building exercise test binaries once and running them with a time limit.
//!
//! Running `cargo test` once per exercise would pay cargo's start-up and
//! fingerprinting for every one; instead each package's test targets are
//! built once (`cargo test --no-run --message-format=json` reports where the
//! executables are) and the executables are run directly, in parallel, each
//! killed if it outlives its time limit: a hung runtime must be a failure, not
//! a stuck terminal.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::list::{Exercise, SOLUTIONS_FEATURE, TESTS_FEATURE};
use crate::workspace::cargo_binary;

/// The test executables of one package built with one feature set.
#[derive(Debug, Default)]
pub struct TestBuild {
    /// Test target name → executable.
    pub executables: HashMap<String, PathBuf>,
    /// The compiler's errors when the build failed; `None` when it succeeded.
    pub error: Option<String>,
}

/// Builds the test targets of `package` with `features`, in `target_dir`.
///
/// `target_dir` should not be the directory of a cargo that is running us.
/// Cargo 1.95 on Linux releases its build-directory lock before it runs the
/// program or the tests (checked: a nested build in the same directory
/// completes), but older cargos hold it while tests run, and on Windows
/// `cargo run` waits for its child with the lock held: a nested cargo there
/// would print "Blocking waiting for file lock" and wait for ever. A separate
/// directory also keeps exercise builds from churning the reader's own.
fn build(
    root: &Path,
    target_dir: &Path,
    package: &str,
    features: &str,
    test: Option<&str>,
) -> anyhow::Result<TestBuild> {
    let output = Command::new(cargo_binary())
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .args([
            "test",
            "--quiet",
            "--package",
            package,
            "--features",
            features,
        ])
        .args(test.map(|t| ["--test", t]).into_iter().flatten())
        .args(["--no-run", "--message-format=json"])
        .stdin(Stdio::null())
        .output()
        .context("could not run cargo")?;
    let mut build = TestBuild::default();
    let mut errors = String::new();
    for message in cargo_metadata::Message::parse_stream(&output.stdout[..]) {
        match message.context("unreadable cargo JSON output")? {
            cargo_metadata::Message::CompilerArtifact(artifact) => {
                if let Some(exe) = artifact.executable
                    && artifact
                        .target
                        .kind
                        .contains(&cargo_metadata::TargetKind::Test)
                {
                    build
                        .executables
                        .insert(artifact.target.name.to_string(), exe.into_std_path_buf());
                }
            }
            cargo_metadata::Message::CompilerMessage(message) => {
                if message.message.level == cargo_metadata::diagnostic::DiagnosticLevel::Error
                    && let Some(rendered) = &message.message.rendered
                {
                    errors.push_str(rendered);
                }
            }
            _ => {}
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        errors.push_str(stderr.trim());
        build.error = Some(errors.trim().to_string());
    }
    Ok(build)
}

/// Which code an exercise's tests are built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// The stubs in `exercises/` (what the reader edits).
    Stub,
    /// The reference solutions in `solutions/`, or a wrong solution the
    /// proof wrote in their place.
    Solution,
}

impl Code {
    /// The `--features` that select this code.
    pub fn features(self) -> String {
        match self {
            Code::Stub => TESTS_FEATURE.to_string(),
            Code::Solution => format!("{TESTS_FEATURE},{SOLUTIONS_FEATURE}"),
        }
    }
}

/// Builds the exercise tests of `package` on `code` in the workspace at
/// `root` (the reader's repository, or the proof's mirror of it), into
/// `target_dir`; only the test target `only` if given.
pub fn build_exercise_tests(
    root: &Path,
    target_dir: &Path,
    package: &str,
    code: Code,
    only: Option<&str>,
) -> anyhow::Result<TestBuild> {
    build(root, target_dir, package, &code.features(), only)
}

/// How running one exercise's tests ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Its package did not compile; the compiler's errors.
    DoesNotCompile(String),
    /// The build has no executable for its test target.
    NoTestTarget,
    /// Its tests ran.
    Ran(Run),
}

/// Runs the tests of `exercise` from `built` (see [`build_exercise_tests`]),
/// in `package_dir` (where its package is in the tree that was built),
/// killing them after `limit`; with `echo`, their output is shown as it
/// comes. The one way both `cargo ex` and the proof run an exercise.
pub fn run_exercise(
    built: &TestBuild,
    exercise: &Exercise,
    package_dir: &Path,
    limit: Duration,
    echo: bool,
) -> anyhow::Result<Outcome> {
    if let Some(errors) = &built.error {
        return Ok(Outcome::DoesNotCompile(errors.clone()));
    }
    let Some(exe) = built.executables.get(&exercise.test) else {
        return Ok(Outcome::NoTestTarget);
    };
    run_tests(exe, &[], package_dir, limit, echo).map(Outcome::Ran)
}

/// How a test binary's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    /// Killed after this long: the tests never finished.
    TimedOut(Duration),
}

/// The result of one run of a test binary.
#[derive(Debug, Clone)]
pub struct Run {
    pub verdict: Verdict,
    /// Everything it printed, stdout then stderr.
    pub output: String,
    /// Tests that passed, from the harness's `test result:` line.
    pub passed: usize,
    /// Tests that failed, from the harness's `test result:` line.
    pub failed: usize,
}

/// Runs the test executable `exe` as cargo would (in the package directory),
/// killing it after `limit`. With `echo`, its output is also copied to ours as
/// it comes, so the reader sees the tests run.
///
/// Backtraces are off (`RUST_BACKTRACE=0`, whatever the reader's shell says),
/// so that a failing exercise reads in one screen, and paths in the output
/// are shown the way the reader knows the file: an exercise included with
/// `#[path = "../exercises/x.rs"]` panics at `chapters/NN/src/../exercises/x.rs`,
/// printed as `chapters/NN/exercises/x.rs` (see [`clean_paths`]).
pub fn run_tests(
    exe: &Path,
    args: &[&str],
    package_dir: &Path,
    limit: Duration,
    echo: bool,
) -> anyhow::Result<Run> {
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(package_dir)
        .env("CARGO_MANIFEST_DIR", package_dir)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {}", exe.display()))?;
    // Read both pipes on their own threads: a child blocked on a full pipe
    // would otherwise look like a hang.
    let stdout = child.stdout.take().map(|pipe| drain(pipe, echo, false));
    let stderr = child.stderr.take().map(|pipe| drain(pipe, echo, true));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() >= limit {
            // The process may have exited just now; either way it is gone after this.
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut output = String::new();
    for reader in [stdout, stderr].into_iter().flatten() {
        output.push_str(&reader.join().unwrap_or_default());
    }
    let (passed, failed) = count_results(&output);
    let verdict = match status {
        None => Verdict::TimedOut(limit),
        Some(status) if status.success() => Verdict::Passed,
        Some(_) => Verdict::Failed,
    };
    Ok(Run {
        verdict,
        output,
        passed,
        failed,
    })
}

fn drain(
    pipe: impl Read + Send + 'static,
    echo: bool,
    to_stderr: bool,
) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut all = String::new();
        let mut line = Vec::new();
        // Line by line, so that a path is never split between two reads.
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let text = clean_paths(&String::from_utf8_lossy(&line));
            if echo {
                let _ = if to_stderr {
                    std::io::stderr().write_all(text.as_bytes())
                } else {
                    std::io::stdout().write_all(text.as_bytes())
                };
            }
            all.push_str(&text);
            line.clear();
        }
        all
    })
}

/// Removes each `dir/../` from the paths in `text` (`src/../exercises/x.rs`
/// becomes `exercises/x.rs`); a leading `../`, with nothing to cancel, stays.
pub fn clean_paths(text: &str) -> String {
    static UP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(^|[/\s'`(])([A-Za-z0-9_.-]+)/\.\./").expect("a valid regex")
    });
    let mut text = text.to_string();
    loop {
        let mut changed = false;
        let cleaned = UP.replace_all(&text, |caps: &regex::Captures<'_>| {
            if matches!(&caps[2], ".." | ".") {
                caps[0].to_string()
            } else {
                changed = true;
                caps[1].to_string()
            }
        });
        if !changed {
            return text;
        }
        text = cleaned.into_owned();
    }
}

/// Sums the counts of every `test result: ... N passed; M failed` line.
pub fn count_results(output: &str) -> (usize, usize) {
    let mut totals = (0, 0);
    for line in output.lines().filter(|l| l.starts_with("test result:")) {
        for part in line.split([';', '.']) {
            let mut words = part.split_whitespace();
            if let (Some(n), Some(what)) = (words.next(), words.next())
                && let Ok(n) = n.parse::<usize>()
            {
                match what {
                    "passed" => totals.0 += n,
                    "failed" => totals.1 += n,
                    _ => {}
                }
            }
        }
    }
    totals
}

/// Runs `jobs` on at most `width` threads at once, returning results in order.
pub fn in_parallel<T: Send, R: Send>(
    jobs: Vec<T>,
    width: usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let width = width.max(1);
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let results = std::sync::Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..width {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let Some((index, job)) = next else { break };
                    let result = work(job);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, r)| r).collect()
}

/// How many test binaries to run at once: the machine's cores.
pub fn default_width() -> usize {
    thread::available_parallelism().map_or(2, |n| n.get())
}

#[cfg(test)]
mod tests {
    #[test]
    fn panic_locations_read_as_the_readers_file_path() {
        let line = "thread 'x' panicked at chapters/01-waker/src/../exercises/oneshot.rs:19:5:\n";
        assert_eq!(
            super::clean_paths(line),
            "thread 'x' panicked at chapters/01-waker/exercises/oneshot.rs:19:5:\n"
        );
        assert_eq!(super::clean_paths("a/b/../../c.rs"), "c.rs");
        // Nothing to cancel: left as it is.
        assert_eq!(
            super::clean_paths("see ../../target/x"),
            "see ../../target/x"
        );
        assert_eq!(super::clean_paths("./../x"), "./../x");
    }

    use super::*;

    #[test]
    fn result_lines_are_summed() {
        let output = "running 2 tests\n\
            test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert_eq!(count_results(output), (4, 1));
    }

    #[test]
    fn parallel_results_keep_their_order() {
        let out = in_parallel((0..20).collect(), 3, |n: u32| n * 2);
        assert_eq!(out, (0..20).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_process_that_outlives_its_limit_is_killed_and_reported() {
        // A child that would sleep for an hour, and says who it is. The
        // watchdog only bounds the test: a runner that waited for the child
        // instead of killing it would hang there.
        let dir = std::env::temp_dir().join(format!("ex-timeout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("pid");
        let script = format!("echo $$ > {}; exec sleep 3600", pid_file.display());
        let run = testkit::watchdog("a killed test run", Duration::from_secs(60), move || {
            run_tests(
                Path::new("sh"),
                &["-c", &script],
                Path::new("/"),
                Duration::from_secs(1),
                false,
            )
            .unwrap()
        });
        assert_eq!(run.verdict, Verdict::TimedOut(Duration::from_secs(1)));
        // Killed and reaped before `run_tests` returned: its /proc entry is gone.
        let pid = std::fs::read_to_string(&pid_file)
            .expect("the child writes its pid at once, long before its limit");
        let _ = std::fs::remove_dir_all(&dir);
        let pid = pid.trim();
        assert!(!pid.is_empty(), "the child wrote no pid");
        assert!(
            !Path::new("/proc").join(pid).exists(),
            "the child {pid} is still there after its run was reported"
        );
    }
}
