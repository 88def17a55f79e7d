//! `cargo ex` and the exercise proof, run against a copy of a tiny workspace
//! of their own (`tests/fixtures/judged-workspace`) with three exercises: one
//! fair, one whose tests do not bite (not even on its declared wrong
//! solution), one whose stub hangs. Both tools must tell them apart and say
//! what is wrong.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use exercises::list;
use exercises::workspace::Workspace;
use fixture::Fixture;

/// A copy of `tests/fixtures/judged-workspace` (its README says what each
/// of its three exercises is for).
fn judged_workspace() -> Fixture {
    Fixture::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/judged-workspace"
    ))
}

/// The fixture workspace, copied once per test run, for the tests that
/// leave it as it is.
fn fixture() -> &'static Path {
    static DIR: OnceLock<Fixture> = OnceLock::new();
    DIR.get_or_init(judged_workspace).root()
}

struct Output {
    success: bool,
    stdout: String,
    stderr: String,
}

fn ex(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ex"))
        .arg("--root")
        .arg(fixture())
        .args(["--timeout", "3"])
        .args(args)
        .output()
        .expect("run cargo ex");
    Output {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Asserts that some message mentions every one of `parts`.
fn assert_mentioned(messages: &[String], parts: &[&str]) {
    assert!(
        messages.iter().any(|m| parts.iter().all(|p| m.contains(p))),
        "no problem mentions {parts:?}:\n{messages:#?}"
    );
}

/// Asserts that `text` contains `needle`, showing all of `text` if not.
fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "no `{needle}` in:\n{text}");
}

#[test]
fn the_list_shows_each_state_and_the_next_exercise() {
    let out = ex(&["list"]);
    assert!(out.success, "{}{}", out.stdout, out.stderr);
    for row in [
        "1.1  double    not started         Double a number",
        "1.2  weak      passing             Tests that do not bite",
        "1.3  sleepy    failing (timed out)  A stub that never returns",
    ] {
        let words: Vec<&str> = row.split_whitespace().collect();
        assert!(
            out.stdout
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == words),
            "no row `{row}` in:\n{}",
            out.stdout
        );
    }
    assert_contains(&out.stdout, "1 of 3 exercises pass.");
    assert_contains(&out.stdout, "Next: exercise 1.1, Double a number");
    assert_contains(&out.stdout, "check  cargo ex check double");
    // The way to the hint, not the hint: the reader asks for it.
    assert_contains(&out.stdout, "hint   cargo ex hint double");
    assert!(
        !out.stdout.contains("Multiply by two."),
        "the list printed the hint unasked:\n{}",
        out.stdout
    );
}

#[test]
fn the_table_columns_line_up() {
    let out = ex(&[]);
    let rows: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("1.") || l.starts_with('#'))
        .collect();
    assert_eq!(rows.len(), 4, "{}", out.stdout);
    let column = |row: &str| {
        row.find("exercise")
            .or_else(|| row.find("double"))
            .or_else(|| row.find("weak"))
            .or_else(|| row.find("sleepy"))
    };
    let starts: Vec<_> = rows.iter().map(|r| column(r)).collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{rows:#?}");
}

#[test]
fn checking_an_unsolved_exercise_fails_with_its_hint() {
    let out = ex(&["check", "double"]);
    assert!(!out.success);
    assert_contains(&out.stdout, "twenty_one_doubles_to_forty_two");
    assert_contains(
        &out.stdout,
        "Exercise 1.1 is not solved yet: chapters/01-demo/exercises/double.rs still contains `todo!()`.",
    );
    assert_contains(&out.stdout, "Hint:\nMultiply by two.");
}

#[test]
fn checking_a_passing_exercise_succeeds() {
    let out = ex(&["check", "1.2"]);
    assert!(out.success, "{}{}", out.stdout, out.stderr);
    assert_contains(
        &out.stdout,
        "Exercise 1.2 (Tests that do not bite) passes: all 1 tests pass.",
    );
}

#[test]
fn a_hanging_exercise_is_stopped_and_blamed_on_a_missing_wakeup() {
    let out = ex(&["check", "sleepy"]);
    assert!(!out.success);
    assert_contains(&out.stdout, "did not finish within 3 s and were stopped");
    assert_contains(&out.stdout, "probably never woke a task");
    assert_contains(&out.stdout, "Just return.");
}

