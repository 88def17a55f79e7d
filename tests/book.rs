//! The whole-book checks, run by `cargo test --workspace`: the book builds
//! cleanly, every include resolves to real code that shows up on its page,
//! every chapter crate is in the book, every command the book shows names
//! something that exists, and every exercise is shown.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use book::checks::{self, Include, Problem};
use book::quiz;
use book::render::{BuiltBook, build_book};
use exercises::workspace::Workspace;
use exercises::{Exercise, list};

fn root() -> PathBuf {
    book::repo_root()
}

/// The book, built once per test run into `target/book-check` (never into
/// `book/`, which holds the sources).
fn built() -> &'static BuiltBook {
    static BUILT: OnceLock<BuiltBook> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dest = root().join("target").join("book-check");
        build_book(&root(), Some(&dest))
            .unwrap_or_else(|e| panic!("the book does not build: {e:#}"))
    })
}

fn includes() -> Vec<Include> {
    checks::find_includes(&built().src_dir)
}

fn workspace_and_exercises() -> &'static (Workspace, Vec<Exercise>) {
    static LOADED: OnceLock<(Workspace, Vec<Exercise>)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let workspace = Workspace::load(&root()).expect("cargo metadata");
        let exercises = list::load(&workspace).unwrap_or_else(|errors| {
            panic!(
                "the exercise lists are broken:\n  - {}",
                errors.join("\n  - ")
            )
        });
        (workspace, exercises)
    })
}

fn assert_none(what: &str, problems: Vec<Problem>) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n{}",
        problems.len(),
        checks::report(&problems)
    );
}

#[test]
fn the_book_builds_without_warnings_or_errors() {
    assert_none("mdBook's build log", checks::check_build_log(built()));
}

#[test]
fn every_include_resolves_to_a_non_empty_region() {
    let includes = includes();
    assert!(!includes.is_empty(), "no page includes any code");
    assert_none("includes", checks::check_includes(&root(), &includes));
}

#[test]
fn rendered_pages_show_their_included_code_and_no_unexpanded_directive() {
    assert_none(
        "rendered pages",
        checks::check_rendered(&root(), built(), &includes()),
    );
}

#[test]
fn every_chapter_crate_is_included_and_its_page_is_in_the_summary() {
    assert_none(
        "chapters",
        checks::check_chapters(&root(), &built().src_dir, &includes()),
    );
}

#[test]
fn every_cargo_command_in_the_book_names_something_that_exists() {
    let (workspace, exercises) = workspace_and_exercises();
    let includes = includes();
    let shown = checks::shown_commands(&root(), &built().src_dir, &includes);
    assert!(!shown.is_empty(), "the book shows no cargo command at all");
    assert_none(
        "cargo commands",
        checks::check_commands(&root(), &built().src_dir, &includes, workspace, exercises),
    );
}

#[test]
fn every_exercise_stub_hint_and_solution_is_shown_in_the_book() {
    let (_, exercises) = workspace_and_exercises();
    assert_none(
        "exercises in the book",
        checks::check_exercises_included(&root(), exercises, &includes()),
    );
}

#[test]
fn every_chapter_ends_with_a_valid_quiz_and_it_renders_as_one() {
    let src_dir = &built().src_dir;
    assert_none("quizzes", quiz::check_quizzes(&root(), src_dir));
    let chapters = book::pages::Pages::load(src_dir)
        .expect("SUMMARY.md reads")
        .chapters();
    assert!(!chapters.is_empty(), "SUMMARY.md links no chapter page");
    let mut problems = Vec::new();
    for page in &chapters {
        let rel = page.strip_prefix(src_dir).expect("a page of the book");
        let html = built().html_dir.join(rel).with_extension("html");
        let html = std::fs::read_to_string(&html).unwrap_or_default();
        if !html.contains("class=\"quiz-placeholder\"") {
            problems.push(Problem::new(
                book::relative(&root(), page),
                "the rendered page has no quiz (did mdbook-quiz run?)".to_string(),
            ));
        } else if !html.contains("data-quiz-cache-answers") {
            problems.push(Problem::new(
                book::relative(&root(), page),
                "the quiz does not remember answers: book.toml needs \
                          `cache_answers = true` under [preprocessor.quiz]"
                    .to_string(),
            ));
        }
    }
    for asset in ["quiz/quiz-embed.iife.js", "quiz/style.css"] {
        if !built().html_dir.join(asset).is_file() {
            problems.push(Problem::new(
                "mdbook build".to_string(),
                format!("{asset} is missing from the rendered book"),
            ));
        }
    }
    assert_none("rendered quizzes", problems);
}

#[test]
fn every_figure_is_shown_and_has_ids_and_classes_of_its_own() {
    assert_none(
        "figures",
        checks::check_figures(&root(), &built().src_dir, &includes()),
    );
}

/// The README's table links every chapter's crate, its page in the online
/// book, and the command that runs its demo.
#[test]
fn the_readme_links_every_chapter_crate_and_its_online_page() {
    let (workspace, _) = workspace_and_exercises();
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut problems = Vec::new();
    for package in &workspace.packages {
        let Ok(dir) = package.dir.strip_prefix(root()) else {
            continue;
        };
        if !dir.starts_with("chapters") {
            continue;
        }
        let dir = dir.display().to_string();
        let name = dir.trim_start_matches("chapters/");
        // A benchmark's row runs it in release (its harness refuses a
        // debug build), every other chapter's demo with plain `cargo run`.
        let run = format!("`cargo run -p {}`", package.name);
        let release = format!("`cargo run --release -p {}`", package.name);
        let run = if readme.contains(&release) {
            release
        } else {
            run
        };
        for wanted in [
            format!("[`{dir}`]({dir})"),
            format!("/async-from-scratch/{name}.html"),
            run,
        ] {
            if !readme.contains(&wanted) {
                problems.push(Problem::new(
                    "README.md".to_string(),
                    format!("the chapter table has no `{wanted}` for {dir}"),
                ));
            }
        }
    }
    assert_none("README", problems);
}

