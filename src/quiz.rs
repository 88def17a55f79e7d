//! The chapter quizzes: the pinned `mdbook-quiz` preprocessor, and the checks
//! of the quiz files it reads.
//!
//! `mdbook-quiz` is a binary-only crate, so the book cannot link it. Instead
//! [`ensure_installed`] installs exactly [`MDBOOK_QUIZ_VERSION`] into
//! `.tools/` (git-ignored, outside `target/`, so `cargo clean` keeps it) with
//! `cargo install` the first time the book is built, and
//! [`QuizPreprocessor`] runs that binary through mdBook's preprocessor
//! protocol (JSON on stdin and stdout). `cargo book`, the book checks and the
//! Pages workflow all build through [`crate::render::configure`], so they all
//! use this one binary; nothing is installed globally and `book.toml` names
//! no path on anyone's machine.
//!
//! The preprocessor writes an `id` into every question that lacks one,
//! rewriting the quiz file during the build. The ids are committed instead
//! (and [`check_quizzes`] insists on them), so a build never leaves the work
//! tree modified.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{LazyLock, Mutex};

use anyhow::{Context, bail};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use mdbook_quiz_schema::{MultipleChoiceAnswerFormat, Question, Quiz};
use regex::Regex;

use crate::checks::Problem;
use crate::relative;

/// The `mdbook-quiz` release the book is written against.
pub const MDBOOK_QUIZ_VERSION: &str = "0.5.0";

/// Fewest and most questions a chapter's quiz may have.
pub const QUESTIONS: std::ops::RangeInclusive<usize> = 3..=6;

/// Where the project installs the tools it builds the book with: `.tools/`
/// at the repository root, git-ignored and outside `target/`, so that
/// `cargo clean` does not delete them.
pub fn tools_dir() -> PathBuf {
    crate::repo_root().join(".tools")
}

/// Where `cargo install` builds them: a cache that `cargo clean` may delete.
fn tools_build_dir() -> PathBuf {
    crate::repo_root()
        .join("target")
        .join("tools")
        .join("build")
}

/// Whether cargo is offline for this run: `--offline` given to `cargo book`
/// itself, `CARGO_NET_OFFLINE` in the environment, or `--offline` / `--frozen`
/// given to the cargo that runs us (`cargo --offline book`: cargo does not
/// pass that on, so we read its command line, where Linux shows it).
fn offline(requested: bool) -> bool {
    let env = std::env::var("CARGO_NET_OFFLINE")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1"));
    requested || env || parent_cargo_is_offline()
}

fn parent_cargo_is_offline() -> bool {
    let parent = std::os::unix::process::parent_id();
    fs::read(format!("/proc/{parent}/cmdline")).is_ok_and(|cmdline| says_offline(&cmdline))
}

/// Whether a command line (NUL-separated, as in `/proc/PID/cmdline`) gives
/// cargo `--offline` or `--frozen`, before the `--` that starts our own.
fn says_offline(cmdline: &[u8]) -> bool {
    cmdline
        .split(|&b| b == 0)
        .take_while(|arg| *arg != b"--")
        .any(|arg| arg == b"--offline" || arg == b"--frozen")
}

/// Whether `mdbook-quiz`'s own package is in cargo's download cache: then
/// its dependencies are very likely there too (it was built before), and the
/// install can run offline.
fn in_download_cache() -> bool {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(cache) = home.map(|h| h.join("registry").join("cache")) else {
        return false;
    };
    let file = format!("mdbook-quiz-{MDBOOK_QUIZ_VERSION}.crate");
    fs::read_dir(cache)
        .into_iter()
        .flatten()
        .flatten()
        .any(|registry| registry.path().join(&file).is_file())
}

/// What to do when the install failed, depending on why it may have.
fn install_advice(offline: bool) -> String {
    let by_hand =
        format!("cargo install mdbook-quiz --version {MDBOOK_QUIZ_VERSION} --locked --root .tools");
    if offline {
        format!(
            "cargo is offline, and mdbook-quiz's sources are not in cargo's download cache. \
             Connect once and run `cargo book` again (after that it builds offline, and the \
             tool in .tools/ survives `cargo clean`), or install it by hand when online:\n  {by_hand}"
        )
    } else {
        format!(
            "if the network is the problem, connect and run `cargo book` again; \
             or install it by hand:\n  {by_hand}"
        )
    }
}

