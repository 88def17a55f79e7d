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

/// How many threads of process `pid` are running or ready to run, state
/// `R` in `/proc/PID/task/TID/stat`; a thread blocked in a system call
/// (`epoll_wait`, a futex, a sleep) is `S`. A thread that spins is `R` at
/// every look, however busy the machine: waiting for a core is still `R`.
/// So counting how often a process is seen running tells a spin from a
/// sleep without measuring any time.
pub fn running_threads(pid: u32) -> usize {
    let tasks = format!("/proc/{pid}/task");
    fs::read_dir(&tasks)
        .unwrap_or_else(|e| panic!("cannot list {tasks}: {e}"))
        // A thread that ends between the listing and the read is gone: not
        // running.
        .filter_map(|task| Some(is_running(&task.ok()?.path().join("stat"))))
        .filter(|&running| running)
        .count()
}

/// Whether thread `tid` of process `pid` is running or ready to run (state
/// `R`, as in [`running_threads`]); `false` for a thread that has ended.
pub fn thread_running(pid: u32, tid: u32) -> bool {
    is_running(std::path::Path::new(&format!(
        "/proc/{pid}/task/{tid}/stat"
    )))
}

/// Whether the `stat` file at `path` says `R`; `false` if it is gone.
fn is_running(path: &std::path::Path) -> bool {
    let Ok(stat) = fs::read_to_string(path) else {
        return false;
    };
    // The state is the first field after the command name, which is in
    // parentheses and may itself contain spaces or parentheses.
    let state = stat
        .rfind(')')
        .and_then(|end| stat[end + 1..].split_whitespace().next());
    state == Some("R")
}

/// The calling thread's id (its `TID` under `/proc/PID/task`), from the
/// `/proc/thread-self` link.
pub fn current_tid() -> u32 {
    let link = fs::read_link("/proc/thread-self")
        .unwrap_or_else(|e| panic!("cannot read /proc/thread-self: {e}"));
    link.file_name()
        .and_then(|tid| tid.to_str()?.parse().ok())
        .unwrap_or_else(|| panic!("no thread id in /proc/thread-self -> {}", link.display()))
}

/// Looks at process `pid` `looks` times, `gap` apart, and returns in how
/// many of them at least one of its threads was running (see
/// [`running_threads`]).
pub fn seen_running(pid: u32, looks: usize, gap: std::time::Duration) -> usize {
    (0..looks)
        .filter(|_| {
            let running = running_threads(pid) > 0;
            std::thread::sleep(gap);
            running
        })
        .count()
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
    fn a_spinning_process_is_seen_running_and_a_sleeping_one_is_not() {
        use std::process::Command;
        use std::time::Duration;
        let mut spin = Command::new("sh")
            .args(["-c", "while :; do :; done"])
            .spawn()
            .unwrap();
        let mut sleep = Command::new("sleep").arg("30").spawn().unwrap();
        let sleep_pid = sleep.id();
        // Once `sleep` has started sleeping (it runs while it starts), a
        // spinning shell is runnable at every look and a sleeping one at
        // none, whatever else runs on the machine.
        crate::within("sleep starts sleeping", move || {
            let pid = sleep_pid;
            while running_threads(pid) > 0 {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let gap = Duration::from_millis(2);
        let spinning = seen_running(spin.id(), 50, gap);
        let sleeping = seen_running(sleep.id(), 50, gap);
        for child in [&mut spin, &mut sleep] {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        assert!(
            spinning >= 45,
            "a spinning shell was seen running {spinning} times of 50"
        );
        assert_eq!(sleeping, 0, "a sleeping process was seen running");
    }
}
