//! The exercise list, read from every chapter's
//! `[[package.metadata.exercise]]` entries (see CONTRIBUTING.md).
//!
//! Exercises are numbered `<chapter>.<index>`: the chapter from the crate's
//! `chapters/NN-name` folder, the index from the order of the list in its
//! `Cargo.toml`. Loading validates everything a reader's command relies on,
//! so a broken entry is reported once, clearly, instead of as a confusing
//! failure later.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::relative;
use crate::workspace::Workspace;

/// The feature that builds the exercise test targets.
pub const TESTS_FEATURE: &str = "exercise-tests";
/// The feature that compiles the reference solutions in place of the stubs.
pub const SOLUTIONS_FEATURE: &str = "solutions";

/// One exercise, with absolute paths.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// `"1.2"`: chapter 1, second exercise in its list.
    pub id: String,
    pub chapter: u32,
    pub index: usize,
    /// Unique in the whole book, for example `"yield-now"`.
    pub name: String,
    pub title: String,
    pub package: String,
    pub package_dir: PathBuf,
    /// The name of the `[[test]]` target holding its tests.
    pub test: String,
    pub stub: PathBuf,
    pub solution: PathBuf,
    /// The first hint: the idea, in a few sentences.
    pub hint: PathBuf,
    /// The second hint: code-level help, for a reader still stuck after the
    /// first (`cargo ex hint NAME --more`; folded on the page).
    pub more: PathBuf,
    /// Mistakes a reader could plausibly make, each of which the tests must
    /// reject (see `crate::tests_bite`).
    pub wrong: Vec<Wrong>,
}

/// A wrong solution, declared as one edit of the reference solution
/// (`[[package.metadata.exercise.wrong]]`): the proof replaces `replace`,
/// which must occur exactly once in the solution, by `with`, and requires
/// the exercise's tests to fail.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrong {
    /// The mistake, in the words a reviewer would use.
    pub why: String,
    pub replace: String,
    pub with: String,
}

/// What every stub holds until the reader starts: a `// TODO` saying what to
/// do, and a `todo!()` where the code goes. The one definition of "not
/// started": `cargo ex` shows an exercise whose stub still holds both as not
/// started, and the proof requires every committed stub to hold both.
pub const NOT_STARTED_MARKERS: [&str; 2] = ["// TODO", "todo!("];

/// The markers of [`NOT_STARTED_MARKERS`] that `stub` (a stub's text) lacks.
pub fn missing_markers(stub: &str) -> Vec<&'static str> {
    NOT_STARTED_MARKERS
        .into_iter()
        .filter(|marker| !stub.contains(marker))
        .collect()
}

/// Whether `stub` (a stub's text) is untouched: it holds every marker.
pub fn is_not_started(stub: &str) -> bool {
    missing_markers(stub).is_empty()
}

impl Exercise {
    /// Whether the reader's stub (the working copy) is not started yet: it
    /// still holds `// TODO` and `todo!()` (see [`NOT_STARTED_MARKERS`]).
    pub fn not_started(&self) -> bool {
        std::fs::read_to_string(&self.stub).is_ok_and(|text| is_not_started(&text))
    }

    /// The first hint's Markdown text, trimmed.
    pub fn hint_text(&self) -> String {
        read_trimmed(&self.hint)
    }

    /// The second hint's Markdown text, trimmed.
    pub fn more_text(&self) -> String {
        read_trimmed(&self.more)
    }

    /// `"exercise 1.2 (`join`)"`, the way every message names an exercise.
    pub fn label(&self) -> String {
        format!("exercise {} (`{}`)", self.id, self.name)
    }
}

