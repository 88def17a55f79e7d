//! When a ratio says something: the spread of per-round ratios, the noise
//! band measured in the same run (tokio against a second copy of itself),
//! and the one rule that turns both into "ahead", "behind" or "parity
//! within noise".
//!
//! A median that lands on 1.02 says nothing if the rounds it came from
//! read 0.98, 0.99 and 1.05: the sign flipped from round to round. And a
//! spread that never crosses 1.00 still says nothing if two runs of the
//! *same* server differ by as much in this run. So a verdict needs every
//! round on one side, and further out than identical servers ever were.

use serde::Serialize;

// ANCHOR: spread
/// The per-round ratios of one server to another, summed up: the median
/// and the extremes. The rounds themselves are kept in the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub rounds: Vec<f64>,
}

impl Spread {
    /// `None` for no rounds (the reference did not run).
    pub fn of(rounds: Vec<f64>) -> Option<Spread> {
        let mut sorted = rounds.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => return None,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Some(Spread {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            rounds,
        })
    }
}
// ANCHOR_END: spread

// ANCHOR: band
/// How far apart two runs of the same server came in this run: the largest
/// factor, either way, between tokio and `tokio-again` in any round. A band
/// of 1.03 means identical servers differed by up to 3% (in one direction
/// or the other), so no difference of 3% or less means anything here.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NoiseBand {
    pub factor: f64,
}

impl NoiseBand {
    /// From the per-round ratios of two identical servers. Which of the two
    /// is divided by which is arbitrary, so 0.97 counts as much as 1.03.
    /// `None` for no rounds.
    pub fn of(identical: &[f64]) -> Option<NoiseBand> {
        identical
            .iter()
            .map(|&r| if r >= 1.0 { r } else { 1.0 / r })
            .reduce(f64::max)
            .map(|factor| NoiseBand { factor })
    }
}
// ANCHOR_END: band

/// What a comparison says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ahead,
    Behind,
    ParityWithinNoise,
}

impl Verdict {
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Ahead => "ahead",
            Verdict::Behind => "behind",
            Verdict::ParityWithinNoise => "parity within noise",
        }
    }
}

/// Which way is better for a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// Round trips per second.
    Higher,
    /// CPU time per request.
    Lower,
}

// ANCHOR: verdict
/// Fewer rounds than this are no evidence either way: one or two ratios
/// have no spread to speak of, and neither does the band they meet.
pub const MIN_ROUNDS: usize = 3;

/// The rule. `rounds` are one server's per-round ratios to another (or to
/// a target: a ratio of 0.95 against a target of 0.9× is passed as
/// 0.95 / 0.9); `band` is this run's noise.
///
/// - **ahead**: in *every* round the ratio is better than 1 by more than the
///   band (higher than `band.factor`, or for a cost lower than
///   `1 / band.factor`);
/// - **behind**: in every round it is worse by more than the band;
/// - **parity within noise** otherwise: some round fell inside the band,
///   the rounds disagreed about the sign, or there were fewer than
///   [`MIN_ROUNDS`] of them.
///
/// The median plays no part: it can sit on either side of 1 while the
/// rounds say nothing.
pub fn verdict(rounds: &[f64], band: NoiseBand, better: Better) -> Verdict {
    // As an advantage: above 1 is better, whichever way the figure goes.
    let advantage = |r: f64| match better {
        Better::Higher => r,
        Better::Lower => 1.0 / r,
    };
    let outside = |beyond: &dyn Fn(f64) -> bool| {
        rounds.len() >= MIN_ROUNDS && rounds.iter().all(|&r| beyond(advantage(r)))
    };
    if outside(&|a| a > band.factor) {
        Verdict::Ahead
    } else if outside(&|a| a < 1.0 / band.factor) {
        Verdict::Behind
    } else {
        Verdict::ParityWithinNoise
    }
}
// ANCHOR_END: verdict

#[cfg(test)]
mod tests {
    use super::*;

