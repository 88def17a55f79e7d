//! What Linux says about a process, read from `/proc/PID/...`: for tests
//! that watch a server from outside (a leaked descriptor, memory that grows
//! with unread data, a loop that spins).
//!
//! Each probe panics with the path it could not read or parse: a test that
//! cannot see the process must fail, not pass on a zero.

use std::fs;

fn read(pid: u32, file: &str) -> String {
    let path = format!("/proc/{pid}/{file}");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// How many file descriptors process `pid` has open (`/proc/PID/fd`).
pub fn fd_count(pid: u32) -> usize {
    let path = format!("/proc/{pid}/fd");
    fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("cannot list {path}: {e}"))
        .count()
}

/// The resident memory of process `pid`, in KiB (`VmRSS` in
/// `/proc/PID/status`).
pub fn rss_kib(pid: u32) -> u64 {
    let status = read(pid, "status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or_else(|| panic!("no VmRSS in /proc/{pid}/status"))
}

/// The CPU time process `pid` has used, user and system, in clock ticks
/// (`utime` + `stime` in `/proc/PID/stat`).
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = read(pid, "stat");
    // The command name, field 2, is in parentheses and may contain spaces
    // or parentheses itself: count the fields from after its last `)`.
    // There, the state (field 3) is the first; utime and stime are fields
    // 14 and 15 of proc(5), so the 12th and 13th.
    let rest = stat
        .rfind(')')
        .map(|end| &stat[end + 1..])
        .unwrap_or_else(|| panic!("/proc/{pid}/stat has no `)`: {stat}"));
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| -> u64 {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .unwrap_or_else(|| panic!("/proc/{pid}/stat: field {} is not a number", i + 3))
    };
    field(11) + field(12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opened_file_shows_in_the_descriptor_count() {
        let me = std::process::id();
        let before = fd_count(me);
        let files: Vec<fs::File> = (0..100)
            .map(|_| fs::File::open("/proc/self/stat").unwrap())
            .collect();
        // Other tests of this binary run on other threads and open (and
        // close) a file or two meanwhile: hence the margin.
        assert!(fd_count(me) >= before + 90);
        drop(files);
        assert!(fd_count(me) < before + 10);
    }

    #[test]
    fn memory_touched_shows_in_the_resident_size() {
        let me = std::process::id();
        let before = rss_kib(me);
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        assert!(rss_kib(me) >= before + 32 * 1024, "64 MiB written");
    }

    #[test]
    fn work_done_shows_in_the_cpu_ticks() {
        // Spins until the count rises: a probe that never moves fails by
        // the watchdog.
        crate::within("cpu ticks rise", || {
            let me = std::process::id();
            let before = cpu_ticks(me);
            let mut x = 0u64;
            while cpu_ticks(me) == before {
                for i in 0..1_000_000u64 {
                    x = std::hint::black_box(x.wrapping_add(i));
                }
            }
        });
    }
}
