//! Exercise 11.2: a bootstrap interval for a median ratio (reference
//! solution).

/// The `confidence` bootstrap interval of the median of `rounds`.
pub fn bootstrap_median(
    rounds: &[f64],
    resamples: usize,
    confidence: f64,
    mut pick: impl FnMut(usize) -> usize,
) -> (f64, f64) {
    assert!(!rounds.is_empty() && resamples > 0, "nothing to resample");
    let n = rounds.len();
    let mut sample = Vec::with_capacity(n);
    let mut medians: Vec<f64> = (0..resamples)
        .map(|_| {
            sample.clear();
            sample.extend((0..n).map(|_| rounds[pick(n)]));
            median(&mut sample)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    let b = resamples as f64;
    let lower = (b * (1.0 - confidence) / 2.0).floor() as usize;
    let upper = ((b * (1.0 + confidence) / 2.0).ceil() as usize).clamp(1, resamples) - 1;
    (medians[lower.min(resamples - 1)], medians[upper])
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
