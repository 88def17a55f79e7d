//! Starting a chapter's real server binary in an end-to-end test.
//!
//! Every server in the book prints `listening on <address>` as its first line
//! on stdout, flushed at once, so a test can bind port 0 and still learn the
//! real port. [`ServerProcess`] starts the binary, waits (bounded) for that
//! line, and kills the process when dropped, so a failing test leaves no
//! server behind.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A running server started from its binary; killed on drop.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    /// The rest of stdout, for tests that check what the server printed.
    stdout: Option<BufReader<ChildStdout>>,
}

impl ServerProcess {
    /// Starts `binary` with `args` and waits up to ten seconds for its
    /// `listening on <address>` line.
    ///
    /// # Panics
    /// If the binary cannot start, exits early, prints something else first,
    /// or says nothing in time: each with a message saying which.
    pub fn start(binary: impl AsRef<Path>, args: &[&str]) -> ServerProcess {
        let mut command = Command::new(binary.as_ref());
        command.args(args);
        ServerProcess::spawn(command)
    }

    /// [`start`](Self::start) for a `Command` built by the test, for what
    /// `start` does not set: environment variables, or a `pre_exec` hook
    /// that lowers a resource limit in the child. Its stdin, stdout and
    /// stderr are replaced.
    pub fn spawn(mut command: Command) -> ServerProcess {
        let binary = Path::new(command.get_program()).to_path_buf();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let result = reader.read_line(&mut line).map(|_| line);
            let _ = tx.send((result, reader));
        });
        let (line, reader) = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok((Ok(line), reader)) => (line, reader),
            Ok((Err(e), _)) => panic!("reading the server's stdout failed: {e}"),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "{} printed no `listening on` line within 10 s",
                    binary.display()
                )
            }
        };
        let Some(addr) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let stderr = read_all(child.stderr.take());
            panic!(
                "{} printed {line:?} instead of `listening on <address>`; stderr: {stderr}",
                binary.display()
            );
        };
        let addr = addr
            .parse()
            .unwrap_or_else(|e| panic!("`listening on {addr}`: not an address: {e}"));
        ServerProcess {
            child,
            addr,
            stdout: Some(reader),
        }
    }

    /// The address the server is bound to (with its real port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The operating system's id of the server process (for `/proc/PID/...`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the server is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Stops the server and returns what it printed after the first line, on
    /// stdout and on stderr.
    pub fn stop(mut self) -> (String, String) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let stdout = read_all(self.stdout.take());
        let stderr = read_all(self.child.stderr.take());
        (stdout, stderr)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_all(source: Option<impl Read>) -> String {
    let mut text = String::new();
    if let Some(mut source) = source {
        let _ = source.read_to_string(&mut text);
    }
    text
}
