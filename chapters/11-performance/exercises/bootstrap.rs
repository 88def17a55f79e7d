//! Exercise 11.2: a bootstrap interval for a median ratio.
//!
//! Goal: the harness reports the min–max of its per-round ratios. With
//! many rounds a *bootstrap interval* is the usual alternative: it says how
//! far the median could move if the run were repeated. Draw `resamples`
//! resamples, each as many rounds as `rounds` has, drawn *with
//! replacement* (`pick(n)` returns an index below `n`: call it once per
//! round drawn); take the median of each (for an even count, the mean of
//! the two middle values); sort the medians `m[0..B]` and return
//! `(m[floor(B × (1 − c) / 2)], m[ceil(B × (1 + c) / 2) − 1])` for
//! `confidence` c (0.9 for a 90% interval).

/// The `confidence` bootstrap interval of the median of `rounds`.
#[allow(unused_variables, unused_mut)] // remove once you use them
pub fn bootstrap_median(
    rounds: &[f64],
    resamples: usize,
    confidence: f64,
    mut pick: impl FnMut(usize) -> usize,
) -> (f64, f64) {
    assert!(!rounds.is_empty() && resamples > 0, "nothing to resample");
    // TODO: build each resample with `pick`, keep its median, then sort the
    // medians and read the two percentiles.
    todo!("bootstrap_median")
}
