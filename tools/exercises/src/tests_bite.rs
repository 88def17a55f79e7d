//! The exercise proof: for every exercise, its tests fail on the committed
//! stub, pass on the reference solution, and fail on every declared wrong
//! solution.
//!
//! An exercise whose tests pass on the stub teaches nothing (the reader is
//! told "done" before starting); one whose tests fail on the solution cannot
//! be finished; one whose tests pass a plausible mistake tells the reader a
//! wrong answer is right. Each wrong solution is declared in the chapter's
//! `Cargo.toml` as one edit of the reference solution
//! (`[[package.metadata.exercise.wrong]]`, with `why`, `replace`, `with`):
//! the text to replace must occur exactly once, so the mutation cannot drift
//! silently when the solution changes.
//!
//! # The stubs as committed, whatever the reader has done
//!
//! A reader solves exercises in the working copy, and their test command
//! (`cargo test --workspace`) must keep passing: their progress is for
//! `cargo ex` to report, not a broken book. So the proof never builds the
//! working copy. It mirrors the repository into a tree of its own under
//! `target_dir`, built in a directory of its own beside it (writing only
//! files whose contents changed, so cargo's fingerprints keep the rebuilds
//! small) and, for every stub that differs
//! from `git HEAD`, puts the committed text there instead. Outside a git
//! checkout (a tarball), or for a stub not yet committed, the working copy
//! is the stub. The wrong solutions are applied to that tree too; the
//! repository's own files are never written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;

use crate::list::{self, Exercise, Wrong};
use crate::problem::Problem;
use crate::relative;
use crate::test_runner::{self, Code, Outcome, Run, Verdict};

/// How long one exercise's tests may run.
pub const LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
enum Side<'a> {
    Stub,
    Solution,
    Wrong(usize, &'a Wrong),
}

/// Which text of each stub the proof checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stubs {
    /// The text in `git HEAD` where the working copy differs: a reader's
    /// solved stub is their progress, not a broken book. The default.
    Committed,
    /// The working copy, for an author changing a stub before committing
    /// (`EXERCISE_PROOF_STUBS=working`).
    Working,
}

impl Stubs {
    /// `Working` when `EXERCISE_PROOF_STUBS=working`, else `Committed`.
    pub fn from_env() -> Stubs {
        match std::env::var("EXERCISE_PROOF_STUBS") {
            Ok(v) if v == "working" => Stubs::Working,
            _ => Stubs::Committed,
        }
    }
}

/// Proves every exercise in `exercises` against the committed stubs (see
/// [`prove_with`]).
pub fn prove(
    root: &Path,
    target_dir: &Path,
    exercises: &[Exercise],
    limit: Duration,
) -> anyhow::Result<Vec<Problem>> {
    prove_with(root, target_dir, exercises, limit, Stubs::Committed)
}

