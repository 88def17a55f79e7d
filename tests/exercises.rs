//! The exercise proof: every exercise's tests fail on its committed stub and
//! on every declared wrong solution, and pass on its reference solution (see
//! `exercises::tests_bite`, in tools/exercises).
//!
//! The nested cargo builds in `target/exercise-proof`, never in the target
//! directory of the `cargo test` running this file: cargos that hold the
//! build lock while tests run would make it wait for ever (see
//! `exercises::test_runner::build_tests`).

use exercises::problem::report;
use exercises::workspace::Workspace;
use exercises::{list, tests_bite};

#[test]
fn every_exercise_fails_on_its_stub_and_its_wrong_solutions_and_passes_on_its_solution() {
    let root = exercises::repo_root();
    let workspace = Workspace::load(&root).expect("cargo metadata");
    let exercises = list::load(&workspace).unwrap_or_else(|errors| {
        panic!(
            "the exercise lists are broken:\n  - {}",
            errors.join("\n  - ")
        )
    });
    assert!(
        !exercises.is_empty(),
        "the book has no exercises: nothing lists `[[package.metadata.exercise]]`"
    );
    // `EXERCISE_PROOF_ONLY=rate-limit,timers` proves only the exercises with
    // those names, numbers or packages, for an author iterating on a few.
    let exercises: Vec<_> = match std::env::var("EXERCISE_PROOF_ONLY") {
        Ok(only) => {
            let keys: Vec<&str> = only.split(',').map(str::trim).collect();
            let chosen: Vec<_> = exercises
                .into_iter()
                .filter(|e| {
                    keys.iter()
                        .any(|k| [&e.name, &e.id, &e.package].contains(&&k.to_string()))
                })
                .collect();
            assert!(
                !chosen.is_empty(),
                "EXERCISE_PROOF_ONLY={only} names no exercise"
            );
            chosen
        }
        Err(_) => exercises,
    };
    let target = root.join("target").join("exercise-proof");
    let problems = tests_bite::prove_with(
        &root,
        &target,
        &exercises,
        tests_bite::LIMIT,
        tests_bite::Stubs::from_env(),
    )
    .expect("run the proof");
    assert!(
        problems.is_empty(),
        "{} of {} exercises are broken:\n{}",
        problems.len(),
        exercises.len(),
        report(&problems)
    );
}
