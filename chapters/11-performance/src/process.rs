//! The two things the harness asks of the OS about processes: run on this
//! core only, and how much CPU time has this process used.

use std::fs;
use std::io;
use std::time::Duration;

// ANCHOR: affinity
/// A set of one CPU, for `sched_setaffinity`.
#[derive(Clone, Copy)]
pub struct OneCpu(libc::cpu_set_t);

impl OneCpu {
    pub fn new(cpu: usize) -> OneCpu {
        // SAFETY: `cpu_set_t` is a plain bit array; all zeroes is the empty
        // set, which is what CPU_ZERO produces.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: CPU_SET writes one bit of `set`, which we own; it checks
        // `cpu` against the set's size itself.
        unsafe { libc::CPU_SET(cpu, &mut set) };
        OneCpu(set)
    }

    /// Moves the calling thread (and the threads it creates afterwards, and
    /// a process it `exec`s) to this CPU only.
    ///
    /// Safe to call between `fork` and `exec` (in `pre_exec`): it is one
    /// system call, with no allocation and no lock.
    pub fn pin_current_thread(&self) -> io::Result<()> {
        // SAFETY: pid 0 means the calling thread; `self.0` is a valid,
        // initialised cpu_set_t and we pass its exact size.
        let rc =
            unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &self.0) };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}
// ANCHOR_END: affinity

impl std::fmt::Debug for OneCpu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneCpu").finish_non_exhaustive()
    }
}

/// The CPUs this thread may run on (a container or `taskset` may allow
/// fewer than the machine has, and not necessarily from 0).
pub fn allowed_cpus() -> Vec<usize> {
    // SAFETY: all zeroes is the empty set, as above.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: pid 0 is the calling thread; the kernel writes at most
    // `size_of::<cpu_set_t>()` bytes into `set`, which we own.
    let rc =
        unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
    if rc != 0 {
        return vec![0];
    }
    (0..libc::CPU_SETSIZE as usize)
        // SAFETY: CPU_ISSET reads one bit of an initialised set, and `cpu`
        // is below CPU_SETSIZE.
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .collect()
}

// ANCHOR: cpu_time
/// CPU time a process has used so far, all its threads together.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CpuTime {
    /// In user space: the runtime, the handler, the copies.
    pub user: Duration,
    /// In the kernel on the process's behalf: the system calls.
    pub system: Duration,
}

impl CpuTime {
    /// Reads `utime` and `stime` (fields 14 and 15) of `/proc/PID/stat`.
    pub fn of(pid: u32) -> io::Result<CpuTime> {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat"))?;
        parse_stat(&stat, clock_ticks_per_second())
    }

    pub fn total(&self) -> Duration {
        self.user + self.system
    }

    /// The time used between `earlier` and `self`.
    pub fn since(&self, earlier: CpuTime) -> CpuTime {
        CpuTime {
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
        }
    }
}

/// Parses a `/proc/PID/stat` line. The second field is the command name in
/// parentheses, and it may itself contain spaces and parentheses, so the
/// fields are counted from the *last* `)`.
fn parse_stat(stat: &str, ticks_per_sec: u64) -> io::Result<CpuTime> {
    let bad = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "unexpected /proc/PID/stat format",
        )
    };
    let after_name = &stat[stat.rfind(')').ok_or_else(bad)? + 1..];
    // After the name come field 3 (state), 4, ...: utime is field 14.
    let mut fields = after_name.split_whitespace().skip(14 - 3);
    let mut ticks =
        || -> io::Result<u64> { fields.next().ok_or_else(bad)?.parse().map_err(|_| bad()) };
    let (utime, stime) = (ticks()?, ticks()?);
    let to_duration = |t: u64| Duration::from_nanos(t * 1_000_000_000 / ticks_per_sec);
    Ok(CpuTime {
        user: to_duration(utime),
        system: to_duration(stime),
    })
}

/// The unit of `utime` and `stime`: almost always 100 per second, so the
/// figures have 10 ms resolution, which is why a run lasts seconds.
pub(crate) fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as u64 } else { 100 }
}
// ANCHOR_END: cpu_time

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_name_with_spaces_and_parens_does_not_shift_the_fields() {
        let stat = "4242 (bench (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 3 0";
        let cpu = parse_stat(stat, 100).unwrap();
        assert_eq!(cpu.user, Duration::from_millis(2500));
        assert_eq!(cpu.system, Duration::from_millis(750));
    }

    #[test]
    fn a_truncated_line_is_an_error_not_a_zero() {
        assert!(parse_stat("4242 (x) S 1 2 3", 100).is_err());
    }

    #[test]
    fn this_process_has_used_some_cpu() {
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        let cpu = CpuTime::of(std::process::id()).unwrap();
        assert!(
            cpu.total() > Duration::ZERO,
            "{cpu:?} after a busy loop ({x})"
        );
    }
}
