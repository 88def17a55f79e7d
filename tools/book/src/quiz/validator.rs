//! The quiz checks: every chapter page ends with exactly one quiz, every quiz
//! file is used, and each file is a valid mdbook-quiz quiz whose questions
//! make sense (committed and unique ids, an answer that is not also a
//! distractor, an explanation for the reader, no misspelt keys the schema
//! would silently ignore).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use exercises::includes::markdown_files;
use exercises::{Problem, relative};
use mdbook_quiz_schema::{MultipleChoiceAnswerFormat, Question, Quiz};
use regex::Regex;

use super::preprocessor::MDBOOK_QUIZ_VERSION;
use crate::pages::Pages;

/// Fewest and most questions a chapter's quiz may have.
pub const QUESTIONS: std::ops::RangeInclusive<usize> = 3..=6;

/// One `{{#quiz path}}` in a page.
#[derive(Debug, Clone)]
pub struct QuizDirective {
    /// The Markdown page, absolute.
    pub page: PathBuf,
    /// 1-based line of the page.
    pub line: usize,
    /// The path as written, relative to the page.
    pub path: String,
    /// The quiz file: the page's directory joined with `path`.
    pub target: PathBuf,
}

static QUIZ: LazyLock<Regex> =
    // mdbook-quiz's own pattern (it does not skip code blocks or escapes).
    LazyLock::new(|| Regex::new(r"\{\{#quiz ([^}]+)\}\}").expect("valid regex"));

/// Every quiz directive in the book's pages, in page order.
pub fn find_quizzes(src_dir: &Path) -> Vec<QuizDirective> {
    let mut found = Vec::new();
    for page in markdown_files(src_dir) {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            for caps in QUIZ.captures_iter(line) {
                let path = caps[1].trim().to_string();
                found.push(QuizDirective {
                    target: page.parent().unwrap_or(src_dir).join(&path),
                    page: page.clone(),
                    line: index + 1,
                    path,
                });
            }
        }
    }
    found
}

/// The keys each part of a question may have, by question type. The schema
/// ignores unknown keys, so a misspelt optional key (`contxt`) would silently
/// drop the explanation: report it instead.
fn allowed_keys(kind: &str, part: &str) -> &'static [&'static str] {
    match (kind, part) {
        (_, "question") => &[
            "type",
            "id",
            "multipart",
            "prompt",
            "answer",
            "context",
            "promptExplanation",
        ],
        ("MultipleChoice", "prompt") => &["prompt", "distractors", "answerIndex", "sortAnswers"],
        ("MultipleChoice", "answer") => &["answer"],
        ("ShortAnswer", "prompt") => &["prompt", "response"],
        ("ShortAnswer", "answer") => &["answer", "alternatives"],
        ("Tracing", "prompt") => &["program"],
        ("Tracing", "answer") => &["doesCompile", "stdout", "lineNumber"],
        _ => &[],
    }
}

fn unknown_keys(value: &toml::Value, kind: &str, part: &str) -> Vec<String> {
    let allowed = allowed_keys(kind, part);
    value
        .as_table()
        .map(|table| {
            table
                .keys()
                .filter(|k| !allowed.contains(&k.as_str()))
                .map(|k| format!("`{k}`"))
                .collect()
        })
        .unwrap_or_default()
}

/// 1-based line of the `n`th (0-based) `[[questions]]` header.
fn question_line(text: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[questions]]")
        .nth(n)
        .map(|(i, _)| i + 1)
}

