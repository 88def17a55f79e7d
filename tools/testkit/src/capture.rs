//! Captured output: what a program printed, committed under `output/` so
//! the book can include it, and compared with a fresh run by a test so the
//! page cannot drift from the code.
//!
//! # The header convention
//!
//! A captured file opens with one header line, `$ ` and the command that
//! printed the rest, exactly as a reader types it:
//!
//! ```text
//! $ cargo run -p waker
//! == 1. block_on drives an async block that awaits two Delays ==
//! ...
//! ```
//!
//! The page includes the whole file in a `console` block, so the command and
//! its output are one listing, and the book's checks see the command (they
//! check every `cargo` command an included text file shows). A session of
//! several commands (`output/nc.txt`) repeats the `$ ` line before each
//! one's output ([`session`] reads it back); [`assert_capture`] is for the
//! one-command files. Files a
//! tool writes by itself (chapter 11's harness and profiling scripts) are
//! exactly what it wrote, and the page shows the command above them.
//!
//! # Refreshing a capture
//!
//! After a change to what a program prints, run its test with
//! `UPDATE_OUTPUT=1`: [`assert_capture`] then writes the fresh output below
//! the file's header instead of comparing, and says so on stderr. Review the
//! diff before committing it.

use std::fmt::Debug;
use std::fs;
use std::path::PathBuf;

/// The environment variable that turns comparing into rewriting.
pub const UPDATE: &str = "UPDATE_OUTPUT";

/// Where `file` (relative to the crate under test, `output/demo.txt`) is:
/// the test binary runs with `CARGO_MANIFEST_DIR` set by cargo.
fn path_of(file: &str) -> PathBuf {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .expect("CARGO_MANIFEST_DIR is not set: run the test through cargo");
    PathBuf::from(root).join(file)
}

/// A captured file split into its header line and its body.
fn split(file: &str) -> (PathBuf, String, String) {
    let path = path_of(file);
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the capture {}: {e}", path.display()));
    let Some((header, body)) = text
        .split_once('\n')
        .filter(|(header, _)| header.starts_with("$ "))
    else {
        panic!(
            "{} has no header: its first line must be `$ ` and the command that \
             printed the rest (see testkit::capture)",
            path.display()
        )
    };
    let (header, body) = (header.to_owned(), body.to_owned());
    (path, header, body)
}

/// Runs `binary` with `args` to completion, under the watchdog (a minute
/// at most), and returns what it printed on stdout: the fresh output to
/// compare with a capture.
///
/// # Panics
/// If it cannot start, does not exit successfully (its stderr is in the
/// message), or prints something that is not UTF-8.
pub fn stdout_of(binary: &str, args: &[&str]) -> String {
    let mut command = std::process::Command::new(binary);
    command.args(args);
    let output = crate::watchdog(binary, std::time::Duration::from_secs(60), move || {
        command.output()
    })
    .unwrap_or_else(|e| panic!("cannot run {binary}: {e}"));
    assert!(
        output.status.success(),
        "{binary} {args:?} failed ({}); stderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap_or_else(|e| panic!("{binary}: stdout is not UTF-8: {e}"))
}

/// The body of the captured `file` (everything below its `$ ` header), for
/// tests that take a capture apart themselves (to re-run its command with
/// the arguments it shows, say).
///
/// # Panics
/// If the file cannot be read or has no header.
pub fn captured(file: &str) -> String {
    split(file).2
}

/// The command line the captured `file` shows in its header, without `$ `.
pub fn captured_command(file: &str) -> String {
    split(file).1[2..].to_owned()
}

/// The captured session in `file`: each command its `$ ` lines show
/// (without the `$ `), with what it printed below it, in order.
///
/// # Panics
/// If the file cannot be read or does not open with a `$ ` line.
pub fn session(file: &str) -> Vec<(String, String)> {
    let (_, header, body) = split(file);
    let mut commands = vec![(header[2..].to_owned(), String::new())];
    for line in body.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => commands.push((command.to_owned(), String::new())),
            None => {
                let (_, printed) = commands.last_mut().expect("one command at least");
                printed.push_str(line);
                printed.push('\n');
            }
        }
    }
    commands
}

/// Compares `output`, what the program printed now, with the body of the
/// captured `file`, exactly; with `UPDATE_OUTPUT=1` set, writes `output` as
/// the file's new body (keeping its header) instead.
///
/// # Panics
/// If they differ (a line-by-line diff shows where), or if the file cannot
/// be read or has no header.
pub fn assert_capture(output: &str, file: &str) {
    assert_capture_as(output, file, |text| {
        text.lines().map(str::to_owned).collect::<Vec<_>>()
    });
}