/// mdbook-quiz writes an `id` into every question that has none: a build must
/// find them all committed and leave the quiz files as they were.
#[test]
fn building_the_book_leaves_the_quiz_files_unchanged() {
    let quizzes = root().join("book/quizzes");
    let snapshot = || -> Vec<(PathBuf, String)> {
        let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&quizzes)
            .expect("book/quizzes exists")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                (p, text)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot();
    assert!(!before.is_empty(), "book/quizzes has no quiz");
    let dest = tempfile::tempdir().expect("temp dir");
    build_book(&root(), Some(dest.path())).expect("the book builds");
    for ((path, old), (_, new)) in before.iter().zip(snapshot()) {
        assert!(
            *old == new,
            "building the book rewrote {}; commit the ids it added",
            book::relative(&root(), path)
        );
    }
}

#[test]
fn the_build_goes_where_it_was_told_and_leaves_the_sources_alone() {
    let built = built();
    assert!(built.html_dir.join("index.html").is_file());
    assert!(built.html_dir.starts_with(root().join("target")));
    assert!(Path::new(&root().join("book/SUMMARY.md")).is_file());
}

/// The `cargo ex` output the appendix shows was captured from a real run on a
/// fresh clone; it must still describe the exercises as they are.
#[test]
fn the_captured_cargo_ex_output_in_the_appendix_matches_the_exercises() {
    let (_, exercises) = workspace_and_exercises();
    let output = root().join("tests/output");
    let regenerate = "regenerate on a clean clone with:\n  \
        (echo '$ cargo ex'; cargo ex 2>/dev/null) > tests/output/cargo-ex-list.txt\n  \
        (echo '$ cargo ex check 1.1'; cargo ex check 1.1 2>&1) > tests/output/cargo-ex-check.txt\n  \
        (echo '$ cargo ex hint 1.2'; cargo ex hint 1.2) > tests/output/cargo-ex-hint.txt\n  \
        (echo '$ cargo ex solution 1.2'; cargo ex solution 1.2) > tests/output/cargo-ex-solution.txt";
    let read = |name: &str| {
        std::fs::read_to_string(output.join(name))
            .unwrap_or_else(|e| panic!("tests/output/{name}: {e}; {regenerate}"))
    };

    let list = read("cargo-ex-list.txt");
    let rows: Vec<Vec<&str>> = list
        .lines()
        .filter(|l| {
            l.split_whitespace().next().is_some_and(|w| {
                w.contains('.') && w.chars().next().is_some_and(|c| c.is_ascii_digit())
            })
        })
        .map(|l| l.split_whitespace().collect())
        .collect();
    let expected: Vec<Vec<String>> = exercises
        .iter()
        .map(|e| {
            let mut row = vec![
                e.id.clone(),
                e.name.clone(),
                "not".to_string(),
                "started".into(),
            ];
            row.extend(e.title.split_whitespace().map(String::from));
            row
        })
        .collect();
    assert_eq!(
        rows, expected,
        "tests/output/cargo-ex-list.txt does not list the current exercises, all not started; {regenerate}"
    );
    let count = format!("0 of {} exercises pass.", exercises.len());
    assert!(
        list.contains(&count),
        "cargo-ex-list.txt lacks `{count}`; {regenerate}"
    );

    let first = &exercises[0];
    let check = read("cargo-ex-check.txt");
    let stub = book::relative(&root(), &first.stub);
    let verdict = format!(
        "Exercise {} is not solved yet: {stub} still contains `todo!()`.",
        first.id
    );
    assert!(
        check.contains(&verdict),
        "cargo-ex-check.txt lacks `{verdict}`; {regenerate}"
    );
    assert!(
        check.contains(&first.hint_text()),
        "cargo-ex-check.txt shows an old hint; {regenerate}"
    );
    // What `cargo ex` prints now: panic locations as the reader's file path,
    // no backtraces, and the list names the hint's command, not the hint.
    assert!(
        !check.contains("/../") && !check.contains("stack backtrace"),
        "cargo-ex-check.txt shows an old format; {regenerate}"
    );
    assert!(
        list.contains(&format!("hint   cargo ex hint {}", first.name))
            && !list.contains(&first.hint_text()),
        "cargo-ex-list.txt shows an old format; {regenerate}"
    );
    let tests_source = std::fs::read_to_string(
        first
            .package_dir
            .join("tests")
            .join(format!("{}.rs", first.test)),
    )
    .unwrap_or_default();
    for line in check
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with("FAILED"))
    {
        let name = line
            .trim_start_matches("test ")
            .trim_end_matches(" ... FAILED");
        assert!(
            tests_source.contains(&format!("fn {name}(")),
            "cargo-ex-check.txt shows test `{name}`, which {} no longer has; {regenerate}",
            first.test
        );
    }

    let second = exercises.get(1).unwrap_or(first);
    let hint = read("cargo-ex-hint.txt");
    assert!(
        hint.contains(&second.hint_text()),
        "cargo-ex-hint.txt shows an old hint; {regenerate}"
    );
    let solution = read("cargo-ex-solution.txt");
    let path = book::relative(&root(), &second.solution);
    assert!(
        solution.contains(&path),
        "cargo-ex-solution.txt does not name {path}; {regenerate}"
    );
}
