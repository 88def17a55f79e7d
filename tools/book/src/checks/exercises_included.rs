//! Every exercise is in the book: some page includes its stub, both hints
//! and its solution.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use exercises::includes::Include;
use exercises::{Exercise, Problem, relative};

use super::clean;

/// Every exercise's stub, both hints and solution must be included by some page.
pub fn check_exercises_included(
    root: &Path,
    exercises: &[Exercise],
    includes: &[Include],
) -> Vec<Problem> {
    let included: HashSet<PathBuf> = includes.iter().map(|i| clean(&i.target)).collect();
    let mut problems = Vec::new();
    for exercise in exercises {
        for (what, path) in [
            ("stub", &exercise.stub),
            ("hint", &exercise.hint),
            ("second hint", &exercise.more),
            ("solution", &exercise.solution),
        ] {
            if !included.contains(&clean(path)) {
                problems.push(Problem::new(
                    relative(root, &exercise.package_dir.join("Cargo.toml")),
                    format!(
                        "{}: its {what} {} is not included by any page of the book",
                        exercise.label(),
                        relative(root, path)
                    ),
                ));
            }
        }
    }
    problems
}
