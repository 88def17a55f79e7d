//! Helpers for the chapter's tests: dropping a future part-way, and the
//! captured demo run the book shows, with whether this build's compiler is
//! the one that made it. Sizes of compiler-generated futures are that
//! compiler's layout: with another rustc they may differ, so the tests that
//! compare sizes exactly do so only with the capture's compiler (CI builds
//! with it), and say so otherwise instead of failing a reader's
//! `cargo test` on a layout change that is no bug.

#![allow(dead_code, reason = "each test binary uses part of this module")]

pub const CAPTURED: &str = include_str!("../../output/demo.txt");

/// The line of the capture that names its compiler.
const COMPILER_LINE: &str = "as laid out by ";

/// The compiler the capture was made with.
pub fn captured_compiler() -> &'static str {
    CAPTURED
        .lines()
        .find_map(|line| line.strip_prefix(COMPILER_LINE))
        .expect("output/demo.txt names the compiler that measured its sizes")
}

/// True when this build's compiler made the capture; otherwise prints why
/// the exact size checks are left out.
pub fn same_compiler_as_the_capture(test: &str) -> bool {
    let same = captured_compiler() == pin::RUSTC_VERSION;
    if !same {
        eprintln!(
            "{test}: sizes are compared exactly only with {}, which made \
             output/demo.txt; this build uses {}, so its layout may differ",
            captured_compiler(),
            pin::RUSTC_VERSION
        );
    }
    same
}

/// Whether `line` belongs to the demo's sizes scene (compiler-dependent).
pub fn is_size_line(line: &str) -> bool {
    line.starts_with("size_of") || line.starts_with("the parts:") || line.starts_with(COMPILER_LINE)
}

/// Polls a fresh future `polls` times, then drops it; returns the leaf
/// entries written while it was dropped and the log's handle count after.
pub fn drop_after<F: std::future::Future>(
    polls: usize,
    make: impl FnOnce(pin::Log) -> F,
) -> (Vec<String>, usize) {
    let log = pin::Log::new();
    let mut future = Box::pin(make(log.clone()));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    for _ in 0..polls {
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    log.clear();
    drop(future);
    (log.leaf_trace(), log.handles())
}