/// [`assert_capture`] for output that is partly different on every run
/// (times, ports the OS picked, a compiler's layout): `view` keeps what must
/// stay the same, and the two views are compared. `UPDATE_OUTPUT=1` still
/// writes the whole fresh output.
pub fn assert_capture_as<T, V>(output: &str, file: &str, view: V)
where
    T: PartialEq + Debug,
    V: Fn(&str) -> T,
{
    let update = std::env::var_os(UPDATE).is_some_and(|v| v == "1");
    compare_or_update(output, file, view, update);
}

fn compare_or_update<T, V>(output: &str, file: &str, view: V, update: bool)
where
    T: PartialEq + Debug,
    V: Fn(&str) -> T,
{
    let (path, header, body) = split(file);
    if update {
        fs::write(&path, format!("{header}\n{output}"))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("{UPDATE}=1: rewrote {}", path.display());
        return;
    }
    let (fresh, shown) = (view(output), view(&body));
    assert!(
        fresh == shown,
        "the output differs from {file}, which the book shows (`{}`):\n\
         now:      {fresh:#?}\ncaptured: {shown:#?}\n\
         if the change is intended, run this test again with {UPDATE}=1 and \
         review the diff of {file}",
        &header[2..]
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A capture in a scratch crate directory of its own (the tests below
    /// run in parallel, each with its own file).
    fn scratch(name: &str, text: &str) -> String {
        let dir = std::env::temp_dir().join(format!("testkit-capture-{}", std::process::id()));
        fs::create_dir_all(dir.join("output")).unwrap();
        fs::write(dir.join("output").join(name), text).unwrap();
        dir.join("output").join(name).to_str().unwrap().to_owned()
    }

    #[test]
    fn the_same_output_passes_and_the_header_is_not_part_of_it() {
        let file = scratch("same.txt", "$ cargo run -p demo\none\ntwo\n");
        assert_capture("one\ntwo\n", &file);
        assert_eq!(captured(&file), "one\ntwo\n");
        assert_eq!(captured_command(&file), "cargo run -p demo");
    }

    #[test]
    fn a_session_is_each_command_with_what_it_printed() {
        let file = scratch("session.txt", "$ nc one\n1\n$ nc two\n$ nc three\n3\n33\n");
        let got = session(&file);
        let want = [("nc one", "1\n"), ("nc two", ""), ("nc three", "3\n33\n")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn stdout_of_returns_what_a_program_printed_and_fails_with_it() {
        assert_eq!(stdout_of("/bin/echo", &["a", "b"]), "a b\n");
        let failed = std::panic::catch_unwind(|| stdout_of("/bin/false", &[]));
        assert!(failed.is_err());
    }

    #[test]
    #[should_panic(expected = "the output differs from")]
    fn a_changed_line_fails() {
        let file = scratch("changed.txt", "$ cargo run -p demo\none\ntwo\n");
        assert_capture("one\nthree\n", &file);
    }

    #[test]
    fn updating_rewrites_the_body_below_the_header() {
        let file = scratch("update.txt", "$ cargo run -p demo\nold\n");
        let lines = |text: &str| text.to_owned();
        compare_or_update("new\nlines\n", &file, lines, true);
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "$ cargo run -p demo\nnew\nlines\n"
        );
        assert_capture("new\nlines\n", &file);
    }

    #[test]
    #[should_panic(expected = "has no header")]
    fn a_file_without_its_command_line_fails() {
        let file = scratch("headless.txt", "one\ntwo\n");
        assert_capture("one\ntwo\n", &file);
    }

    #[test]
    fn a_view_ignores_what_varies_and_still_sees_the_rest() {
        let file = scratch(
            "view.txt",
            "$ cargo run -p demo\n12 ms | start\n30 ms | done\n",
        );
        let labels = |text: &str| -> Vec<String> {
            text.lines()
                .map(|l| l.split_once(" | ").unwrap().1.to_owned())
                .collect()
        };
        assert_capture_as("11 ms | start\n31 ms | done\n", &file, labels);
        let differs = std::panic::catch_unwind(|| {
            assert_capture_as("11 ms | start\n31 ms | failed\n", &file, labels)
        });
        assert!(differs.is_err());
    }
}