/// Proves every exercise in `exercises`, building a mirror of `root` in
/// `target_dir` (which must not be the target directory of a cargo that is
/// running us) and killing any test binary that runs longer than `limit`
/// (normally [`LIMIT`]).
pub fn prove_with(
    root: &Path,
    target_dir: &Path,
    exercises: &[Exercise],
    limit: Duration,
    stubs: Stubs,
) -> anyhow::Result<Vec<Problem>> {
    let mirror = Mirror::sync(root, target_dir)?;
    let mut problems = Vec::new();
    for exercise in exercises {
        let committed = stubs == Stubs::Committed && mirror.use_committed(root, &exercise.stub)?;
        if committed {
            eprintln!(
                "note: {} differs from the last commit (solved, or being solved); the proof \
                 checks the committed stub, and `cargo ex` shows your progress",
                relative(root, &exercise.stub)
            );
        }
        let stub = fs::read_to_string(mirror.path(root, &exercise.stub)).unwrap_or_default();
        let missing = list::missing_markers(&stub);
        if !missing.is_empty() {
            problems.push(Problem::new(
                relative(root, &exercise.stub),
                format!(
                    "{}: the stub does not contain {} (every stub marks what to do with \
                     `// TODO` and leaves `todo!()` where the code goes)",
                    exercise.label(),
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ));
        }
        if exercise.wrong.is_empty() {
            problems.push(Problem::new(
                relative(root, &exercise.package_dir.join("Cargo.toml")),
                format!(
                    "{}: declares no wrong solution; add at least one \
                     `[[package.metadata.exercise.wrong]]` (why, replace, with) that the tests \
                     must reject",
                    exercise.label()
                ),
            ));
        }
    }

    let build_root = mirror.dir.clone();
    // Each package is built once on its stubs and once on its solutions;
    // then every exercise's tests run, in parallel, on both.
    let mut builds = Vec::new();
    for (package, members) in list::by_package(exercises) {
        for (side, code) in [(Side::Stub, Code::Stub), (Side::Solution, Code::Solution)] {
            let built = test_runner::build_exercise_tests(
                &build_root,
                &mirror.build_dir,
                package,
                code,
                None,
            )?;
            if let Some(errors) = &built.error {
                let what = match side {
                    Side::Stub => "with the committed stubs",
                    _ => "with the reference solutions",
                };
                problems.push(Problem::new(
                    format!("package `{package}`"),
                    format!(
                        "does not compile {what} (`cargo test -p {package} --features {}`), \
                         so exercises {} cannot be checked:\n{}",
                        code.features(),
                        members
                            .iter()
                            .map(|e| e.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        tail(errors, 40)
                    ),
                ));
                continue;
            }
            builds.push((members.clone(), side, code, built));
        }
    }
    let jobs: Vec<_> = builds
        .iter()
        .flat_map(|(members, side, code, built)| {
            members.iter().map(move |e| (*e, *side, *code, built))
        })
        .collect();
    let runs = test_runner::in_parallel(
        jobs,
        test_runner::default_width(),
        |(exercise, side, code, built)| {
            let dir = mirror.path(root, &exercise.package_dir);
            let outcome = test_runner::run_exercise(built, exercise, &dir, limit, false);
            (exercise, side, code, outcome)
        },
    );
    for (exercise, side, code, outcome) in runs {
        problems.extend(judge_outcome(root, exercise, side, code, outcome?));
    }

    // The wrong solutions, one at a time: each is an edit of the solution
    // file in the mirror, so two cannot be built at once.
    for exercise in exercises {
        // From the mirror, not the working copy: the tests it is built with
        // are the mirror's, synced above, even if someone edits meanwhile.
        let copy = mirror.path(root, &exercise.solution);
        let solution =
            fs::read_to_string(&copy).with_context(|| format!("read {}", copy.display()))?;
        for (index, wrong) in exercise.wrong.iter().enumerate() {
            let side = Side::Wrong(index + 1, wrong);
            let found = solution.matches(wrong.replace.as_str()).count();
            if found != 1 || wrong.replace.is_empty() {
                problems.push(Problem::new(
                    relative(root, &exercise.package_dir.join("Cargo.toml")),
                    format!(
                        "{}: {}: its `replace` text occurs {found} times in {} (it must occur \
                         exactly once, so the mistake stays the one described):\n      | {}",
                        exercise.label(),
                        describe(side),
                        relative(root, &exercise.solution),
                        wrong.replace
                    ),
                ));
                continue;
            }
            write_if_changed(&copy, solution.replacen(&wrong.replace, &wrong.with, 1))?;
            let built = test_runner::build_exercise_tests(
                &build_root,
                &mirror.build_dir,
                &exercise.package,
                Code::Solution,
                Some(&exercise.test),
            );
            // Put the solution back before anything can fail.
            write_if_changed(&copy, &solution)?;
            let dir = mirror.path(root, &exercise.package_dir);
            let outcome = test_runner::run_exercise(&built?, exercise, &dir, limit, false)?;
            problems.extend(judge_outcome(root, exercise, side, Code::Solution, outcome));
        }
    }
    Ok(problems)
}

/// `wrong solution 2 ("refills at now, losing the fraction")`.
fn describe(side: Side<'_>) -> String {
    match side {
        Side::Wrong(index, wrong) => format!("wrong solution {index} (\"{}\")", wrong.why),
        Side::Stub => "the stub".into(),
        Side::Solution => "the solution".into(),
    }
}

/// What is wrong with how `exercise`'s tests ended on `side`, if anything.
fn judge_outcome(
    root: &Path,
    exercise: &Exercise,
    side: Side<'_>,
    code: Code,
    outcome: Outcome,
) -> Option<Problem> {
    match outcome {
        Outcome::Ran(run) => judge(root, exercise, side, &run),
        // Only a wrong solution is built alone, after its package compiled.
        Outcome::DoesNotCompile(errors) => Some(Problem::new(
            relative(root, &exercise.package_dir.join("Cargo.toml")),
            format!(
                "{}: {} does not compile, so it proves nothing (a wrong solution must \
                 be one a reader could run):\n{}",
                exercise.label(),
                describe(side),
                tail(&errors, 20)
            ),
        )),
        Outcome::NoTestTarget => Some(Problem::new(
            format!("package `{}`", exercise.package),
            format!(
                "{}: cargo built no test target `{}` for {} (--features {})",
                exercise.label(),
                exercise.test,
                describe(side),
                code.features()
            ),
        )),
    }
}

fn judge(root: &Path, exercise: &Exercise, side: Side<'_>, run: &Run) -> Option<Problem> {
    let label = exercise.label();
    let stub = relative(root, &exercise.stub);
    let solution = relative(root, &exercise.solution);
    let message = match (side, run.verdict) {
        (Side::Stub, Verdict::Passed) => format!(
            "{label}: its tests PASS on the committed stub {stub}: the tests were weakened so \
             they no longer bite, or a solved stub was committed"
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
        (Side::Wrong(_, wrong), Verdict::Passed) => format!(
            "{label}: its tests PASS on {} ({solution} with `{}` replaced by `{}`): the tests \
             do not catch this mistake",
            describe(side),
            wrong.replace,
            wrong.with
        ),
        (Side::Wrong(..), Verdict::Failed) => return None,
        (Side::Wrong(..), Verdict::TimedOut(limit)) => format!(
            "{label}: its tests on {} hung and were killed after {} s; they must fail, not hang \
             (run them under `testkit::within`)",
            describe(side),
            limit.as_secs()
        ),
    };
    Some(Problem::new(
        relative(root, &exercise.package_dir.join("Cargo.toml")),
        message,
    ))
}

/// The last `n` lines of `text`, indented, for a readable failure message.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| format!("      | {l}\n"))
        .collect()
}

/// The proof's own copy of the repository.
#[derive(Debug)]
struct Mirror {
    dir: PathBuf,
    /// Where this mirror is built: a directory of its own, because cargo
    /// names a workspace member's artifacts by its path inside the
    /// workspace, so two mirrors (two clones sharing one target directory)
    /// built in one directory would take each other's artifacts for fresh.
    build_dir: PathBuf,
    /// The repository's `HEAD`, when `root` is the top of a git checkout.
    git: bool,
}

impl Mirror {
    /// Copies every file of `root` (tracked or not ignored, in a git
    /// checkout; everything outside `target/` and `.git/` otherwise) into a
    /// folder of `target_dir` named after `root`, and deletes what is no
    /// longer there.
    fn sync(root: &Path, target_dir: &Path) -> anyhow::Result<Mirror> {
        let root_id = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            root.canonicalize()
                .unwrap_or_else(|_| root.to_path_buf())
                .hash(&mut hasher);
            hasher.finish()
        };
        let dir = target_dir.join("mirror").join(format!("{root_id:016x}"));
        let build_dir = target_dir.join("build").join(format!("{root_id:016x}"));
        let git = is_git_top(root);
        let files: BTreeSet<PathBuf> = if git {
            let out = git_output(
                root,
                &[
                    "ls-files",
                    "-z",
                    "--cached",
                    "--others",
                    "--exclude-standard",
                ],
            )?;
            out.split(|b| *b == 0)
                .filter(|p| !p.is_empty())
                .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
                .filter(|p| root.join(p).is_file())
                .collect()
        } else {
            walkdir::WalkDir::new(root)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() != 1 || !matches!(e.file_name().to_str(), Some("target" | ".git"))
                })
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
                .collect()
        };
        for file in &files {
            let text = fs::read(root.join(file))?;
            write_if_changed(&dir.join(file), &text)?;
        }
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file()
                    && let Ok(rel) = entry.path().strip_prefix(&dir)
                    && !files.contains(rel)
                {
                    fs::remove_file(entry.path())?;
                }
            }
        }
        Ok(Mirror {
            dir,
            build_dir,
            git,
        })
    }

    /// Where `path` (a file or folder of `root`) is in the mirror.
    fn path(&self, root: &Path, path: &Path) -> PathBuf {
        self.dir.join(path.strip_prefix(root).unwrap_or(path))
    }

    /// Puts the committed text of `file` in the mirror when the working
    /// copy differs from it; returns whether it did.
    fn use_committed(&self, root: &Path, file: &Path) -> anyhow::Result<bool> {
        if !self.git {
            return Ok(false);
        }
        let Ok(rel) = file.strip_prefix(root) else {
            return Ok(false);
        };
        let spec = format!("HEAD:{}", rel.to_string_lossy());
        let Ok(committed) = git_output(root, &["show", &spec]) else {
            return Ok(false); // not committed yet: the working copy is the stub
        };
        if fs::read(file).ok().as_deref() == Some(&committed[..]) {
            return Ok(false);
        }
        write_if_changed(&self.path(root, file), &committed)?;
        Ok(true)
    }
}

/// Whether `root` is the top folder of a git work tree (not merely inside
/// one: a fixture in a temporary folder must not pick up an enclosing repo).
fn is_git_top(root: &Path) -> bool {
    let Ok(top) = git_output(root, &["rev-parse", "--show-toplevel"]) else {
        return false;
    };
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    match (top.canonicalize(), root.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn git_output(root: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context("could not run git")?;
    anyhow::ensure!(out.status.success(), "git {args:?} failed");
    Ok(out.stdout)
}

/// Writes `bytes` to `path` unless it already holds them, so an unchanged
/// file keeps its modification time and cargo does not rebuild for it.
fn write_if_changed(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    let bytes = bytes.as_ref();
    if fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes).with_context(|| format!("write {}", path.display()))
}