/// The pinned `mdbook-quiz` binary, once installed.
pub fn binary() -> PathBuf {
    tools_dir()
        .join("bin")
        .join(format!("mdbook-quiz{}", std::env::consts::EXE_SUFFIX))
}

/// The version a binary reports (`mdbook-quiz 0.5.0` → `0.5.0`), if it runs.
fn installed_version(binary: &Path) -> Option<String> {
    let output = Command::new(binary).arg("--version").output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| stdout.split_whitespace().nth(1).map(str::to_string))
        .flatten()
}

/// Returns the pinned `mdbook-quiz`, installing it into `.tools/` first if
/// it is missing or another version.
///
/// The install builds into a private directory and then renames the binary
/// into place, so two processes installing at once (parallel test binaries)
/// never see half a file; within a process, a lock makes the others wait.
pub fn ensure_installed() -> anyhow::Result<PathBuf> {
    ensure_installed_offline(false)
}

/// [`ensure_installed`], offline if `offline` is set or cargo is configured
/// to be. Online, the install first tries cargo's download cache alone
/// (`--offline`), so a reinstall after `cargo clean` needs no network.
pub fn ensure_installed_offline(offline_requested: bool) -> anyhow::Result<PathBuf> {
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    let binary = binary();
    if installed_version(&binary).as_deref() == Some(MDBOOK_QUIZ_VERSION) {
        return Ok(binary);
    }
    let tools = tools_dir();
    let offline = offline(offline_requested);
    eprintln!(
        "cargo book: the quizzes need the mdbook-quiz {MDBOOK_QUIZ_VERSION} preprocessor, \
         which is not installed yet. Installing it into {} (once: it survives `cargo clean`; \
         a few minutes on 2 cores):\n  cargo install mdbook-quiz --version {MDBOOK_QUIZ_VERSION} --locked{}",
        relative(&crate::repo_root(), &tools),
        if offline { " --offline" } else { "" }
    );
    let staging = tools.join(format!(".install-{}", std::process::id()));
    let install = |offline: bool| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["install", "mdbook-quiz", "--locked", "--version"])
            .arg(MDBOOK_QUIZ_VERSION)
            .arg("--root")
            .arg(&staging)
            // A fixed build directory: a second install finds the work done.
            .arg("--target-dir")
            .arg(tools_build_dir())
            .current_dir(crate::repo_root())
            // Only so that cargo does not advise adding the staging directory to PATH.
            .env("PATH", with_staging_on_path(&staging))
            .stdin(Stdio::null());
        if offline {
            command.arg("--offline");
        }
        command.status().context("could not run `cargo install`")
    };
    // From the download cache when it has the sources (a reinstall after
    // `cargo clean` needs no network); online only if that fails and we may.
    let from_cache = offline || in_download_cache();
    let mut status = install(from_cache)?;
    if !status.success() && !offline && from_cache {
        eprintln!("cargo book: not all of mdbook-quiz's sources are cached; downloading them");
        status = install(false)?;
    }
    if !status.success() {
        bail!(
            "`cargo install mdbook-quiz --version {MDBOOK_QUIZ_VERSION} --locked` failed ({status}); \
             the book's quizzes need it.\n{}",
            install_advice(offline)
        );
    }
    let built = staging
        .join("bin")
        .join(binary.file_name().unwrap_or_default());
    fs::create_dir_all(tools.join("bin"))?;
    fs::rename(&built, &binary)
        .with_context(|| format!("could not move {} into place", built.display()))?;
    let _ = fs::remove_dir_all(&staging);
    match installed_version(&binary) {
        Some(version) if version == MDBOOK_QUIZ_VERSION => {
            eprintln!("Installed mdbook-quiz {version} as {}", binary.display());
            Ok(binary)
        }
        other => bail!(
            "{} reports version {other:?} after installing {MDBOOK_QUIZ_VERSION}",
            binary.display()
        ),
    }
}

fn with_staging_on_path(staging: &Path) -> std::ffi::OsString {
    let mut paths = vec![staging.join("bin")];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap_or_default()
}

/// Runs the pinned `mdbook-quiz` binary as the book's `quiz` preprocessor.
///
/// Unlike mdBook's generic command preprocessor, it keeps the tool's stderr:
/// a quiz that fails to validate makes the build fail with the tool's own
/// explanation, and anything it warns about on a successful build is logged
/// as a WARN event, which the book checks treat as a problem.
#[derive(Debug, Clone)]
pub struct QuizPreprocessor {
    binary: PathBuf,
}

