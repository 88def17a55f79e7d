//! The book checks must bite: each test copies a small, correct book
//! (`tests/fixtures/book`) into a temporary directory, breaks one thing the
//! way an author would, and asserts that the checks name exactly that thing
//! and where it is.

mod common;

use book::checks::{self, Problem};
use book::render::build_book;
use common::assert_reported;
use exercises::Exercise;
use exercises::workspace::{Package, Workspace};
use fixture::Fixture;

/// A copy of `tests/fixtures/book`: a small book that passes every check,
/// with one chapter crate (`chapters/01-demo`) and one exercise.
fn book_fixture() -> Fixture {
    Fixture::from_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/book"))
}

/// What the checks need to know about the fixture beside its files.
trait BookFixture {
    fn workspace(&self) -> Workspace;
    fn exercises(&self) -> Vec<Exercise>;
    fn problems(&self) -> Vec<Problem>;
}

impl BookFixture for Fixture {
    fn workspace(&self) -> Workspace {
        Workspace {
            root: self.root().to_path_buf(),
            packages: vec![Package {
                name: "demo".into(),
                dir: self.path("chapters/01-demo"),
                bins: vec!["demo".into()],
                tests: vec!["ex_greet".into()],
                features: vec!["exercise-tests".into(), "solutions".into()],
                ..Package::default()
            }],
        }
    }

    fn exercises(&self) -> Vec<Exercise> {
        vec![Exercise {
            id: "1.1".into(),
            chapter: 1,
            index: 1,
            name: "greet".into(),
            title: "Greet".into(),
            package: "demo".into(),
            package_dir: self.path("chapters/01-demo"),
            test: "ex_greet".into(),
            stub: self.path("chapters/01-demo/exercises/greet.rs"),
            solution: self.path("chapters/01-demo/solutions/greet.rs"),
            hint: self.path("chapters/01-demo/exercises/greet.hint.md"),
            more: self.path("chapters/01-demo/exercises/greet.more.md"),
            wrong: Vec::new(),
        }]
    }

    /// Builds the fixture book and runs every check on it.
    fn problems(&self) -> Vec<Problem> {
        let built = build_book(self.root(), None).expect("the fixture book builds");
        checks::check_book(self.root(), &built, &self.workspace(), &self.exercises())
    }
}

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

#[test]
fn an_intact_book_has_no_problems() {
    let fixture = book_fixture();
    let problems = fixture.problems();
    assert!(problems.is_empty(), "{:#?}", messages(&problems));
}

#[test]
fn a_missing_include_file_is_reported_with_its_line_and_in_the_build_log() {
    let fixture = book_fixture();
    fixture.edit("book/01-demo.md", "src/lib.rs:greet", "src/lbi.rs:greet");
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/01-demo.md:6",
        &[
            "{{#include ../chapters/01-demo/src/lbi.rs:greet}}",
            "does not exist",
            "chapters/01-demo/src/lbi.rs",
        ],
    );
    assert_reported(&problems, "mdbook build", &["ERROR", "lbi.rs"]);
    assert_reported(
        &problems,
        "book/01-demo.md:6",
        &["left unexpanded", "01-demo.html"],
    );
    assert_reported(
        &problems,
        "target/book/print.html",
        &["`{{#include ../chapters/01-demo/src/lbi.rs:greet}}` was left unexpanded"],
    );
}

#[test]
fn a_misspelt_anchor_is_reported_with_the_anchors_that_exist() {
    let fixture = book_fixture();
    fixture.edit("book/01-demo.md", "lib.rs:greet", "lib.rs:greeting");
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/01-demo.md:6",
        &["has no `ANCHOR: greeting`", "its anchors: greet, empty"],
    );
}

#[test]
fn a_page_that_does_not_show_the_current_code_is_reported() {
    let fixture = book_fixture();
    let built = build_book(fixture.root(), None).expect("the fixture book builds");
    // The code changes after the page was rendered: the page shows stale code.
    fixture.edit(
        "chapters/01-demo/src/lib.rs",
        "hello from the fixture",
        "goodbye from the fixture",
    );
    let includes = checks::find_includes(&built.src_dir);
    let problems = checks::check_rendered(fixture.root(), &built, &includes);
    assert_reported(
        &problems,
        "book/01-demo.md:6",
        &[
            "does not contain the included text",
            "goodbye from the fixture",
        ],
    );
}

#[test]
fn an_empty_anchor_and_an_empty_line_range_are_reported() {
    let fixture = book_fixture();
    fixture.edit("book/01-demo.md", "lib.rs:greet", "lib.rs:empty");
    fixture.edit(
        "book/01-demo.md",
        "output/demo.txt",
        "output/demo.txt:40:50",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/01-demo.md:6",
        &["anchor `empty`", "is empty"],
    );
    assert_reported(
        &problems,
        "book/01-demo.md:12",
        &["empty or past its end", "it has 2 lines"],
    );
}