/// Problems in one quiz file's contents: it must parse with mdbook-quiz's
/// schema, hold 3 to 6 questions, each with a committed `id` not used by any
/// other question in `seen_ids`, and make sense as a question.
pub fn check_quiz_text(
    file: &str,
    text: &str,
    seen_ids: &mut HashMap<String, String>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let quiz: Quiz = match toml::from_str(text) {
        Ok(quiz) => quiz,
        Err(e) => {
            // The schema's error points at the whole array of questions:
            // find the question that does not fit, for a useful line.
            let raw: Option<toml::Value> = toml::from_str(text).ok();
            let questions = raw
                .as_ref()
                .and_then(|r| r.get("questions"))
                .and_then(|q| q.as_array());
            let mut found = false;
            for (n, question) in questions.into_iter().flatten().enumerate() {
                if let Err(e) = question.clone().try_into::<Question>() {
                    found = true;
                    let at =
                        question_line(text, n).map_or(file.to_string(), |l| format!("{file}:{l}"));
                    problems.push(Problem::new(
                        at,
                        format!(
                            "question {}: not a valid mdbook-quiz {MDBOOK_QUIZ_VERSION} question: {}",
                            n + 1,
                            e.message()
                        ),
                    ));
                }
            }
            if found {
                return problems;
            }
            let message = e.message().to_string();
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            let at = line.map_or(file.to_string(), |l| format!("{file}:{l}"));
            problems.push(Problem::new(
                at,
                format!("not a valid mdbook-quiz {MDBOOK_QUIZ_VERSION} quiz: {message}"),
            ));
            return problems;
        }
    };
    let raw: toml::Value = toml::from_str(text).unwrap_or(toml::Value::Boolean(false));
    if let Some(extra) = raw.as_table().map(|t| {
        t.keys()
            .filter(|k| !matches!(k.as_str(), "questions" | "multipart"))
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
    }) && !extra.is_empty()
    {
        problems.push(Problem::new(
            file.to_string(),
            format!("unknown top-level key(s) {}", extra.join(", ")),
        ));
    }
    if !QUESTIONS.contains(&quiz.questions.len()) {
        problems.push(Problem::new(
            file.to_string(),
            format!(
                "has {} question(s); a chapter's quiz has {} to {}",
                quiz.questions.len(),
                QUESTIONS.start(),
                QUESTIONS.end()
            ),
        ));
    }
    let raw_questions = raw
        .get("questions")
        .and_then(|q| q.as_array())
        .cloned()
        .unwrap_or_default();
    for (n, question) in quiz.questions.iter().enumerate() {
        let at = question_line(text, n).map_or(file.to_string(), |l| format!("{file}:{l}"));
        let label = format!("question {}", n + 1);
        let mut say = |message: String| {
            problems.push(Problem::new(at.clone(), format!("{label}: {message}")))
        };
        let (kind, id, multipart, prompt_text) = match question {
            Question::MultipleChoice(q) => (
                "MultipleChoice",
                &q.0.id,
                &q.0.multipart,
                &q.0.prompt.prompt.0,
            ),
            Question::ShortAnswer(q) => {
                ("ShortAnswer", &q.0.id, &q.0.multipart, &q.0.prompt.prompt.0)
            }
            Question::Tracing(q) => ("Tracing", &q.0.id, &q.0.multipart, &q.0.prompt.program),
        };
        if let Some(raw_q) = raw_questions.get(n) {
            for part in ["question", "prompt", "answer"] {
                let value = if part == "question" {
                    Some(raw_q)
                } else {
                    raw_q.get(part)
                };
                let unknown = value
                    .map(|v| unknown_keys(v, kind, part))
                    .unwrap_or_default();
                if !unknown.is_empty() {
                    let place = if part == "question" {
                        String::new()
                    } else {
                        format!("in `{part}` ")
                    };
                    say(format!(
                        "unknown key(s) {place}{} for a {kind} question",
                        unknown.join(", ")
                    ));
                }
            }
        }
        match id {
            None => say(
                "has no `id`; mdbook-quiz would write a random one into this file on every \
                 build, so commit one (any unique string, e.g. `id = \"ch01-q1-...\"`)"
                    .to_string(),
            ),
            Some(id) => {
                // Ids are named after their quiz file (`03-executor-...` in
                // `03-executor.toml`), so a renumbered chapter cannot keep
                // another chapter's ids.
                let stem = Path::new(file)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if !id.starts_with(&format!("{stem}-")) {
                    say(format!(
                        "its id `{id}` does not start with `{stem}-`, the name of its quiz file: \
                         after a chapter moves, rename its ids too"
                    ));
                }
                if let Some(other) = seen_ids.insert(id.clone(), at.clone()) {
                    say(format!(
                        "its id `{id}` is already used at {other}; ids must be unique across the book"
                    ));
                }
            }
        }
        if prompt_text.trim().is_empty() {
            say("has an empty prompt".to_string());
        }
        if let Some(key) = multipart
            && !quiz.multipart.as_ref().is_some_and(|m| m.contains_key(key))
        {
            say(format!(
                "names multipart `{key}`, which the quiz's [multipart] table does not have"
            ));
        }
        match question {
            Question::MultipleChoice(q) => {
                let prompt = &q.0.prompt;
                let answers: Vec<&str> = match &q.0.answer.answer {
                    MultipleChoiceAnswerFormat::Single(a) => vec![a.0.as_str()],
                    MultipleChoiceAnswerFormat::Multi(v) => {
                        v.iter().map(|a| a.0.as_str()).collect()
                    }
                };
                if prompt.distractors.is_empty() {
                    say("a multiple-choice question needs at least one distractor".to_string());
                }
                if answers.is_empty() || answers.iter().any(|a| a.trim().is_empty()) {
                    say("has an empty answer".to_string());
                }
                let distractors: HashSet<&str> =
                    prompt.distractors.iter().map(|d| d.0.trim()).collect();
                if let Some(both) = answers.iter().find(|a| distractors.contains(a.trim())) {
                    say(format!("`{both}` is both the answer and a distractor"));
                }
                if distractors.len() != prompt.distractors.len() {
                    say("lists the same distractor twice".to_string());
                }
                if let Some(index) = prompt.answer_index
                    && index > prompt.distractors.len()
                {
                    say(format!(
                        "answerIndex {index} is past the last of {} choices",
                        prompt.distractors.len() + 1
                    ));
                }
                if prompt.answer_index.is_some() && prompt.sort_answers.is_some() {
                    say("cannot use both answerIndex and sortAnswers".to_string());
                }
            }
            Question::ShortAnswer(q) => {
                if q.0.answer.answer.trim().is_empty() {
                    say("has an empty answer".to_string());
                }
            }
            Question::Tracing(q) => {
                let answer = &q.0.answer;
                if answer.does_compile && answer.stdout.is_none() {
                    say(
                        "a program that compiles needs `answer.stdout`, what it prints".to_string(),
                    );
                }
                if !answer.does_compile && answer.stdout.is_some() {
                    say(
                        "a program that does not compile prints nothing; drop `answer.stdout`"
                            .to_string(),
                    );
                }
            }
        }
        if question_context(question).is_none_or(|c| c.trim().is_empty()) {
            say(
                "has no `context`: say why the answer is right, the reader sees it after answering"
                    .to_string(),
            );
        }
    }
    problems
}

