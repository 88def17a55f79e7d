//! What the machine was doing: the figures a reader needs to judge a run
//! taken on a shared virtual machine. Steal time (the hypervisor ran
//! someone else on "our" CPU), the load average before and after, the CPU
//! frequency where the kernel exposes it, and the kernel itself.

use std::fs;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::results::{Cores, Machine};
use crate::process::clock_ticks_per_second;

// ANCHOR: steal
/// The machine-wide CPU counters of `/proc/stat`'s first line, in clock
/// ticks: all of them summed, and `steal`, the eighth (time a virtual CPU
/// was ready to run while the hypervisor ran something else).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuCounters {
    pub total: u64,
    pub steal: u64,
}

impl CpuCounters {
    pub fn read() -> Option<CpuCounters> {
        parse_proc_stat(&fs::read_to_string("/proc/stat").ok()?)
    }
}

/// The aggregate `cpu` line: user nice system idle iowait irq softirq
/// steal guest guest_nice. (guest time is already counted in user, so it
/// is left out of the total.)
fn parse_proc_stat(stat: &str) -> Option<CpuCounters> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    let steal = *fields.get(7)?;
    Some(CpuCounters {
        total: fields.iter().take(8).sum(),
        steal,
    })
}

/// Steal time over a run, from the counters before and after it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Steal {
    pub secs: f64,
    /// Of all CPU time (every CPU) that passed meanwhile.
    pub share: f64,
}

impl Steal {
    pub fn between(before: CpuCounters, after: CpuCounters) -> Steal {
        let steal = after.steal.saturating_sub(before.steal);
        let total = after.total.saturating_sub(before.total).max(1);
        Steal {
            secs: steal as f64 / clock_ticks_per_second() as f64,
            share: steal as f64 / total as f64,
        }
    }
}
// ANCHOR_END: steal

/// Each CPU's current frequency in MHz, from cpufreq; `None` when the
/// kernel does not expose it (as in many virtual machines).
pub fn cpu_mhz(cpus: &[usize]) -> Option<Vec<f64>> {
    cpus.iter()
        .map(|cpu| {
            let path = format!("/sys/devices/system/cpu/cpu{cpu}/cpufreq/scaling_cur_freq");
            let khz: f64 = fs::read_to_string(path).ok()?.trim().parse().ok()?;
            Some(khz / 1000.0)
        })
        .collect::<Option<Vec<_>>>()
        .filter(|mhz| !mhz.is_empty())
}

pub fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn kernel() -> String {
    let read = |name: &str| {
        fs::read_to_string(format!("/proc/sys/kernel/{name}"))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    format!("{} {}", read("osrelease"), read("version"))
        .trim()
        .to_string()
}

/// What was read before the run, to be completed after it.
#[derive(Debug)]
pub struct Before {
    pub load: String,
    pub counters: Option<CpuCounters>,
    pub started: String,
}

impl Before {
    pub fn now() -> Before {
        Before {
            load: loadavg(),
            counters: CpuCounters::read(),
            started: utc(SystemTime::now()),
        }
    }

    /// The machine description, with what changed over the run.
    pub fn finish(self, cpus: &[usize], pinned: Option<Cores>) -> Machine {
        Machine {
            cpus: cpus.len(),
            cpu_model: cpu_model(),
            kernel: kernel(),
            started_utc: self.started,
            load_before: self.load,
            load_after: loadavg(),
            steal: self
                .counters
                .zip(CpuCounters::read())
                .map(|(before, after)| Steal::between(before, after)),
            cpu_mhz: cpu_mhz(cpus),
            pinned,
        }
    }
}

/// `2026-12-02 03:04:05 UTC`, from the civil-from-days algorithm (no
/// time-zone database needed for UTC).
pub fn utc(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 → year, month, day (Howard Hinnant's
    // `civil_from_days`, for days >= 0), counting years from March.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steal_is_the_eighth_counter_and_the_total_leaves_guest_out() {
        let stat = "cpu  633413 0 184153 138258 3502 0 2977 1517 40 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n";
        let c = parse_proc_stat(stat).unwrap();
        assert_eq!(c.steal, 1517);
        assert_eq!(c.total, 633413 + 184153 + 138258 + 3502 + 2977 + 1517);
        assert_eq!(parse_proc_stat("cpu  1 2 3"), None, "too few fields");
        assert_eq!(parse_proc_stat("intr 5"), None, "no cpu line");
    }

    #[test]
    fn steal_share_is_of_the_time_that_passed() {
        let before = CpuCounters {
            total: 1000,
            steal: 10,
        };
        let after = CpuCounters {
            total: 1400,
            steal: 30,
        };
        let steal = Steal::between(before, after);
        assert!((steal.share - 0.05).abs() < 1e-12, "{steal:?}");
    }

    #[test]
    fn utc_dates_come_out_right() {
        let at = |secs: u64| utc(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01 00:00:00 UTC");
        // 2000-02-29, a leap day in a century year divisible by 400.
        assert_eq!(at(951_782_400 + 3661), "2000-02-29 01:01:01 UTC");
        assert_eq!(at(1_798_761_599), "2026-12-31 23:59:59 UTC");
    }
}
