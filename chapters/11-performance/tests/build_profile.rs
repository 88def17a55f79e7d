//! The harness knows when its figures mean nothing: a debug build measures
//! the compiler's unoptimised code, not the runtimes. It refuses to measure
//! for figures, and says so loudly when it runs its smoke check anyway.

use std::process::Command;

const HARNESS: &str = env!("CARGO_BIN_EXE_echo-bench");
const SERVER: &str = env!("CARGO_BIN_EXE_bench-server");

// The test binaries are built in the profile of the harness they run: this
// checks the debug build, and a release test build has nothing to check.
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the harness under test is a release build"
)]
fn a_debug_build_refuses_to_measure_figures_and_names_the_release_command() {
    let output = Command::new(HARNESS)
        .args(["--mode", "quick", "--server-bin", SERVER])
        .output()
        .expect("run echo-bench");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "measured in a debug build:\n{stderr}"
    );
    assert!(stderr.contains("debug build"), "{stderr}");
    assert!(
        stderr.contains("cargo run --release -p performance"),
        "does not say what to run instead:\n{stderr}"
    );
    assert!(!stderr.contains("../"), "a path with ..:\n{stderr}");
}

#[test]
fn the_default_output_directory_is_a_clean_path() {
    let out = performance::default_out();
    assert!(
        out.components()
            .all(|c| c != std::path::Component::ParentDir),
        "{}",
        out.display()
    );
    assert!(out.ends_with("target/echo-bench"), "{}", out.display());
}