fn read_trimmed(path: &Path) -> String {
    std::fs::read_to_string(path)
        .map(|text| text.trim().to_string())
        .unwrap_or_else(|e| format!("(could not read {}: {e})", path.display()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    title: String,
    test: String,
    stub: String,
    solution: String,
    hint: String,
    more: String,
    #[serde(default)]
    wrong: Vec<Wrong>,
}

/// The chapter number of a crate folder named `NN-name`.
pub fn chapter_number(dir: &Path) -> Option<u32> {
    let name = dir.file_name()?.to_str()?;
    let (number, rest) = name.split_once('-')?;
    if rest.is_empty() || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// Every exercise in book order, or every problem found in the lists.
pub fn load(workspace: &Workspace) -> Result<Vec<Exercise>, Vec<String>> {
    let root = &workspace.root;
    let mut exercises = Vec::new();
    let mut errors = Vec::new();
    for package in &workspace.packages {
        let Some(entries) = package.metadata.get("exercise") else {
            continue;
        };
        let manifest = relative(root, &package.dir.join("Cargo.toml"));
        let entries: Vec<Entry> = match serde_json::from_value(entries.clone()) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(format!(
                    "{manifest}: `[[package.metadata.exercise]]` is malformed: {e} \
                     (expected keys: name, title, test, stub, solution, hint, more, and \
                     optional `[[package.metadata.exercise.wrong]]` tables of why, replace, with)"
                ));
                continue;
            }
        };
        let Some(chapter) = chapter_number(&package.dir) else {
            errors.push(format!(
                "{manifest}: package `{}` lists exercises but its folder is not named \
                 `NN-name`, so its exercises cannot be numbered",
                package.name
            ));
            continue;
        };
        for feature in [TESTS_FEATURE, SOLUTIONS_FEATURE] {
            if !package.features.iter().any(|f| f == feature) {
                errors.push(format!(
                    "{manifest}: package `{}` lists exercises but has no `{feature}` feature",
                    package.name
                ));
            }
        }
        for (position, entry) in entries.into_iter().enumerate() {
            let id = format!("{chapter}.{}", position + 1);
            let what = format!("{manifest}: exercise {id} (`{}`)", entry.name);
            let mut file = |kind: &str, path: &str| {
                let full = package.dir.join(path);
                if !full.is_file() {
                    errors.push(format!(
                        "{what}: its {kind} `{path}` does not exist ({})",
                        relative(root, &full)
                    ));
                }
                full
            };
            let stub = file("stub", &entry.stub);
            let solution = file("solution", &entry.solution);
            let hint = file("hint", &entry.hint);
            let more = file("second hint (`more`)", &entry.more);
            if !package.tests.contains(&entry.test) {
                errors.push(format!(
                    "{what}: its test target `{}` is not a `[[test]]` of package `{}` \
                     (test targets: {})",
                    entry.test,
                    package.name,
                    list_or_none(&package.tests)
                ));
            }
            exercises.push(Exercise {
                id,
                chapter,
                index: position + 1,
                name: entry.name,
                title: entry.title,
                package: package.name.clone(),
                package_dir: package.dir.clone(),
                test: entry.test,
                stub,
                solution,
                hint,
                more,
                wrong: entry.wrong,
            });
        }
    }
    exercises.sort_by_key(|e| (e.chapter, e.index));
    let mut seen: HashMap<&str, &Exercise> = HashMap::new();
    for exercise in &exercises {
        if let Some(first) = seen.insert(&exercise.name, exercise) {
            errors.push(format!(
                "exercise name `{}` is used twice: by {} in package `{}` and by {} in package `{}`",
                exercise.name, first.id, first.package, exercise.id, exercise.package
            ));
        }
    }
    let mut ids: HashMap<&str, &Exercise> = HashMap::new();
    for exercise in &exercises {
        if let Some(first) = ids.insert(&exercise.id, exercise) {
            errors.push(format!(
                "exercise number {} is used twice: packages `{}` and `{}` are both chapter {}",
                exercise.id, first.package, exercise.package, exercise.chapter
            ));
        }
    }
    if errors.is_empty() {
        Ok(exercises)
    } else {
        Err(errors)
    }
}

/// The exercises grouped by package, in package-name order, so that each
/// package's tests are built once.
pub fn by_package(exercises: &[Exercise]) -> BTreeMap<&str, Vec<&Exercise>> {
    let mut groups: BTreeMap<&str, Vec<&Exercise>> = BTreeMap::new();
    for exercise in exercises {
        groups.entry(&exercise.package).or_default().push(exercise);
    }
    groups
}

/// The exercise named `key`, by number (`1.2`) or name (`join`).
///
/// `key` is the exercise's number (`1.2`), its name (`static-waker`), or its
/// stub's file name as the reader sees it in the editor (`static_waker`,
/// `static_waker.rs`, or the file's path).
pub fn find<'a>(exercises: &'a [Exercise], key: &str) -> Result<&'a Exercise, String> {
    let file = Path::new(key);
    let stem = file.file_stem().unwrap_or_default();
    let by_file = file.extension().is_none_or(|ext| ext == "rs");
    exercises
        .iter()
        .find(|e| e.id == key || e.name == key)
        .or_else(|| {
            exercises
                .iter()
                .find(|e| by_file && e.stub.file_stem() == Some(stem))
        })
        .or_else(|| exercises.iter().find(|e| e.name == key.replace('_', "-")))
        .ok_or_else(|| {
            let known: Vec<String> = exercises
                .iter()
                .map(|e| format!("{} {}", e.id, e.name))
                .collect();
            format!(
                "no exercise is called `{key}`; use a number, a name or a file name from `cargo ex`: {}",
                list_or_none(&known)
            )
        })
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_numbers_come_from_the_folder_prefix() {
        assert_eq!(chapter_number(Path::new("chapters/01-waker")), Some(1));
        assert_eq!(
            chapter_number(Path::new("/x/chapters/12-tcp-echo")),
            Some(12)
        );
        assert_eq!(chapter_number(Path::new("tools/testkit")), None);
        assert_eq!(chapter_number(Path::new("chapters/x1-waker")), None);
        assert_eq!(chapter_number(Path::new("chapters/01-")), None);
    }

    #[test]
    fn a_stub_is_not_started_while_it_holds_both_markers() {
        let stub = "// TODO: return twice `n`.\npub fn double(n: u32) -> u32 {\n    todo!()\n}\n";
        assert!(is_not_started(stub));
        assert!(!is_not_started(&stub.replace("todo!()", "n * 2")));
        assert_eq!(missing_markers(&stub.replace("// TODO", "//")), ["// TODO"]);
    }

    #[test]
    fn an_exercise_is_found_by_number_name_or_file_name() {
        let workspace = Workspace::load(&crate::repo_root()).unwrap();
        let all = load(&workspace).unwrap();
        let by_name = find(&all, "static-waker").unwrap();
        for key in [
            by_name.id.as_str(),
            "static_waker",
            "static_waker.rs",
            "chapters/01-waker/exercises/static_waker.rs",
        ] {
            assert_eq!(find(&all, key).map(|e| &e.name), Ok(&by_name.name), "{key}");
        }
        assert!(find(&all, "static_waker.md").is_err());
        assert!(find(&all, "no_such_exercise").is_err());
    }
}
