//! Driving the browser: the chromedriver process and its headless chromium
//! session (started per test, killed as one process group when dropped),
//! loading a page and waiting for it, running a script in it, reading its
//! console, and a plain HTTP client for what the browser is not needed for.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::prelude::*;
use thirtyfour::{
    CapabilitiesHelper, ChromiumLikeCapabilities, LoggingPrefsLogLevel, PageLoadStrategy,
};

pub const CHROMIUM: &str = "/usr/bin/chromium";

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub const DESKTOP: (u32, u32) = (1280, 900);

pub const PHONE: (u32, u32) = (390, 844);

/// The path a browser needs, from an environment variable or Debian's place.
pub fn tool(var: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "the browser tests need Debian's `chromium` and `chromium-driver` ({} is missing). \
         Install them with `sudo apt-get install -y chromium chromium-driver` (`bash .ci/run` \
         does), point {var} at another binary, or run the tests without `--features browser-tests`.",
        path.display()
    );
    path
}

/// A chromedriver process on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver leads its own process group and chromium stays in it:
        // kill the whole group, so that a failed test (which never reaches
        // `quit`) leaves no browser behind.
        let group = -(self.child.id() as libc::pid_t);
        // SAFETY: `kill` only sends a signal; a negative pid names the process
        // group this driver's chromedriver leads (see `process_group(0)`).
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// Starts chromedriver and a fresh headless chromium session.
pub async fn browser(size: (u32, u32)) -> (WebDriver, Driver) {
    let chromium = tool("CHROMIUM", CHROMIUM);
    let chromedriver = tool("CHROMEDRIVER", CHROMEDRIVER);
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", chromedriver.display()));
    let profile = tempfile::tempdir().expect("temp profile dir");
    let driver = Driver {
        child,
        port,
        _profile: profile,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", driver.port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start listening in 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&chromium.to_string_lossy()).unwrap();
    for arg in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // No crash handler: it would run outside the driver's process group.
        "--disable-crash-reporter",
        "--disable-breakpad",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_arg(&format!("--window-size={},{}", size.0, size.1))
        .unwrap();
    caps.add_arg(&format!(
        "--user-data-dir={}",
        driver._profile.path().display()
    ))
    .unwrap();
    caps.set_page_load_strategy(PageLoadStrategy::None).unwrap();
    caps.set_browser_log_level(LoggingPrefsLogLevel::All)
        .unwrap();
    let web = WebDriver::new(format!("http://127.0.0.1:{}", driver.port), caps)
        .await
        .expect("chromedriver starts a chromium session");
    (web, driver)
}

/// Loads `url` and waits until the document and mdBook's scripts are done.
///
/// The session's page-load strategy is `none`, so `goto` returns at once and
/// this waits itself: with the default strategy chromedriver also waits for
/// chromium's own start-up navigation to its new-tab page, which can stall a
/// first page load for its whole one-minute timeout. The old document is
/// marked first, so a reload of the same URL is not mistaken for done.
pub async fn open(web: &WebDriver, url: &str) {
    web.execute("window.__left_behind = true;", vec![])
        .await
        .expect("mark the current document");
    web.goto(url)
        .await
        .unwrap_or_else(|e| panic!("load {url}: {e}"));
    wait_for(
        web,
        &format!(
            "!window.__left_behind && location.href === {} && document.readyState === 'complete'",
            json!(url)
        ),
        url,
    )
    .await;
}

/// Waits (up to 10 s) for a JavaScript expression to become true.
pub async fn wait_for(web: &WebDriver, condition: &str, what: &str) {
    // A watchdog, not a measurement: generous, because a loaded machine can
    // take seconds to lay out the larger pages (one 10 s wait timed out once).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ret = web
            .execute(&format!("return !!({condition});"), vec![])
            .await
            .expect("run a script");
        if ret.json().as_bool() == Some(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for `{condition}` ({what})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn script(web: &WebDriver, body: &str, args: Vec<Value>) -> Value {
    web.execute(body, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{body}"))
        .json()
        .clone()
}

/// Errors the page logged to the console (uncaught exceptions, failed loads).
pub async fn console_errors(web: &WebDriver) -> Vec<String> {
    web.browser_log()
        .await
        .expect("read the browser log")
        .into_iter()
        .filter(|entry| entry.level == "SEVERE")
        .map(|entry| entry.message)
        .collect()
}

/// A plain HTTP GET against the local server: (status, body).
pub fn http_get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let addr: SocketAddr = host.parse().expect("host:port");
    let mut stream = TcpStream::connect(addr).expect("connect to the book server");
    write!(stream, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

pub fn run<F: std::future::Future<Output = ()>>(test: F) {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(test);
}
