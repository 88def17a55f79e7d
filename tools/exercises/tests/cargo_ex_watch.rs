//! `cargo ex watch` in a real terminal: driven through a pseudo-terminal,
//! against a copy of a two-exercise workspace of its own
//! (`tests/fixtures/watched-workspace`; the repository's files are never
//! touched). It re-runs the current exercise
//! when its file is saved, offers the hint after two failures, moves on when
//! the exercise passes, and remembers that across a restart.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use fixture::Fixture;

/// A wrong answer to the fixture's first exercise, `double`.
const WRONG_DOUBLE: &str = "pub fn double(n: u32) -> u32 {\n    n + 2\n}\n";

/// `cargo ex watch` on a pseudo-terminal: what it printed so far, and the
/// terminal's keyboard side.
struct Watch {
    child: Child,
    keyboard: File,
    screen: Arc<Mutex<String>>,
}

impl Watch {
    fn start(root: &Path) -> Watch {
        let (mut master, mut slave) = (-1, -1);
        // SAFETY: openpty writes two descriptors into the two ints we pass;
        // the name, termios and window size are optional and left null.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened by openpty and nothing
        // else owns them.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let terminal = || Stdio::from(slave.try_clone().unwrap());
        let child = Command::new(env!("CARGO_BIN_EXE_ex"))
            .args(["--root"])
            .arg(root)
            .args(["--timeout", "30", "watch"])
            .stdin(terminal())
            .stdout(terminal())
            .stderr(terminal())
            .spawn()
            .expect("start cargo ex watch");
        drop(slave);
        let keyboard = File::from(master.try_clone().unwrap());
        let mut display = File::from(master);
        let screen = Arc::new(Mutex::new(String::new()));
        let shown = screen.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with EIO once the child has closed the terminal.
            while let Ok(n @ 1..) = display.read(&mut buf) {
                shown
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Watch {
            child,
            keyboard,
            screen,
        }
    }

    /// Waits until the screen shows `text` `times` times in all.
    fn wait_for(&mut self, text: &str, times: usize) {
        loop {
            if self.screen.lock().unwrap().matches(text).count() >= times {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                thread::sleep(Duration::from_millis(200));
                panic!(
                    "cargo ex watch ended ({status}) before `{text}`:\n{}",
                    self.screen()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_line(&mut self, line: &str) {
        self.keyboard
            .write_all(format!("{line}\n").as_bytes())
            .unwrap();
    }

    fn screen(&self) -> String {
        self.screen.lock().unwrap().clone()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Saves `text` as the file, with a newer modification time and new bytes.
fn save(path: &Path, text: &str) {
    thread::sleep(Duration::from_millis(20));
    fs::write(path, text).unwrap();
}

#[test]
fn watch_reruns_on_save_offers_the_hint_moves_on_and_remembers_across_restarts() {
    // The builds of the fixture take a while on a busy machine: a generous
    // limit, but a hang still fails the test.
    testkit::watchdog("cargo ex watch", Duration::from_secs(300), || {
        let fixture = Fixture::from_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/watched-workspace"
        ));
        let root = fixture.root();
        let stub = root.join("chapters/01-demo/exercises/double.rs");
        let solved_double = fixture.read("chapters/01-demo/solutions/double.rs");

        let mut watch = Watch::start(root);
        watch.wait_for("== Exercise 1.1: Double a number", 1);
        watch.wait_for("Exercise 1.1 is not solved yet", 1);
        assert!(
            !watch.screen().contains("Stuck?"),
            "offered the hint after one try"
        );
        assert!(
            !watch.screen().contains("Multiply by two."),
            "printed the hint unasked"
        );

        // A wrong answer, saved: it runs again, fails, and offers the hint.
        save(&stub, WRONG_DOUBLE);
        watch.wait_for("Exercise 1.1 is not solved yet", 2);
        watch.wait_for("Stuck? Type h and Enter for the hint", 1);
        watch.type_line("h");
        watch.wait_for("Multiply by two.", 1);

        // The right answer: it passes, is recorded, and the next one starts.
        save(&stub, &solved_double);
        watch.wait_for("Exercise 1.1 (double) passes. On to the next one.", 1);
        watch.wait_for("== Exercise 1.2: Triple a number", 1);
        watch.wait_for("Exercise 1.2 is not solved yet", 1);
        let progress = fs::read_to_string(root.join(".exercises-progress")).unwrap();
        assert_eq!(progress, "double\n");
        // (A `q` that did not quit would hang here, and the watchdog fails.)
        watch.type_line("q");
        assert!(watch.child.wait().unwrap().success());

        // A restart begins where the reader left off.
        let mut again = Watch::start(root);
        again.wait_for("Exercise 1.2 is not solved yet", 1);
        assert!(
            !again.screen().contains("Exercise 1.1"),
            "the restart began at the solved exercise:\n{}",
            again.screen()
        );
    });
}
