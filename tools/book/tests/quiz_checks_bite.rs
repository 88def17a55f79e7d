//! The quiz checks must bite: each test copies a small book with one valid
//! quiz (`tests/fixtures/quiz-book`) into a temporary directory, breaks it the way an author would, and
//! asserts that the checks (or the build, through the pinned mdbook-quiz)
//! name the file and what is wrong.

mod common;

use std::fs;

use book::checks::{self, Problem};
use book::quiz;
use book::render::build_book;
use common::assert_reported;
use fixture::Fixture;

/// The valid quiz of `tests/fixtures/quiz-book`, as committed.
const QUIZ: &str = include_str!("fixtures/quiz-book/book/quizzes/01-demo.toml");

/// A copy of `tests/fixtures/quiz-book`: one chapter whose quiz is valid.
fn quiz_fixture() -> Fixture {
    Fixture::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/quiz-book"
    ))
}

trait QuizFixture {
    fn problems(&self) -> Vec<Problem>;
}

impl QuizFixture for Fixture {
    fn problems(&self) -> Vec<Problem> {
        quiz::check_quizzes(self.root(), &self.root().join("book"))
    }
}

#[test]
fn a_valid_quiz_has_no_problems_renders_as_a_quiz_and_is_left_unchanged() {
    let fixture = quiz_fixture();
    let problems = fixture.problems();
    assert!(problems.is_empty(), "{}", checks::report(&problems));
    let built = build_book(fixture.root(), None).expect("the fixture book builds");
    assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
    let page = fs::read_to_string(built.html_dir.join("01-demo.html")).unwrap();
    assert!(page.contains("class=\"quiz-placeholder\""), "{page}");
    assert!(page.contains("data-quiz-cache-answers"), "{page}");
    assert!(built.html_dir.join("quiz/quiz-embed.iife.js").is_file());
    assert_eq!(fixture.read("book/quizzes/01-demo.toml"), QUIZ);
}

#[test]
fn a_question_without_an_id_is_reported_because_the_build_would_rewrite_the_file() {
    let fixture = quiz_fixture();
    fixture.edit("book/quizzes/01-demo.toml", "id = \"01-demo-2\"\n", "");
    assert_reported(
        &fixture.problems(),
        "book/quizzes/01-demo.toml:9",
        &["question 2", "has no `id`"],
    );
    let before = fixture.read("book/quizzes/01-demo.toml");
    build_book(fixture.root(), None).expect("the fixture book builds");
    let after = fixture.read("book/quizzes/01-demo.toml");
    assert_ne!(
        before, after,
        "mdbook-quiz no longer writes ids: drop this check"
    );
}

#[test]
fn a_quiz_that_breaks_the_schema_is_reported_and_fails_the_build() {
    let fixture = quiz_fixture();
    fixture.edit(
        "book/quizzes/01-demo.toml",
        "answer.answer = \"wake_by_ref\"",
        "answer.anwser = \"wake_by_ref\"",
    );
    assert_reported(
        &fixture.problems(),
        "book/quizzes/01-demo.toml:9",
        &[
            "question 2: not a valid mdbook-quiz 0.5.0 question",
            "missing field `answer`",
        ],
    );
    let error = build_book(fixture.root(), None).expect_err("a broken quiz fails the build");
    let message = format!("{error:#}");
    assert!(
        message.contains("mdbook-quiz 0.5.0 failed") && message.contains("01-demo.toml"),
        "{message}"
    );
}

#[test]
fn a_wrong_tracing_answer_fails_the_build_with_the_real_output() {
    let fixture = quiz_fixture();
    fixture.edit(
        "book/quizzes/01-demo.toml",
        "answer.stdout = \"2\"",
        "answer.stdout = \"3\"",
    );
    let error = build_book(fixture.root(), None).expect_err("a wrong answer fails the build");
    let message = format!("{error:#}");
    assert!(message.contains("did not match actual stdout"), "{message}");
}

#[test]
fn misspelt_keys_an_answer_among_the_distractors_and_too_few_questions_are_reported() {
    let fixture = quiz_fixture();
    fixture.edit(
        "book/quizzes/01-demo.toml",
        "context = \"One plus one.\"",
        "contxt = \"One plus one.\"",
    );
    fixture.edit(
        "book/quizzes/01-demo.toml",
        "[\"`None`\", ",
        "[\"`Poll::Pending`\", ",
    );
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/quizzes/01-demo.toml:16",
        &["question 3", "unknown key(s) `contxt`"],
    );
    assert_reported(
        &problems,
        "book/quizzes/01-demo.toml:16",
        &["question 3", "has no `context`"],
    );
    assert_reported(
        &problems,
        "book/quizzes/01-demo.toml:1",
        &["`Poll::Pending`", "both the answer and a distractor"],
    );

    let text = fixture.read("book/quizzes/01-demo.toml");
    let two = &text[..text.find("[[questions]]\nid = \"01-demo-3\"").unwrap()];
    fixture.write("book/quizzes/01-demo.toml", two);
    assert_reported(
        &fixture.problems(),
        "book/quizzes/01-demo.toml",
        &["has 2 question(s)", "3 to 6"],
    );
}

#[test]
fn a_chapter_without_a_quiz_an_unused_quiz_and_a_reused_id_are_reported() {
    let fixture = quiz_fixture();
    fixture.write(
        "book/SUMMARY.md",
        "# Summary\n\n- [Demo](01-demo.md)\n- [More](02-more.md)\n",
    );
    fixture.write("book/02-more.md", "# More\n");
    fixture.write("book/quizzes/02-more.toml", QUIZ);
    let problems = fixture.problems();
    assert_reported(
        &problems,
        "book/02-more.md",
        &["no quiz", "{{#quiz quizzes/02-more.toml}}"],
    );
    assert_reported(
        &problems,
        "book/quizzes/02-more.toml",
        &["no page of the book shows this quiz"],
    );

    fixture.write(
        "book/02-more.md",
        "# More\n\n{{#quiz quizzes/02-more.toml}}\n",
    );
    assert_reported(
        &fixture.problems(),
        "book/quizzes/02-more.toml:1",
        &["id `01-demo-1` is already used at book/quizzes/01-demo.toml:1"],
    );
}

#[test]
fn a_question_id_that_does_not_name_its_quiz_file_is_reported() {
    let fixture = quiz_fixture();
    fixture.edit(
        "book/quizzes/01-demo.toml",
        "id = \"01-demo-2\"",
        "id = \"02-demo-2\"",
    );
    assert_reported(
        &fixture.problems(),
        "book/quizzes/01-demo.toml:9",
        &["question 2: its id `02-demo-2` does not start with `01-demo-`"],
    );
}
