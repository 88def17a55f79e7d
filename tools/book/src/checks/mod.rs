//! The whole-book checks: the book and its code cannot drift apart.
//!
//! mdBook is lenient: a missing include file logs an error and the build
//! still succeeds, a missing anchor renders as nothing at all, and a command
//! shown on a page is never run. Each module here looks at one way the book
//! can silently break and returns every instance as a [`Problem`] that names
//! the file, the line and the include or command at fault. The quizzes have
//! their own validator, [`crate::quiz::validator`].
//!
//! To add a check: a module here with one `pub fn check_...` returning
//! `Vec<Problem>`, called from [`check_book`] (or from its own test in
//! `tests/book.rs` when it needs more than the built book), and a test in
//! `tools/book/tests/` that breaks a fixture book and asserts the problem.

pub mod build_log;
pub mod cargo_command_line;
pub mod chapters;
pub mod commands;
pub mod exercises_included;
pub mod figures;
pub mod includes;
pub mod rendered;

use std::path::{Path, PathBuf};

use exercises::Exercise;
pub use exercises::includes::{Include, Selector, find_includes, markdown_files, select};
pub use exercises::problem::{Problem, report};
use exercises::workspace::Workspace;

pub use build_log::check_build_log;
pub use cargo_command_line::check_command;
pub use chapters::check_chapters;
pub use commands::{ShownCommand, check_commands, shown_commands};
pub use exercises_included::check_exercises_included;
pub use figures::check_figures;
pub use includes::check_includes;
pub use rendered::check_rendered;

use crate::render::BuiltBook;

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist).
pub(crate) fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Everything that can be checked without running the exercises: the build
/// log, the includes, the rendered pages, the chapters, the commands and the
/// exercises' presence in the book.
pub fn check_book(
    root: &Path,
    built: &BuiltBook,
    workspace: &Workspace,
    exercises: &[Exercise],
) -> Vec<Problem> {
    let includes = find_includes(&built.src_dir);
    let mut problems = check_build_log(built);
    problems.extend(check_includes(root, &includes));
    problems.extend(check_rendered(root, built, &includes));
    problems.extend(check_chapters(root, &built.src_dir, &includes));
    problems.extend(check_commands(
        root,
        &built.src_dir,
        &includes,
        workspace,
        exercises,
    ));
    problems.extend(check_exercises_included(root, exercises, &includes));
    problems
}