    /// tokio against tokio-again in some run: up to 2% apart, both ways.
    fn band() -> NoiseBand {
        NoiseBand::of(&[1.01, 0.98, 1.005, 0.99, 1.02, 1.0, 0.995]).unwrap()
    }

    #[test]
    fn the_band_is_the_widest_gap_either_way() {
        assert!((band().factor - 1.0 / 0.98).abs() < 1e-12);
        assert_eq!(NoiseBand::of(&[1.0]).unwrap().factor, 1.0);
        assert_eq!(NoiseBand::of(&[]), None);
    }

    #[test]
    fn a_clear_win_is_ahead() {
        let faster = [1.10, 1.08, 1.12, 1.09, 1.11, 1.07, 1.10];
        assert_eq!(verdict(&faster, band(), Better::Higher), Verdict::Ahead);
        let cheaper = [0.90, 0.92, 0.91, 0.89, 0.93, 0.90, 0.91];
        assert_eq!(verdict(&cheaper, band(), Better::Lower), Verdict::Ahead);
    }

    #[test]
    fn a_clear_loss_is_behind() {
        let slower = [0.80, 0.82, 0.79, 0.81, 0.83, 0.80, 0.78];
        assert_eq!(verdict(&slower, band(), Better::Higher), Verdict::Behind);
        // The same numbers as a cost are a win: lower is better.
        assert_eq!(verdict(&slower, band(), Better::Lower), Verdict::Ahead);
        let dearer = [1.5, 1.6, 1.55, 1.52, 1.58, 1.51, 1.57];
        assert_eq!(verdict(&dearer, band(), Better::Lower), Verdict::Behind);
    }

    #[test]
    fn a_sign_flip_is_parity_whatever_the_median() {
        // The review's example: CPU per request 0.980, 0.979, 1.020. The
        // median (0.980) is below 1, and it still says nothing.
        let flips = [0.980, 0.979, 1.020];
        let narrow = NoiseBand::of(&[1.0]).unwrap();
        assert_eq!(
            verdict(&flips, narrow, Better::Lower),
            Verdict::ParityWithinNoise
        );
        // Large swings both ways are no better.
        let wild = [1.30, 0.75, 1.25, 1.28, 1.31, 1.27, 1.29];
        assert_eq!(
            verdict(&wild, narrow, Better::Higher),
            Verdict::ParityWithinNoise
        );
    }

    #[test]
    fn a_spread_inside_the_noise_band_is_parity() {
        // Every round on the good side of 1, none beyond what identical
        // servers did in the same run.
        let inside = [1.01, 1.015, 1.005, 1.019, 1.01, 1.012, 1.008];
        assert_eq!(
            verdict(&inside, band(), Better::Higher),
            Verdict::ParityWithinNoise
        );
        // One round inside the band is enough to withhold "ahead".
        let one_in = [1.10, 1.08, 1.12, 1.01, 1.11, 1.07, 1.10];
        assert_eq!(
            verdict(&one_in, band(), Better::Higher),
            Verdict::ParityWithinNoise
        );
    }

    #[test]
    fn too_few_rounds_are_no_evidence() {
        assert_eq!(
            verdict(&[], band(), Better::Higher),
            Verdict::ParityWithinNoise
        );
        // Twice 1.5× is a hint, not a spread.
        assert_eq!(
            verdict(&[1.5, 1.5], band(), Better::Higher),
            Verdict::ParityWithinNoise
        );
        assert_eq!(
            verdict(&[1.5, 1.5, 1.5], band(), Better::Higher),
            Verdict::Ahead
        );
        assert_eq!(Spread::of(vec![]), None);
    }

    #[test]
    fn the_spread_keeps_the_rounds_in_order() {
        let s = Spread::of(vec![1.2, 0.9, 1.0, 1.1]).unwrap();
        assert_eq!((s.min, s.max), (0.9, 1.2));
        assert!((s.median - 1.05).abs() < 1e-12);
        assert_eq!(s.rounds, [1.2, 0.9, 1.0, 1.1]);
    }
}