#[test]
fn hint_and_solution_print_what_they_promise() {
    let hint = ex(&["hint", "1.1"]);
    assert!(hint.success);
    assert_eq!(
        hint.stdout,
        "Hint for exercise 1.1: Double a number\n\nMultiply by two.\n\n\
         (Still stuck? `cargo ex hint double --more` gives code-level help.)\n"
    );
    let more = ex(&["hint", "double", "--more"]);
    assert!(more.success, "{}{}", more.stdout, more.stderr);
    assert_eq!(
        more.stdout,
        "More help for exercise 1.1: Double a number\n\nWrite `n * 2`.\n"
    );
    let solution = ex(&["solution", "double"]);
    assert!(solution.success);
    assert!(
        solution
            .stdout
            .starts_with("chapters/01-demo/solutions/double.rs\n"),
        "{}",
        solution.stdout
    );
}

#[test]
fn an_unknown_exercise_is_an_error_listing_the_real_ones() {
    let out = ex(&["check", "9.9"]);
    assert!(!out.success);
    assert_contains(&out.stderr, "no exercise is called `9.9`");
    assert_contains(&out.stderr, "1.1 double, 1.2 weak, 1.3 sleepy");
}

#[test]
fn broken_exercise_lists_are_reported_by_loading() {
    let dir = judged_workspace();
    let manifest = "chapters/01-demo/Cargo.toml";
    dir.edit(
        manifest,
        "hint = \"exercises/weak.hint.md\"",
        "hint = \"exercises/weak.hnt.md\"",
    );
    dir.edit(manifest, "name = \"sleepy\"", "name = \"double\"");
    dir.edit(manifest, "test = \"ex_sleepy\"", "test = \"ex_sleeepy\"");
    let workspace = Workspace::load(dir.root()).unwrap();
    let errors = list::load(&workspace).unwrap_err();
    let all = errors.join("\n");
    assert_contains(
        &all,
        "chapters/01-demo/Cargo.toml: exercise 1.2 (`weak`): its hint `exercises/weak.hnt.md` does not exist",
    );
    assert_contains(
        &all,
        "exercise name `double` is used twice: by 1.1 in package `demo` and by 1.3",
    );
    assert_contains(
        &all,
        "its test target `ex_sleeepy` is not a `[[test]]` of package `demo`",
    );
}

/// Runs the exercise proof over the exercises of the book at `root` that
/// `keep` selects, building in `root/target_dir`, and returns its problems
/// as the messages a reader sees.
fn prove(
    root: &Path,
    target_dir: &str,
    keep: impl Fn(&exercises::Exercise) -> bool,
    limit: Duration,
) -> Vec<String> {
    let workspace = Workspace::load(root).unwrap();
    let chosen: Vec<_> = list::load(&workspace)
        .unwrap()
        .into_iter()
        .filter(|e| keep(e))
        .collect();
    exercises::tests_bite::prove(root, &root.join(target_dir), &chosen, limit)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_proof_accepts_a_fair_exercise_and_names_the_broken_ones() {
    let root = fixture();
    let messages = prove(
        root,
        "target/exercise-proof",
        |_| true,
        Duration::from_secs(3),
    );
    let expect = |parts: &[&str]| assert_mentioned(&messages, parts);
    expect(&[
        "exercise 1.2 (`weak`): its tests PASS on the committed stub chapters/01-demo/exercises/weak.rs",
        "no longer bite",
    ]);
    expect(&[
        "exercise 1.2 (`weak`): its tests PASS on wrong solution 1 (\"the wrong answer\") \
         (chapters/01-demo/solutions/weak.rs with `42` replaced by `41`)",
        "do not catch this mistake",
    ]);
    expect(&[
        "exercise 1.3 (`sleepy`): wrong solution 1 (\"drifted: the solution has no such text\"): \
         its `replace` text occurs 0 times in chapters/01-demo/solutions/sleepy.rs",
    ]);
    expect(&[
        "chapters/01-demo/exercises/weak.rs: exercise 1.2 (`weak`): the stub does not contain `// TODO`",
    ]);
    expect(&[
        "exercise 1.3 (`sleepy`): its tests on the stub chapters/01-demo/exercises/sleepy.rs hung and were killed after 3 s",
    ]);
    assert!(
        !messages.iter().any(|m| m.contains("(`double`)")),
        "the fair exercise was blamed:\n{messages:#?}"
    );
    assert_eq!(messages.len(), 5, "{messages:#?}");
}

#[test]
fn the_proof_reports_a_stub_that_does_not_compile() {
    let dir = judged_workspace();
    dir.edit(
        "chapters/01-demo/exercises/double.rs",
        "todo!(\"double {n}\")",
        "todo!(\"double {n}\") + undefined_name",
    );
    let messages = prove(
        dir.root(),
        "target/proof",
        |e| e.name == "double",
        Duration::from_secs(3),
    );
    assert!(
        messages.iter().any(|m| m
            .starts_with("package `demo`: does not compile with the committed stubs")
            && m.contains("exercises 1.1 cannot be checked")
            && m.contains("undefined_name")),
        "{messages:#?}"
    );
}

/// Runs `git` in `dir`, failing the test if it fails.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Reader",
            "-c",
            "user.email=reader@example.com",
        ])
        .args(args)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

