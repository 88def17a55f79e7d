//! The exercise proof: for every exercise, its tests fail on the untouched
//! stub and pass on the reference solution.
//!
//! An exercise whose tests pass on the stub teaches nothing (the reader is
//! told "done" before starting); one whose tests fail on the solution cannot
//! be finished. Each package is built twice, once with the stubs and once
//! with the solutions, and then every test binary runs in parallel under a
//! time limit, so a hang is reported instead of stalling the run.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::checks::Problem;
use crate::exercises::{self, Exercise, SOLUTIONS_FEATURE, TESTS_FEATURE};
use crate::relative;
use crate::testbins::{self, Run, Verdict};

/// How long one exercise's tests may run.
pub const LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Stub,
    Solution,
}

/// Proves every exercise in `exercises`, building in `target_dir` (which must
/// not be the target directory of a cargo that is running us) and killing any
/// test binary that runs longer than `limit` (normally [`LIMIT`]).
pub fn prove(
    root: &Path,
    target_dir: &Path,
    exercises: &[Exercise],
    limit: Duration,
) -> anyhow::Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for exercise in exercises {
        let stub = fs::read_to_string(&exercise.stub).unwrap_or_default();
        let missing: Vec<&str> = ["// TODO", "todo!("]
            .into_iter()
            .filter(|marker| !stub.contains(marker))
            .collect();
        if !missing.is_empty() {
            problems.push(Problem {
                location: relative(root, &exercise.stub),
                message: format!(
                    "{}: the stub does not contain {} (every stub marks what to do with \
                     `// TODO` and leaves `todo!()` where the code goes)",
                    exercise.label(),
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            });
        }
    }

    let mut jobs = Vec::new();
    for (package, members) in exercises::by_package(exercises) {
        for (side, features) in [
            (Side::Stub, TESTS_FEATURE.to_string()),
            (
                Side::Solution,
                format!("{TESTS_FEATURE},{SOLUTIONS_FEATURE}"),
            ),
        ] {
            let built = testbins::build_tests(root, target_dir, package, &features)?;
            if let Some(errors) = built.error {
                let what = match side {
                    Side::Stub => "with the untouched stubs",
                    Side::Solution => "with the reference solutions",
                };
                problems.push(Problem {
                    location: format!("package `{package}`"),
                    message: format!(
                        "does not compile {what} (`cargo test -p {package} --features {features}`), \
                         so exercises {} cannot be checked:\n{}",
                        members.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", "),
                        tail(&errors, 40)
                    ),
                });
                continue;
            }
            for exercise in &members {
                match built.executables.get(&exercise.test) {
                    Some(exe) => jobs.push((*exercise, side, exe.clone())),
                    None => problems.push(Problem {
                        location: format!("package `{package}`"),
                        message: format!(
                            "{}: cargo built no test target `{}` with --features {features}",
                            exercise.label(),
                            exercise.test
                        ),
                    }),
                }
            }
        }
    }

    let runs = testbins::in_parallel(jobs, testbins::default_width(), |(exercise, side, exe)| {
        let run = testbins::run_tests(&exe, &[], &exercise.package_dir, limit, false);
        (exercise, side, run)
    });
    for (exercise, side, run) in runs {
        let run = run?;
        problems.extend(judge(root, exercise, side, &run));
    }
    Ok(problems)
}

fn judge(root: &Path, exercise: &Exercise, side: Side, run: &Run) -> Option<Problem> {
    let label = exercise.label();
    let stub = relative(root, &exercise.stub);
    let solution = relative(root, &exercise.solution);
    let message = match (side, run.verdict) {
        (Side::Stub, Verdict::Passed) => format!(
            "{label}: its tests PASS on the untouched stub {stub} — either the stub was solved \
             (in a reader's clone that is expected: `git checkout -- {stub}` restores it) or the \
             tests were weakened so they no longer bite"
        ),
        (Side::Stub, Verdict::Failed) => return None,
        (Side::Stub, Verdict::TimedOut(limit)) => format!(
            "{label}: its tests on the stub {stub} hung and were killed after {} s; a test must \
             fail, not hang (run it under `testkit::within`)",
            limit.as_secs()
        ),
        (Side::Solution, Verdict::Passed) if run.passed == 0 => format!(
            "{label}: its test target `{}` ran no tests on the solution {solution}",
            exercise.test
        ),
        (Side::Solution, Verdict::Passed) => return None,
        (Side::Solution, Verdict::Failed) => format!(
            "{label}: its tests FAIL on the reference solution {solution} \
             ({} failed, {} passed):\n{}",
            run.failed,
            run.passed,
            tail(&run.output, 30)
        ),
        (Side::Solution, Verdict::TimedOut(limit)) => format!(
            "{label}: its tests on the reference solution {solution} hung and were killed after \
             {} s (a lost wakeup in the solution, or a test without a watchdog):\n{}",
            limit.as_secs(),
            tail(&run.output, 30)
        ),
    };
    Some(Problem {
        location: relative(root, &exercise.package_dir.join("Cargo.toml")),
        message,
    })
}

/// The last `n` lines of `text`, indented, for a readable failure message.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| format!("      | {l}\n"))
        .collect()
}
