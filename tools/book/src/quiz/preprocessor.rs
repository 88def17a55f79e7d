//! The pinned `mdbook-quiz` preprocessor.
//!
//! `mdbook-quiz` is a binary-only crate, so the book cannot link it. Instead
//! [`ensure_installed`] installs exactly [`MDBOOK_QUIZ_VERSION`] into
//! `.tools/` (git-ignored, outside `target/`, so `cargo clean` keeps it) with
//! `cargo install` the first time the book is built, and
//! [`QuizPreprocessor`] runs that binary through mdBook's preprocessor
//! protocol (JSON on stdin and stdout). `cargo book`, the book checks and the
//! Pages workflow all build through the renderer, which registers this one
//! preprocessor, so they all use this one binary; nothing is installed
//! globally and `book.toml` names no path on anyone's machine.
//!
//! The preprocessor writes an `id` into every question that lacks one,
//! rewriting the quiz file during the build. The ids are committed instead
//! (and the [validator](super::validator) insists on them), so a build never
//! leaves the work tree modified.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{Context, bail};
use exercises::relative;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The `mdbook-quiz` release the book is written against.
pub const MDBOOK_QUIZ_VERSION: &str = "0.5.0";

/// Where the project installs the tools it builds the book with: `.tools/`
/// at the repository root, git-ignored and outside `target/`, so that
/// `cargo clean` does not delete them.
pub fn tools_dir() -> PathBuf {
    exercises::repo_root().join(".tools")
}

/// Where `cargo install` builds them: a cache that `cargo clean` may delete.
fn tools_build_dir() -> PathBuf {
    exercises::repo_root()
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
        relative(&exercises::repo_root(), &tools),
        if offline { " --offline" } else { "" }
    );
    let staging = tools.join(format!(".install-{}", std::process::id()));
    let install = |offline: bool| {
        let mut command = Command::new(exercises::workspace::cargo_binary());
        command
            .args(["install", "mdbook-quiz", "--locked", "--version"])
            .arg(MDBOOK_QUIZ_VERSION)
            .arg("--root")
            .arg(&staging)
            // A fixed build directory: a second install finds the work done.
            .arg("--target-dir")
            .arg(tools_build_dir())
            .current_dir(exercises::repo_root())
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