/// A reader's clone after they solved exercise 1.1: the proof (what
/// `cargo test --workspace` runs) must still pass, by checking the stub as
/// committed, and must leave the reader's file alone; `cargo ex` reports the
/// progress.
#[test]
fn a_solved_stub_in_a_git_clone_is_progress_not_a_broken_proof() {
    let dir = judged_workspace();
    let root = dir.root();
    fs::write(root.join(".gitignore"), "/target\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "the book as published"]);
    let solved = fs::read_to_string(root.join("chapters/01-demo/solutions/double.rs")).unwrap();
    let stub = root.join("chapters/01-demo/exercises/double.rs");
    fs::write(&stub, &solved).unwrap();

    let messages = prove(
        root,
        "target/exercise-proof",
        |e| e.name == "double",
        Duration::from_secs(10),
    );
    assert!(messages.is_empty(), "{messages:#?}");
    assert_eq!(
        fs::read_to_string(&stub).unwrap(),
        solved,
        "the proof changed the reader's file"
    );

    let check = Command::new(env!("CARGO_BIN_EXE_ex"))
        .arg("--root")
        .arg(root)
        .args(["--timeout", "10", "check", "double"])
        .output()
        .expect("run cargo ex");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}");
    assert_contains(&stdout, "Exercise 1.1 (Double a number) passes");
}

/// The committed stub still has to bite: a stub committed solved is
/// reported even when the working copy is back to a `todo!()`.
#[test]
fn a_committed_solved_stub_is_reported_whatever_the_working_copy_holds() {
    let dir = judged_workspace();
    let root = dir.root();
    let stub = root.join("chapters/01-demo/exercises/double.rs");
    let unsolved = fs::read_to_string(&stub).unwrap();
    fs::write(
        &stub,
        "// TODO: nothing left.\npub fn double(n: u32) -> u32 {\n    if n == u32::MAX { todo!() }\n    n * 2\n}\n",
    )
    .unwrap();
    fs::write(root.join(".gitignore"), "/target\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "a solved stub, by mistake"]);
    fs::write(&stub, unsolved).unwrap();

    let messages = prove(
        root,
        "target/exercise-proof",
        |e| e.name == "double",
        Duration::from_secs(10),
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("its tests PASS on the committed stub")),
        "{messages:#?}"
    );
}

/// A wrong solution that does not compile proves nothing, and an exercise
/// without any wrong solution is not proven to bite: both are reported.
#[test]
fn the_proof_reports_a_wrong_solution_that_does_not_compile_and_an_exercise_without_one() {
    let dir = judged_workspace();
    let manifest = "chapters/01-demo/Cargo.toml";
    dir.edit(
        manifest,
        "with = \"n + 2\"",
        "with = \"n + undefined_name\"",
    );
    dir.edit(
        manifest,
        "[[package.metadata.exercise.wrong]]\nwhy = \"the wrong answer\"\nreplace = \"42\"\nwith = \"41\"\n",
        "",
    );
    let messages = prove(
        dir.root(),
        "target/proof",
        |e| e.name != "sleepy",
        Duration::from_secs(3),
    );
    let expect = |parts: &[&str]| assert_mentioned(&messages, parts);
    expect(&[
        "exercise 1.1 (`double`): wrong solution 1 (\"adds two instead\") does not compile",
        "undefined_name",
    ]);
    expect(&["exercise 1.2 (`weak`): declares no wrong solution"]);
}
