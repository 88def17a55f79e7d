//! Exercise 11.2: `bootstrap_median` resamples with replacement, takes
//! medians, and reads the interval at the stated positions; and the
//! interval it gives covers the true median about as often as it claims.

use performance::exercises::bootstrap::bootstrap_median;

/// `pick` that hands out the given indices in turn.
fn scripted(indices: &[usize]) -> impl FnMut(usize) -> usize + '_ {
    let mut next = indices.iter();
    move |n| {
        let i = *next
            .next()
            .expect("pick was called more often than there are rounds to draw");
        assert!(i < n);
        i
    }
}

/// A small deterministic generator (xorshift64*), so that every run of the
/// test draws the same numbers.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

#[test]
fn each_resample_draws_with_replacement_and_keeps_its_median() {
    // Three rounds, four resamples of three draws each:
    // [1, 1, 1] → 1, [2, 2, 3] → 2, [1, 3, 3] → 3, [2, 3, 2] → 2.
    let rounds = [1.0, 2.0, 3.0];
    let picks = [0, 0, 0, 1, 1, 2, 0, 2, 2, 1, 2, 1];
    // Sorted medians [1, 2, 2, 3]; a 50% interval: m[floor(4 × 0.25)] = m[1]
    // and m[ceil(4 × 0.75) − 1] = m[2].
    assert_eq!(
        bootstrap_median(&rounds, 4, 0.5, scripted(&picks)),
        (2.0, 2.0)
    );
    // All of them: m[0] and m[3].
    assert_eq!(
        bootstrap_median(&rounds, 4, 1.0, scripted(&picks)),
        (1.0, 3.0)
    );
}

#[test]
fn an_even_resample_has_the_mean_of_its_two_middle_values_as_median() {
    // Two resamples of four draws: [1, 2, 4, 8] → 3, [8, 8, 8, 1] → 8.
    let rounds = [1.0, 2.0, 4.0, 8.0];
    let picks = [0, 1, 2, 3, 3, 3, 3, 0];
    assert_eq!(
        bootstrap_median(&rounds, 2, 1.0, scripted(&picks)),
        (3.0, 8.0)
    );
}

#[test]
fn identical_rounds_give_a_point() {
    let mut rng = Rng(7);
    let rounds = [1.02; 7];
    assert_eq!(
        bootstrap_median(&rounds, 200, 0.9, |n| rng.below(n)),
        (1.02, 1.02)
    );
}

#[test]
fn a_90_percent_interval_covers_the_true_median_about_nine_times_in_ten() {
    // Ratios drawn from a skewed distribution (exponential: median ln 2,
    // mean 1), fifteen rounds per run, two hundred runs: a 90% interval of
    // the median must contain ln 2 in most runs, but not in all of them.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let truth = std::f64::consts::LN_2;
    let runs = 200;
    let mut covered = 0;
    let mut narrower_than_the_range = 0;
    for _ in 0..runs {
        let rounds: Vec<f64> = (0..15).map(|_| -rng.unit().ln()).collect();
        let mut draw = Rng(rng.next_u64() | 1);
        let (lower, upper) = bootstrap_median(&rounds, 500, 0.9, |n| draw.below(n));
        assert!(lower <= upper, "({lower}, {upper})");
        let min = rounds.iter().copied().fold(f64::INFINITY, f64::min);
        let max = rounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(
            min <= lower && upper <= max,
            "({lower}, {upper}) outside the rounds"
        );
        if lower <= truth && truth <= upper {
            covered += 1;
        }
        if upper - lower < max - min {
            narrower_than_the_range += 1;
        }
    }
    let share = covered as f64 / runs as f64;
    assert!(
        (0.8..=0.98).contains(&share),
        "the 90% interval covered the true median in {covered} runs of {runs}"
    );
    assert_eq!(
        narrower_than_the_range, runs,
        "a median's interval is narrower than the range"
    );
}