impl QuizPreprocessor {
    /// The preprocessor, with the pinned binary installed if needed.
    pub fn new() -> anyhow::Result<QuizPreprocessor> {
        Ok(QuizPreprocessor {
            binary: ensure_installed()?,
        })
    }
}

impl Preprocessor for QuizPreprocessor {
    fn name(&self) -> &str {
        "quiz"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> anyhow::Result<Book> {
        let input = serde_json::to_vec(&(ctx, &book))?;
        let mut child = Command::new(&self.binary)
            // Its default log level prints a line per build; keep warnings.
            .env("RUST_LOG", "warn")
            .current_dir(&ctx.root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not run {}", self.binary.display()))?;
        let mut stdin = child.stdin.take().context("the child has a stdin")?;
        // Write from another thread: the book is larger than a pipe's buffer,
        // and the tool starts writing its answer before it has read it all.
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let output = child.wait_with_output()?;
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer thread panicked"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!(
                "mdbook-quiz {MDBOOK_QUIZ_VERSION} failed ({}):\n{}",
                output.status,
                stderr.trim_end()
            );
        }
        written.context("could not send the book to mdbook-quiz")?;
        for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
            tracing::warn!(target: "mdbook_quiz", "{line}");
        }
        serde_json::from_slice(&output.stdout).context("mdbook-quiz returned a book we cannot read")
    }

    fn supports_renderer(&self, renderer: &str) -> anyhow::Result<bool> {
        Ok(renderer == "html")
    }
}

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
static SUMMARY_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(([^)]+)\)").expect("valid regex"));
static CHAPTER_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+-[\w-]+\.md$").expect("valid regex"));

/// Every quiz directive in the book's pages, in page order.
pub fn find_quizzes(src_dir: &Path) -> Vec<QuizDirective> {
    let mut found = Vec::new();
    for page in crate::checks::pages(src_dir) {
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

/// The chapter pages: `NN-name.md` files that `SUMMARY.md` links to.
pub fn chapter_pages(src_dir: &Path) -> Vec<PathBuf> {
    let summary = fs::read_to_string(src_dir.join("SUMMARY.md")).unwrap_or_default();
    let mut pages: Vec<PathBuf> = SUMMARY_LINK
        .captures_iter(&summary)
        .map(|c| c[1].trim().trim_start_matches("./").to_string())
        .filter(|link| CHAPTER_PAGE.is_match(link))
        .map(|link| src_dir.join(link))
        .collect();
    pages.sort();
    pages.dedup();
    pages
}

fn problem(location: String, message: String) -> Problem {
    Problem { location, message }
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
                    problems.push(problem(
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
            problems.push(problem(
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
        problems.push(problem(
            file.to_string(),
            format!("unknown top-level key(s) {}", extra.join(", ")),
        ));
    }
    if !QUESTIONS.contains(&quiz.questions.len()) {
        problems.push(problem(
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
        let mut say =
            |message: String| problems.push(problem(at.clone(), format!("{label}: {message}")));
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
    for page in chapter_pages(src_dir) {
        let on_page: Vec<&QuizDirective> = directives.iter().filter(|d| d.page == page).collect();
        let name = page
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        match on_page.len() {
            0 if page.is_file() => problems.push(problem(
                relative(root, &page),
                format!(
                    "this chapter has no quiz: end it with `{{{{#quiz quizzes/{name}.toml}}}}` \
                     and write book/quizzes/{name}.toml"
                ),
            )),
            0 | 1 => {}
            n => problems.push(problem(
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
            problems.push(problem(
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
            problems.push(problem(
                relative(root, &file),
                "no page of the book shows this quiz".to_string(),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod offline_tests {
    use super::*;

    #[test]
    fn cargo_is_offline_when_its_command_line_says_so_before_our_arguments() {
        assert!(says_offline(b"cargo\0--offline\0book\0--no-serve\0"));
        assert!(says_offline(
            b"/usr/bin/cargo\0run\0--frozen\0--bin\0book\0"
        ));
        assert!(!says_offline(b"cargo\0run\0--bin\0book\0--\0--offline\0"));
        assert!(!says_offline(b"cargo\0book\0"));
    }

    #[test]
    fn a_failed_offline_install_says_what_to_do() {
        let advice = install_advice(true);
        assert!(advice.contains("offline"), "{advice}");
        assert!(
            advice.contains("Connect once and run `cargo book` again"),
            "{advice}"
        );
        assert!(advice.contains("--root .tools"), "{advice}");
    }
}
