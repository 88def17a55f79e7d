//! The micro-benchmarks measure work, so first they must do it: every
//! benchmark, on every contestant, at a tiny size, in a debug build, with
//! every task, yield and ping counted against what the benchmark promises.
//! Nothing here looks at a clock.

use performance::micro::{Bench, Contestant, Size};

// ANCHOR: all_work_done
#[test]
fn every_benchmark_does_all_its_work_on_every_runtime() {
    for bench in Bench::ALL {
        for who in Contestant::ALL {
            for size in [
                Size { n: 1, k: 1 },
                Size { n: 7, k: 3 },
                Size { n: 130, k: 2 },
            ] {
                let tally = testkit::within(&format!("{bench} on {who}"), move || {
                    who.run_once(bench, size)
                })
                .unwrap_or_else(|e| panic!("{bench} on {who} at {size:?}: {e:#}"));
                assert_eq!(tally, bench.expected(size), "{bench} on {who} at {size:?}");
                assert!(tally.finished > 0, "{bench} on {who}: nothing ran");
            }
        }
    }
}
// ANCHOR_END: all_work_done

#[test]
fn the_expected_counts_are_what_each_shape_promises() {
    let size = Size { n: 5, k: 4 };
    assert_eq!(Bench::SpawnMany.expected(size).finished, 5);
    assert_eq!(Bench::YieldMany.expected(size).yields, 20);
    // The task that spawns the pairs, and two tasks per pair.
    assert_eq!(Bench::PingPong.expected(size).spawned, 11);
    assert_eq!(Bench::PingPong.expected(size).pongs, 5);
    assert_eq!(Bench::ChainedSpawn.expected(size).depth, 5);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the binary under test is a release build"
)]
fn a_debug_build_refuses_to_measure() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_micro-bench"))
        .output()
        .expect("run micro-bench");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "measured in a debug build");
    assert!(stderr.contains("--bin micro-bench"), "{stderr}");
}