#[test]
fn an_anchor_without_its_end_is_reported() {
    let fixture = book_fixture();
    fixture.edit("chapters/01-demo/src/lib.rs", "// ANCHOR_END: greet", "");
    let problems = fixture.problems();
    assert_reported(&problems, "book/01-demo.md:6", &["no `ANCHOR_END: greet`"]);
}

#[test]
fn a_directive_left_in_the_output_is_reported_but_an_escaped_one_is_not() {
    let fixture = book_fixture();
    fixture.edit(
        "book/01-demo.md",
        "# Demo\n",
        "# Demo\n\nSee {{#inclued ../x.rs}} here.\n",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/01-demo.md:3",
        &["`{{#inclued ../x.rs}}` was left unexpanded"],
    );
    assert_reported(
        &problems,
        "target/book/print.html",
        &["`{{#inclued ../x.rs}}` was left unexpanded"],
    );
    // The page's escaped `\{{#include file:anchor}}` shows literally, on purpose.
    assert!(
        !problems.iter().any(|p| p.message.contains("file:anchor")),
        "{:#?}",
        messages(&problems)
    );
    assert_eq!(problems.len(), 2, "{:#?}", messages(&problems));
}

#[test]
fn a_command_naming_a_missing_package_is_reported() {
    let fixture = book_fixture();
    fixture.edit(
        "book/01-demo.md",
        "`cargo run -p demo`",
        "`cargo run -p dmeo`",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/01-demo.md:9",
        &[
            "`cargo run -p dmeo`",
            "names package `dmeo`, which is not in the workspace (packages: demo)",
        ],
    );
}

#[test]
fn commands_in_included_output_and_exercise_commands_are_checked_too() {
    let fixture = book_fixture();
    fixture.edit(
        "chapters/01-demo/output/demo.txt",
        "--bin demo",
        "--bin dmeo",
    );
    fixture.edit(
        "book/01-demo.md",
        "cargo ex check greet",
        "cargo ex check 1.9",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "chapters/01-demo/output/demo.txt:1",
        &["names binary `dmeo`, which package `demo` does not have (binary targets there: demo)"],
    );
    assert_reported(
        &problems,
        "book/01-demo.md:23",
        &["no exercise is called `1.9`", "1.1 greet"],
    );
}

#[test]
fn a_chapter_left_as_a_draft_in_the_summary_is_reported() {
    let fixture = book_fixture();
    fixture.write("book/SUMMARY.md", "# Summary\n\n- [Demo]()\n");
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/SUMMARY.md",
        &["chapters/01-demo", "is a draft"],
    );
    assert_reported(&problems, "book/01-demo.md", &["mdBook did not render it"]);
}

#[test]
fn a_summary_linking_a_missing_page_is_reported_at_the_summary() {
    let fixture = book_fixture();
    fixture.edit("book/SUMMARY.md", "(01-demo.md)", "(01-dmo.md)");
    // mdBook cannot load such a book, so no build: the chapter check alone.
    let src = fixture.path("book");
    let includes = checks::find_includes(&src);
    let problems = checks::check_chapters(fixture.root(), &src, &includes);
    assert_reported(&problems, "book/SUMMARY.md", &["01-dmo.md"]);
    assert!(
        !src.join("01-dmo.md").exists(),
        "reading SUMMARY.md created the page it links"
    );
}

#[test]
fn a_chapter_crate_no_page_includes_is_reported() {
    let fixture = book_fixture();
    fixture.write(
        "chapters/02-more/Cargo.toml",
        "[package]\nname = \"more\"\n",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "chapters/02-more",
        &["no page of the book includes anything"],
    );
    assert_reported(
        &problems,
        "book/SUMMARY.md",
        &["chapters/02-more", "[Title](02-more.md)"],
    );
}

#[test]
fn an_exercise_whose_hint_is_not_in_the_book_is_reported() {
    let fixture = book_fixture();
    fixture.edit(
        "book/01-demo.md",
        "{{#include ../chapters/01-demo/exercises/greet.hint.md}}",
        "",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "chapters/01-demo/Cargo.toml",
        &[
            "exercise 1.1 (`greet`): its hint chapters/01-demo/exercises/greet.hint.md is not included",
        ],
    );
}

#[test]
fn a_whole_file_include_that_would_show_anchor_markers_is_reported() {
    let fixture = book_fixture();
    fixture.edit("book/01-demo.md", "lib.rs:greet", "lib.rs");
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/01-demo.md:6",
        &["`ANCHOR:` marker comments"],
    );
}

#[test]
fn an_exercise_whose_second_hint_is_not_in_the_book_is_reported() {
    let fixture = book_fixture();
    fixture.edit(
        "book/01-demo.md",
        "{{#include ../chapters/01-demo/exercises/greet.more.md}}",
        "",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "chapters/01-demo/Cargo.toml",
        &[
            "exercise 1.1 (`greet`): its second hint chapters/01-demo/exercises/greet.more.md is not included",
        ],
    );
}