fn question_context(question: &Question) -> Option<&str> {
    match question {
        Question::MultipleChoice(q) => q.0.context.as_ref(),
        Question::ShortAnswer(q) => q.0.context.as_ref(),
        Question::Tracing(q) => q.0.context.as_ref(),
    }
    .map(|c| c.0.as_str())
}

/// Every chapter page has exactly one quiz, every quiz it names exists and is
/// valid, and every quiz file in `quizzes/` is used by a page.
pub fn check_quizzes(root: &Path, src_dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let directives = find_quizzes(src_dir);
    let chapters = Pages::chapters_or_report(root, src_dir, &mut problems);
    for page in chapters {
        let on_page: Vec<&QuizDirective> = directives.iter().filter(|d| d.page == page).collect();
        let name = page
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        match on_page.len() {
            0 if page.is_file() => problems.push(Problem::new(
                relative(root, &page),
                format!(
                    "this chapter has no quiz: end it with `{{{{#quiz quizzes/{name}.toml}}}}` \
                     and write book/quizzes/{name}.toml"
                ),
            )),
            0 | 1 => {}
            n => problems.push(Problem::new(
                relative(root, &page),
                format!("has {n} quizzes; a chapter ends with one"),
            )),
        }
    }
    let mut seen_ids = HashMap::new();
    let mut checked = HashSet::new();
    for directive in &directives {
        let at = format!("{}:{}", relative(root, &directive.page), directive.line);
        let target = directive
            .target
            .canonicalize()
            .unwrap_or_else(|_| directive.target.clone());
        let Ok(text) = fs::read_to_string(&target) else {
            problems.push(Problem::new(
                at,
                format!(
                    "`{{{{#quiz {}}}}}` names a file that does not exist",
                    directive.path
                ),
            ));
            continue;
        };
        if checked.insert(target.clone()) {
            problems.extend(check_quiz_text(
                &relative(root, &target),
                &text,
                &mut seen_ids,
            ));
        }
    }
    if let Ok(entries) = fs::read_dir(src_dir.join("quizzes")) {
        let mut unused: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .filter(|p| !checked.contains(&p.canonicalize().unwrap_or_else(|_| p.clone())))
            .collect();
        unused.sort();
        for file in unused {
            problems.push(Problem::new(
                relative(root, &file),
                "no page of the book shows this quiz".to_string(),
            ));
        }
    }
    problems
}
