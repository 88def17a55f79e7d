//! `cargo ex`: the reader's exercise tool.
//!
//! `cargo ex` lists every exercise with its state and says what to do next;
//! `cargo ex check <id|name>` runs one exercise's tests; `hint` and
//! `solution` help when stuck.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use exercises::list::{self, Exercise};
use exercises::test_runner::{self, Code, Outcome, Verdict};
use exercises::workspace::Workspace;
use exercises::{includes, relative};

/// The exercises of "Async from Scratch": list them, check one, get a hint.
#[derive(Debug, Parser)]
#[command(name = "cargo ex")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Seconds one exercise's tests may run before they count as hung.
    #[arg(long, global = true, default_value_t = 60, value_name = "SECS")]
    timeout: u64,
    /// The repository root (defaults to the one this tool was built from).
    #[arg(long, global = true, hide = true)]
    root: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every exercise with its state, and the next one to do (the default).
    List,
    /// Run one exercise's tests, e.g. `cargo ex check 1.1` or `cargo ex check oneshot`.
    Check {
        /// The exercise's number (`1.1`), name (`static-waker`) or file name
        /// (`static_waker`).
        exercise: String,
    },
    /// Print the first hint of one exercise (the idea); `--more` prints the
    /// second (code-level help).
    Hint {
        exercise: String,
        /// Print the second, code-level hint instead of the first.
        #[arg(long)]
        more: bool,
    },
    /// Print where the reference solution of one exercise is.
    Solution { exercise: String },
    /// Work through the exercises: re-run the current one's tests each time
    /// its file is saved, and move on to the next when they pass.
    Watch,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = args.root.clone().unwrap_or_else(exercises::repo_root);
    let limit = Duration::from_secs(args.timeout.max(1));
    match run(&root, limit, args.command.unwrap_or(Command::List)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn load(root: &Path) -> anyhow::Result<Vec<Exercise>> {
    let workspace = Workspace::load(root)?;
    list::load(&workspace).map_err(|errors| {
        anyhow::anyhow!(
            "the exercise lists are broken:\n  - {}",
            errors.join("\n  - ")
        )
    })
}

fn run(root: &Path, limit: Duration, command: Command) -> anyhow::Result<ExitCode> {
    let all = load(root)?;
    match command {
        Command::List => list(root, &all, limit),
        Command::Check { exercise } => check(root, find(&all, &exercise)?, limit),
        Command::Watch => watch(root, &all, limit),
        Command::Hint { exercise, more } => {
            let exercise = find(&all, &exercise)?;
            if more {
                println!(
                    "More help for exercise {}: {}\n",
                    exercise.id, exercise.title
                );
                println!("{}", exercise.more_text());
            } else {
                println!("Hint for exercise {}: {}\n", exercise.id, exercise.title);
                println!("{}", exercise.hint_text());
                println!(
                    "\n(Still stuck? `cargo ex hint {} --more` gives code-level help.)",
                    exercise.name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Solution { exercise } => {
            let exercise = find(&all, &exercise)?;
            println!("{}", relative(root, &exercise.solution));
            match book_page(root, &exercise.solution) {
                Some(page) => println!(
                    "In the book: {page}, \"Exercise {}: {}\", under Solution (`cargo book` serves it).",
                    exercise.id, exercise.title
                ),
                None => println!("(no page of the book includes it yet)"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn find<'a>(all: &'a [Exercise], key: &str) -> anyhow::Result<&'a Exercise> {
    list::find(all, key).map_err(anyhow::Error::msg)
}

/// Where exercises are built. Not the target directory of the `cargo run`
/// that started us: where cargo keeps its lock while the program runs, a
/// nested build there would wait for ever (see `test_runner::build_exercise_tests`).
fn target_dir(root: &Path) -> PathBuf {
    root.join("target").join("exercises")
}

/// The page of the book that includes `file`, if any.
fn book_page(root: &Path, file: &Path) -> Option<String> {
    let wanted = file.canonicalize().ok()?;
    includes::find_includes(&root.join("book"))
        .into_iter()
        .find(|i| i.target.canonicalize().ok().as_ref() == Some(&wanted))
        .map(|i| relative(root, &i.page))
}

/// An exercise's state, as `cargo ex` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    NotStarted,
    Failing(&'static str),
    Passing,
}

impl State {
    fn text(&self) -> String {
        match self {
            State::NotStarted => "not started".into(),
            State::Failing("") => "failing".into(),
            State::Failing(why) => format!("failing ({why})"),
            State::Passing => "passing".into(),
        }
    }
}

fn build(root: &Path, package: &str) -> anyhow::Result<test_runner::TestBuild> {
    eprintln!("Building the exercise tests of `{package}`...");
    test_runner::build_exercise_tests(root, &target_dir(root), package, Code::Stub, None)
}

/// Builds one exercise's package and runs its tests, showing their output
/// (after `header`, once the package compiles).
fn attempt(
    root: &Path,
    exercise: &Exercise,
    limit: Duration,
    header: Option<&str>,
) -> anyhow::Result<Run> {
    let built = build(root, &exercise.package)?;
    if let (None, Some(header)) = (&built.error, header) {
        println!("{header}");
    }
    match test_runner::run_exercise(&built, exercise, &exercise.package_dir, limit, true)? {
        Outcome::Ran(run) => Ok(Run::Tests(run)),
        Outcome::DoesNotCompile(errors) => Ok(Run::DoesNotCompile(errors)),
        Outcome::NoTestTarget => Err(no_test_target(exercise)),
    }
}

/// An exercise's tests, built and run once.
enum Run {
    DoesNotCompile(String),
    Tests(test_runner::Run),
}

fn no_test_target(exercise: &Exercise) -> anyhow::Error {
    anyhow::anyhow!(
        "cargo built no test `{}` for {}",
        exercise.test,
        exercise.label()
    )
}

fn list(root: &Path, all: &[Exercise], limit: Duration) -> anyhow::Result<ExitCode> {
    if all.is_empty() {
        println!("No exercises yet.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut jobs = Vec::new();
    let mut states: BTreeMap<String, State> = BTreeMap::new();
    let mut builds = Vec::new();
    for (package, exercises) in list::by_package(all) {
        builds.push((exercises, build(root, package)?));
    }
    for (exercises, built) in &builds {
        jobs.extend(exercises.iter().map(|e| (*e, built)));
    }
    let runs = test_runner::in_parallel(jobs, test_runner::default_width(), |(exercise, built)| {
        let outcome =
            test_runner::run_exercise(built, exercise, &exercise.package_dir, limit, false);
        (exercise, outcome)
    });
    for (exercise, outcome) in runs {
        let state = match outcome? {
            Outcome::DoesNotCompile(_) => State::Failing("does not compile"),
            Outcome::NoTestTarget => return Err(no_test_target(exercise)),
            Outcome::Ran(run) => match run.verdict {
                Verdict::Passed => State::Passing,
                Verdict::TimedOut(_) => State::Failing("timed out"),
                Verdict::Failed if exercise.not_started() => State::NotStarted,
                Verdict::Failed => State::Failing(""),
            },
        };
        states.insert(exercise.id.clone(), state);
    }
    let rows: Vec<[String; 4]> = all
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.name.clone(),
                states[&e.id].text(),
                e.title.clone(),
            ]
        })
        .collect();
    let header = ["#", "exercise", "state", "goal"].map(String::from);
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].len())
                .max()
                .unwrap_or(0)
        })
        .collect();
    println!();
    for row in [&header].into_iter().chain(&rows) {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        println!("{}", line.trim_end());
    }
    let passing = all
        .iter()
        .filter(|e| states[&e.id] == State::Passing)
        .count();
    println!("\n{passing} of {} exercises pass.", all.len());
    match all.iter().find(|e| states[&e.id] != State::Passing) {
        Some(next) => {
            println!("\nNext: exercise {}, {}", next.id, next.title);
            println!("  edit   {}", relative(root, &next.stub));
            println!("  check  cargo ex check {}", next.name);
            // Only the way to the hint: a reader who wants to try first
            // should not have it printed in front of them.
            println!("  hint   cargo ex hint {}", next.name);
        }
        None => println!("Every exercise is solved."),
    }
    Ok(ExitCode::SUCCESS)
}

fn check(root: &Path, exercise: &Exercise, limit: Duration) -> anyhow::Result<ExitCode> {
    let stub = relative(root, &exercise.stub);
    let header = format!(
        "Running the tests of exercise {} ({}):\n",
        exercise.id, exercise.name
    );
    let run = match attempt(root, exercise, limit, Some(&header))? {
        Run::Tests(run) => run,
        Run::DoesNotCompile(errors) => {
            eprintln!("{errors}\n");
            println!(
                "Exercise {} ({}) does not compile yet: see the errors above.",
                exercise.id, stub
            );
            print_hint(exercise);
            return Ok(ExitCode::FAILURE);
        }
    };
    match run.verdict {
        Verdict::Passed if run.passed > 0 => {
            println!(
                "Exercise {} ({}) passes: all {} tests pass.",
                exercise.id, exercise.title, run.passed
            );
            Ok(ExitCode::SUCCESS)
        }
        Verdict::Passed => bail!("the test target `{}` ran no tests", exercise.test),
        Verdict::Failed => {
            let what = if exercise.not_started() {
                format!("{stub} still contains `todo!()`")
            } else {
                format!("{} of {} tests fail", run.failed, run.failed + run.passed)
            };
            println!("\nExercise {} is not solved yet: {what}.", exercise.id);
            print_hint(exercise);
            Ok(ExitCode::FAILURE)
        }
        Verdict::TimedOut(limit) => {
            println!(
                "\nExercise {}: the tests did not finish within {} s and were stopped. \
                 The code probably never woke a task: a future returned `Poll::Pending` \
                 without arranging for its waker to be called.",
                exercise.id,
                limit.as_secs()
            );
            print_hint(exercise);
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_hint(exercise: &Exercise) {
    println!("\nHint:\n{}", exercise.hint_text());
    println!(
        "\n(The solution is in the book, under the exercise; `cargo ex solution {}` says where.)",
        exercise.name
    );
}

/// The file where `cargo ex watch` remembers the exercises it saw pass, one
/// name a line: in the repository root, git-ignored (a reader's progress is
/// never a change to a tracked file), and outside `target/`, so that it
/// survives restarts and `cargo clean`.
fn progress_file(root: &Path) -> PathBuf {
    root.join(".exercises-progress")
}

fn read_progress(root: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(progress_file(root))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn record_progress(root: &Path, done: &BTreeSet<String>) -> anyhow::Result<()> {
    let text: String = done.iter().map(|name| format!("{name}\n")).collect();
    let path = progress_file(root);
    std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))
}

/// `cargo ex watch`: the first exercise not yet seen passing is the current
/// one; its tests run now and again each time its file changes. After two
/// failed runs it offers the hint; once they pass it records the exercise
/// and moves on. Lines typed meanwhile: `h` prints the hint, `q` quits.
fn watch(root: &Path, all: &[Exercise], limit: Duration) -> anyhow::Result<ExitCode> {
    let (lines, typed) = mpsc::channel();
    thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut done = read_progress(root);
    loop {
        let Some(current) = all.iter().find(|e| !done.contains(&e.name)) else {
            println!("\nEvery exercise is solved.");
            return Ok(ExitCode::SUCCESS);
        };
        println!(
            "\n== Exercise {}: {}\n   edit {} and save it to re-run its tests \
             (h + Enter: hint, q + Enter: quit)\n",
            current.id,
            current.title,
            relative(root, &current.stub)
        );
        let mut failures = 0;
        loop {
            let seen = std::fs::read(&current.stub).ok();
            if run_once(root, current, limit)? {
                done.insert(current.name.clone());
                record_progress(root, &done)?;
                println!(
                    "\nExercise {} ({}) passes. On to the next one.",
                    current.id, current.name
                );
                break;
            }
            failures += 1;
            if failures >= 2 {
                println!(
                    "\nStuck? Type h and Enter for the hint (or run `cargo ex hint {}`).",
                    current.name
                );
            }
            println!("Waiting for {} to change...", relative(root, &current.stub));
            // Until the file changes; the commands meanwhile.
            loop {
                match typed.recv_timeout(Duration::from_millis(200)) {
                    Ok(line) => match line.trim() {
                        "h" => println!("\nHint:\n{}\n", current.hint_text()),
                        "q" => return Ok(ExitCode::SUCCESS),
                        _ => {}
                    },
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    // No more input (not a terminal, or closed): files only.
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        thread::sleep(Duration::from_millis(200));
                    }
                }
                if std::fs::read(&current.stub).ok() != seen {
                    break;
                }
            }
        }
    }
}

/// Builds and runs one exercise's tests, showing their output; whether
/// they all passed.
fn run_once(root: &Path, exercise: &Exercise, limit: Duration) -> anyhow::Result<bool> {
    let run = match attempt(root, exercise, limit, None)? {
        Run::Tests(run) => run,
        Run::DoesNotCompile(errors) => {
            eprintln!("{errors}\n");
            println!(
                "Exercise {} does not compile yet: see the errors above.",
                exercise.id
            );
            return Ok(false);
        }
    };
    match run.verdict {
        Verdict::Passed if run.passed > 0 => Ok(true),
        Verdict::Passed => bail!("the test target `{}` ran no tests", exercise.test),
        Verdict::Failed => {
            println!(
                "\nExercise {} is not solved yet: {} of {} tests fail.",
                exercise.id,
                run.failed,
                run.failed + run.passed
            );
            Ok(false)
        }
        Verdict::TimedOut(limit) => {
            println!(
                "\nExercise {}: the tests did not finish within {} s and were stopped \
                 (a future that returned `Poll::Pending` without arranging a wake-up?).",
                exercise.id,
                limit.as_secs()
            );
            Ok(false)
        }
    }
}
