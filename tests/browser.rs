//! The rendered book in a real browser: Debian's `chromium`, headless, driven
//! through `chromedriver` against the book served on 127.0.0.1 by the
//! project's own server (`src/serve.rs`), exactly as `cargo book` serves it.
//!
//! These tests only build with `--features browser-tests` (`.ci/run` turns it
//! on and installs the browser), so that `cargo test --workspace` on a
//! reader's machine needs nothing but Rust. With the feature on, a missing
//! browser is a failure that says how to install it, never a silent skip.
//!
//! Screenshots go to `target/browser-artifacts/`.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use book::render::build_book;
use serde_json::{Value, json};
use thirtyfour::prelude::*;
use thirtyfour::{
    CapabilitiesHelper, ChromiumLikeCapabilities, LoggingPrefsLogLevel, PageLoadStrategy,
};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

fn root() -> PathBuf {
    book::repo_root()
}

fn artifacts() -> PathBuf {
    let dir = root().join("target").join("browser-artifacts");
    std::fs::create_dir_all(&dir).expect("create target/browser-artifacts");
    dir
}

/// The path a browser needs, from an environment variable or Debian's place.
fn tool(var: &str, default: &str) -> PathBuf {
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

/// The book, built once into `target/browser-book` and served on an
/// ephemeral port for the rest of the test run. Returns the base URL.
fn book_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let dest = root().join("target").join("browser-book");
        let built = build_book(&root(), Some(&dest))
            .unwrap_or_else(|e| panic!("the book does not build: {e:#}"));
        serve_dir(&built.html_dir, &site_prefix())
    })
}

/// The path of `site-url` in book.toml (`/async-from-scratch/`).
fn site_prefix() -> String {
    book::render::site_prefix(&root())
}

/// `(title, page.html)` for every page `SUMMARY.md` links, in order. The
/// title is the text a reader sees: a code span's backticks are not shown.
fn summary_pages() -> Vec<(String, String)> {
    let src = root().join("book");
    let pages = book::pages::Pages::load(&src).expect("SUMMARY.md reads");
    pages
        .entries
        .iter()
        .filter_map(|page| {
            let rel = page.source.as_ref()?.strip_prefix(&src).ok()?;
            let html = rel.with_extension("html").to_string_lossy().into_owned();
            Some((page.title.replace('`', ""), html))
        })
        .collect()
}

/// A chromedriver process on a free port, stopped when dropped.
struct Driver {
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
async fn browser(size: (u32, u32)) -> (WebDriver, Driver) {
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
async fn open(web: &WebDriver, url: &str) {
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
async fn wait_for(web: &WebDriver, condition: &str, what: &str) {
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

async fn script(web: &WebDriver, body: &str, args: Vec<Value>) -> Value {
    web.execute(body, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{body}"))
        .json()
        .clone()
}

/// Errors the page logged to the console (uncaught exceptions, failed loads).
async fn console_errors(web: &WebDriver) -> Vec<String> {
    web.browser_log()
        .await
        .expect("read the browser log")
        .into_iter()
        .filter(|entry| entry.level == "SEVERE")
        .map(|entry| entry.message)
        .collect()
}

/// A plain HTTP GET against the local server: (status, body).
fn http_get(url: &str) -> (u16, String) {
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

/// Serves `dir` on an ephemeral port with the book's own server, for the
/// rest of the test run, as `cargo book` does; returns its base URL.
fn serve_dir(dir: &Path, prefix: &str) -> String {
    let listener = book::serve::bind(0).expect("bind 127.0.0.1:0");
    let base = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let (dir, prefix) = (dir.to_path_buf(), prefix.to_string());
    std::thread::spawn(move || book::serve::serve(listener, &dir, &prefix));
    base
}

fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  - {}",
        problems.len(),
        problems.join("\n  - ")
    );
}

fn run<F: std::future::Future<Output = ()>>(test: F) {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(test);
}

/// What is wrong with one page as the browser shows it: console errors, a
/// `{{#` left in the text, its title missing, an empty code block, and
/// internal links or images that do not answer 200 or name a missing
/// `#fragment`. `statuses` caches the server's answers across pages.
async fn check_page(
    web: &WebDriver,
    base: &str,
    page: &str,
    title: &str,
    statuses: &mut HashMap<String, (u16, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    open(web, &format!("{base}{page}")).await;
    for error in console_errors(web).await {
        problems.push(format!("{page}: console error: {error}"));
    }
    let text = script(
        web,
        "return document.querySelector('main').innerText;",
        vec![],
    )
    .await;
    let text = text.as_str().unwrap_or_default();
    if text.contains("{{#") {
        problems.push(format!(
            "{page}: the page shows an unexpanded `{{{{#` directive"
        ));
    }
    if !text.contains(title) {
        problems.push(format!(
            "{page}: the page does not show its title `{title}`"
        ));
    }
    // textContent, not innerText: code folded away in a <details> counts.
    let empty_blocks = script(
        web,
        "return [...document.querySelectorAll('main pre code')]\
           .filter(c => c.textContent.trim() === '').length;",
        vec![],
    )
    .await;
    if empty_blocks.as_u64() != Some(0) {
        problems.push(format!("{page}: {empty_blocks} code block(s) are empty"));
    }
    let targets = script(
        web,
        "return [...document.querySelectorAll('a[href]')].map(a => a.href)\
           .concat([...document.querySelectorAll('img[src]')].map(i => i.src));",
        vec![],
    )
    .await;
    for target in targets
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !target.starts_with(base) {
            continue; // another site: not ours to check offline
        }
        let (address, fragment) = match target.split_once('#') {
            Some((a, f)) => (a.to_string(), Some(f.to_string())),
            None => (target.to_string(), None),
        };
        let (status, body) = statuses
            .entry(address.clone())
            .or_insert_with(|| http_get(&address))
            .clone();
        if status != 200 {
            problems.push(format!("{page}: link to {target} answers HTTP {status}"));
            continue;
        }
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let id = format!("id=\"{fragment}\"");
            if !body.contains(&id) {
                problems.push(format!(
                    "{page}: link to {target}: no element with {id} there"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_page_loads_without_console_errors_shows_its_code_and_links_only_to_what_exists() {
    run(async {
        let base = book_url();
        let (web, _driver) = browser(DESKTOP).await;
        let mut problems = Vec::new();
        let mut statuses = HashMap::new();
        let pages = summary_pages();
        assert!(
            pages.len() >= 3,
            "SUMMARY.md links too few pages: {pages:?}"
        );
        // print.html holds every chapter (and every quiz) in one document.
        let print = ("Introduction".to_string(), "print.html".to_string());
        for (title, page) in pages.iter().chain([&print]) {
            problems.extend(check_page(&web, base, page, title, &mut statuses).await);
        }
        web.quit().await.expect("quit chromium");
        assert!(
            statuses.len() > pages.len(),
            "only {} internal links were checked: the link check found nothing to check",
            statuses.len()
        );
        assert_no_problems(&problems);
    });
}

/// The page checks must bite: a hand-written broken page, served by the same
/// server, gets every one of its faults reported, and its one good link not.
#[test]
fn the_page_checks_catch_console_errors_broken_links_and_empty_code() {
    run(async {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("broken.html"),
            "<!DOCTYPE html><html><head><title>Broken</title></head><body><main>\
             <h1>Broken</h1><pre><code></code></pre><p>{{#include missing.rs}}</p>\
             <a href=\"missing.html\">gone</a> <a href=\"other.html#nowhere\">no anchor</a>\
             <a href=\"other.html#here\">fine</a> <img src=\"nope.svg\" alt=\"\">\
             <script>not_a_function();</script></main></body></html>",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("other.html"),
            "<!DOCTYPE html><html><body><main><h1 id=\"here\">Other</h1></main></body></html>",
        )
        .unwrap();
        let base = serve_dir(dir.path(), "/");
        let (web, _driver) = browser(DESKTOP).await;
        let problems = check_page(&web, &base, "broken.html", "Broken", &mut HashMap::new()).await;
        web.quit().await.expect("quit chromium");
        let all = problems.join("\n");
        for expected in [
            "console error",
            "not_a_function",
            "unexpanded `{{#` directive",
            "1 code block(s) are empty",
            "missing.html answers HTTP 404",
            "nope.svg answers HTTP 404",
            "other.html#nowhere: no element with id=\"nowhere\"",
        ] {
            assert!(
                all.contains(expected),
                "no problem mentions `{expected}`:\n{all}"
            );
        }
        assert!(!all.contains("#here"), "the good link was reported:\n{all}");
    });
}

#[test]
fn searching_for_waker_finds_chapter_one() {
    run(async {
        let (web, _driver) = browser(DESKTOP).await;
        open(&web, &format!("{}introduction.html", book_url())).await;
        web.find(By::Id("mdbook-search-toggle"))
            .await
            .expect("the search button")
            .click()
            .await
            .expect("open search");
        let bar = web
            .find(By::Id("mdbook-searchbar"))
            .await
            .expect("the search box");
        bar.send_keys("Waker")
            .await
            .expect("type in the search box");
        wait_for(
            &web,
            "document.querySelectorAll('#mdbook-searchresults a').length > 0",
            "search results",
        )
        .await;
        let hits = script(
            &web,
            "return [...document.querySelectorAll('#mdbook-searchresults a')].map(a => a.href);",
            vec![],
        )
        .await;
        let hits: Vec<&str> = hits
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            hits.iter().any(|h| h.contains("01-waker.html")),
            "searching for Waker does not find chapter 1: {hits:?}"
        );
        assert!(console_errors(&web).await.is_empty());
        web.quit().await.expect("quit chromium");
    });
}

#[test]
fn the_sidebar_lists_every_chapter() {
    run(async {
        let (web, _driver) = browser(DESKTOP).await;
        open(&web, &format!("{}introduction.html", book_url())).await;
        wait_for(
            &web,
            "document.querySelectorAll('.sidebar a[href]').length > 1",
            "the sidebar",
        )
        .await;
        let links = script(
            &web,
            "return [...document.querySelectorAll('.sidebar a[href]')]\
               .map(a => [a.innerText.trim(), a.getAttribute('href')]);",
            vec![],
        )
        .await;
        let links: Vec<(String, String)> = serde_json::from_value(links).expect("pairs");
        for (title, page) in summary_pages() {
            assert!(
                links
                    .iter()
                    .any(|(text, href)| text.contains(&title) && href.ends_with(&page)),
                "the sidebar has no link `{title}` to {page}; it has {links:?}"
            );
        }
        web.quit().await.expect("quit chromium");
    });
}

/// Gives some answer to the quiz's current question and submits it; returns
/// "done" once the quiz shows its results.
const ANSWER_ANYTHING: &str = r#"
const quiz = document.querySelector('.mdbook-quiz');
if (/You answered/.test(quiz.innerText)) return 'done';
const radio = quiz.querySelector('input[type=radio]');
if (radio) radio.click();
for (const box of quiz.querySelectorAll('input[type=text], textarea')) {
  const set = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(box), 'value').set;
  set.call(box, 'an answer');
  box.dispatchEvent(new Event('input', {bubbles: true}));
}
const submit = quiz.querySelector('input[type=submit], button[type=submit]');
if (submit) submit.click();
return quiz.innerText;
"#;

/// The quiz question the test answers: the first one of chapter 1.
const FIRST_QUIZ: &str = "01-waker.html";

#[test]
fn a_quiz_question_can_be_answered_gives_feedback_and_is_remembered() {
    run(async {
        let (web, _driver) = browser(DESKTOP).await;
        let url = format!("{}{FIRST_QUIZ}", book_url());
        open(&web, &url).await;
        wait_for(
            &web,
            "document.querySelector('.mdbook-quiz')",
            "the quiz to render",
        )
        .await;
        let start = web
            .find(By::Css(".mdbook-quiz .start-button, .mdbook-quiz button"))
            .await
            .expect("the quiz's start button");
        start.scroll_into_view().await.expect("scroll to the quiz");
        start.click().await.expect("start the quiz");
        // Pick the correct answer of question 1, whatever order it is shown in.
        wait_for(
            &web,
            "document.querySelector('.mdbook-quiz input[type=radio]')",
            "the choices",
        )
        .await;
        let picked = script(
            &web,
            "const labels = [...document.querySelectorAll('.mdbook-quiz label')];\
             const right = labels.find(l => l.innerText.includes('hangs forever'));\
             if (!right) return labels.map(l => l.innerText);\
             right.click(); return true;",
            vec![],
        )
        .await;
        assert_eq!(
            picked,
            json!(true),
            "no choice mentions `hangs forever`: {picked}"
        );
        web.find(By::Css(
            ".mdbook-quiz input[type=submit], .mdbook-quiz button[type=submit]",
        ))
        .await
        .expect("the submit button")
        .click()
        .await
        .expect("submit the answer");
        // The quiz moves on to question 2 of N.
        wait_for(
            &web,
            "/Question\\s*2/.test(document.querySelector('.mdbook-quiz').innerText)",
            "the quiz to accept the answer and move on",
        )
        .await;
        // Answer the rest, whatever they are, to reach the results.
        for _ in 0..10 {
            let state = script(&web, ANSWER_ANYTHING, vec![]).await;
            if state == json!("done") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let results = script(
            &web,
            "return document.querySelector('.mdbook-quiz').innerText;",
            vec![],
        )
        .await;
        let results = results.as_str().unwrap_or_default().to_string();
        assert!(
            results.contains("You answered") && results.contains("correctly"),
            "the quiz shows no results after the last question:\n{results}"
        );
        // The first answer was right, and the results say so.
        assert!(
            script(
                &web,
                "return document.querySelectorAll('.mdbook-quiz .correct').length;",
                vec![]
            )
            .await
            .as_u64()
            .is_some_and(|n| n > 0),
            "the results mark no answer as correct:\n{results}"
        );
        let quiz = web.find(By::Css(".mdbook-quiz")).await.expect("the quiz");
        let shot = quiz.screenshot_as_png().await.expect("quiz screenshot");
        std::fs::write(artifacts().join("quiz-01-waker-results.png"), shot).expect("save it");
        // cache_answers: after a reload the quiz shows the results again.
        open(&web, &url).await;
        wait_for(
            &web,
            "document.querySelector('.mdbook-quiz') && /You answered/.test(document.querySelector('.mdbook-quiz').innerText)",
            "the answers to be remembered after a reload",
        )
        .await;
        let errors = console_errors(&web).await;
        assert!(errors.is_empty(), "console errors in the quiz: {errors:?}");
        web.quit().await.expect("quit chromium");
    });
}

/// The PNG's width and height, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[1..4], b"PNG", "not a PNG");
    let word = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn the_introduction_fits_desktop_and_phone_widths_and_is_saved_as_screenshots() {
    run(async {
        for (name, size) in [("desktop", DESKTOP), ("phone", PHONE)] {
            let (web, _driver) = browser(size).await;
            web.set_window_rect(0, 0, size.0, size.1)
                .await
                .expect("resize the window");
            open(&web, &format!("{}introduction.html", book_url())).await;
            let overflow = script(
                &web,
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await;
            assert!(
                overflow.as_i64().is_some_and(|o| o <= 0),
                "at {name} width ({}px) the introduction scrolls sideways by {overflow}px",
                size.0
            );
            let png = web.screenshot_as_png().await.expect("take a screenshot");
            let (width, _) = png_size(&png);
            assert!(
                width > 0 && width <= size.0,
                "{name} screenshot is {width}px wide"
            );
            let file = artifacts().join(format!("introduction-{name}.png"));
            std::fs::write(&file, &png).expect("save the screenshot");
            web.quit().await.expect("quit chromium");
        }
    });
}

/// A figure's name and its texts below the contrast needed: (text, colours, ratio).
type FigureReport = (String, Vec<(String, String, f64)>);

/// For every figure (an inline SVG with text) on the page, its title and the
/// texts whose colour has a contrast below 3 against what is painted under
/// them (a box of the figure, or the page).
async fn low_contrast_texts(web: &WebDriver) -> Vec<FigureReport> {
    let report = script(
        web,
        &format!(
            "{CONTRAST}\
             return [...document.querySelectorAll('main svg:has(text)')].map((svg, i) => {{\
               const low = [...svg.querySelectorAll('text')].map(t => {{\
                 const fill = getComputedStyle(t).fill;\
                 return [t.textContent.trim(), fill + ' on ' + under(t), ratio(fill, under(t))];\
               }}).filter(([, , r]) => r < 3);\
               const title = svg.querySelector('title');\
               return [title ? title.textContent : ('svg ' + i), low];\
             }});"
        ),
        vec![],
    )
    .await;
    serde_json::from_value(report).expect("figure report")
}

/// For every chart on the page, its title and the data marks (shapes with
/// their own `<title>`: the bars) whose colour, as painted (its opacity
/// blended over what lies under it), has a contrast below 3 against what
/// lies under it: WCAG's minimum for graphical objects.
async fn low_contrast_marks(web: &WebDriver) -> Vec<FigureReport> {
    let report = script(
        web,
        &format!(
            "{CONTRAST}\
             const painted = (e, over) => {{\
               const s = getComputedStyle(e);\
               const [r, g, b, a = 1] = s.fill.match(/[\\d.]+/g).map(Number);\
               let alpha = a * parseFloat(s.fillOpacity);\
               for (let x = e; x && x.ownerSVGElement !== null; x = x.parentElement) {{\
                 alpha *= parseFloat(getComputedStyle(x).opacity);\
                 if (x instanceof SVGSVGElement) break;\
               }}\
               const [R, G, B] = over.match(/[\\d.]+/g).slice(0, 3).map(Number);\
               const mix = (f, u) => Math.round(alpha * f + (1 - alpha) * u);\
               return `rgb(${{mix(r, R)}}, ${{mix(g, G)}}, ${{mix(b, B)}})`;\
             }};\
             return [...document.querySelectorAll('main svg:has(:is(rect, path, circle, polygon) > title)')].map((svg, i) => {{\
               const low = [...svg.querySelectorAll(':is(rect, path, circle, polygon):has(> title)')].map(m => {{\
                 const below = under(m);\
                 const fill = painted(m, below);\
                 return [m.querySelector('title').textContent.trim(), fill + ' on ' + below, ratio(fill, below)];\
               }}).filter(([, , r]) => r < 3);\
               const title = svg.querySelector('title');\
               return [title ? title.textContent : ('svg ' + i), low];\
             }});"
        ),
        vec![],
    )
    .await;
    serde_json::from_value(report).expect("chart report")
}

/// The contrast check must bite: on a dark page, a figure's text painted in
/// a fixed dark colour is reported, text that follows the theme is not.
#[test]
fn the_figure_check_catches_text_that_does_not_follow_a_dark_theme() {
    run(async {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("figure.html"),
            "<!DOCTYPE html><html><body style=\"background:#161923; --fg:#bcbdd0\"><main>\
             <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 100\" width=\"300\">\
             <title>fixture</title>\
             <text x=\"10\" y=\"30\" fill=\"#1f1f1f\">fixed dark</text>\
             <text x=\"10\" y=\"60\" style=\"fill:var(--fg,#1f1f1f)\">themed</text>\
             <rect x=\"150\" y=\"70\" width=\"140\" height=\"30\" fill=\"#eeeeee\"/>\
             <text x=\"160\" y=\"90\" fill=\"#1f1f1f\">on a box</text>\
             </svg></main></body></html>",
        )
        .unwrap();
        let url = format!("{}figure.html", serve_dir(dir.path(), "/"));
        let (web, _driver) = browser(DESKTOP).await;
        open(&web, &url).await;
        let figures = low_contrast_texts(&web).await;
        web.quit().await.expect("quit chromium");
        assert_eq!(figures.len(), 1, "{figures:?}");
        let (title, low) = &figures[0];
        assert_eq!(title, "fixture");
        let texts: Vec<&str> = low.iter().map(|(text, _, _)| text.as_str()).collect();
        assert_eq!(texts, ["fixed dark"], "{low:?}");
    });
}

/// mdBook's themes: one light, the others dark.
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];

/// WCAG contrast ratio of two `rgb(...)` colours.
const CONTRAST: &str = r#"
const lum = c => {
  const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const clear = c => c === 'none' || c === 'transparent' || c.startsWith('url') || /,\s*0\)$/.test(c);
// The colour painted under a text: the first filled shape or element below
// its middle, else the page's white.
const under = t => {
  t.scrollIntoView({block: 'center'});
  const r = t.getBoundingClientRect();
  for (const e of document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2)) {
    if (e === t || t.contains(e) || e instanceof SVGTextElement || e instanceof SVGTSpanElement) continue;
    const s = getComputedStyle(e);
    if (e instanceof SVGGeometryElement) {
      if (!clear(s.fill) && parseFloat(s.fillOpacity) > 0.5 && parseFloat(s.opacity) > 0.5) return s.fill;
    } else if (!(e instanceof SVGElement) && !clear(s.backgroundColor)) {
      return s.backgroundColor;
    }
  }
  return 'rgb(255, 255, 255)';
};
"#;

#[test]
fn every_figure_is_readable_in_light_and_dark_themes() {
    run(async {
        let (web, _driver) = browser(DESKTOP).await;
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        // print.html inlines every figure into one document.
        let pages = summary_pages().into_iter().map(|(_, page)| page);
        for page in pages.chain(["print.html".to_string()]) {
            let url = format!("{}{page}", book_url());
            for theme in THEMES {
                open(&web, &url).await;
                script(
                    &web,
                    "localStorage.setItem('mdbook-theme', arguments[0]);",
                    vec![json!(theme)],
                )
                .await;
                open(&web, &url).await;
                wait_for(
                    &web,
                    &format!("document.documentElement.classList.contains('{theme}')"),
                    "the theme",
                )
                .await;
                // Every bar of every chart against the page's background.
                for (chart, low) in low_contrast_marks(&web).await {
                    // One line per series: the bars' titles start with it.
                    let mut series = BTreeSet::new();
                    for (mark, fill, ratio) in &low {
                        let name = mark.split(':').next().unwrap_or(mark);
                        if series.insert(name.to_string()) {
                            problems.push(format!(
                                "{page}, theme {theme}: chart `{chart}`: bar `{mark}` ({fill}) \
                                 has contrast {ratio:.1} against the page (needs 3)"
                            ));
                        }
                    }
                }
                // Every text of every figure against the page's background.
                let figures = low_contrast_texts(&web).await;
                for (index, (figure, low)) in figures.iter().enumerate() {
                    if let Some((text, fill, ratio)) = low.first() {
                        problems.push(format!(
                            "{page}, theme {theme}: figure `{figure}`: text `{text}` ({fill}) has \
                             contrast {ratio:.1} against the page (needs 3); {} such text(s)",
                            low.len()
                        ));
                    }
                    if seen.insert((page.clone(), index, theme))
                        && (theme == "light" || theme == "navy")
                    {
                        let svgs = web
                            .find_all(By::Css("main svg:has(text)"))
                            .await
                            .expect("figures");
                        // Figure at the top of the window, below mdBook's menu bar.
                        script(
                            &web,
                            "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);",
                            vec![svgs[index].to_json().expect("element as JSON")],
                        )
                        .await;
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        let shot = web.screenshot_as_png().await.expect("figure screenshot");
                        let name = format!(
                            "figure-{}-{index}-{theme}.png",
                            page.trim_end_matches(".html")
                        );
                        std::fs::write(artifacts().join(name), shot).expect("save the figure");
                    }
                }
            }
        }
        web.quit().await.expect("quit chromium");
        assert_no_problems(&problems);
    });
}

/// The smallest font size (px on screen) a figure's text may have: 9 px is
/// about the smallest a reader can still make out without zooming.
const MIN_FIGURE_TEXT_PX: f64 = 9.0;

/// On the page as laid out now: for every figure with text, its title, the
/// smallest on-screen font size of its texts (the text's font size times the
/// scale the SVG is drawn at) and the height of that text's box; then every
/// element of `main` that reaches past the viewport's edges without a
/// scrolling box around it inside `main` that fits (mdBook's `.content`
/// scrolls too, but that pans the whole text column), or that cuts off its
/// own content.
async fn phone_layout(web: &WebDriver) -> (Vec<(String, f64, f64)>, Vec<String>) {
    let report = script(
        web,
        "const figures = [...document.querySelectorAll('main svg:has(text)')].map((svg, i) => {\
           const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;\
           let smallest = [Infinity, 0];\
           for (const t of svg.querySelectorAll('text')) {\
             const box = t.getBoundingClientRect();\
             if (box.width === 0) continue;\
             const px = parseFloat(getComputedStyle(t).fontSize) * scale;\
             if (px < smallest[0]) smallest = [px, box.height];\
           }\
           const title = svg.querySelector('title');\
           return [title ? title.textContent : ('svg ' + i), smallest[0], smallest[1]];\
         });\
         const width = document.documentElement.clientWidth;\
         const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);\
         const inside = r => r.left >= -0.5 && r.right <= width + 0.5;\
         const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +\
           (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '');\
         const wide = [];\
         for (const e of document.querySelectorAll('main *')) {\
           const r = e.getBoundingClientRect();\
           if (r.width === 0 || inside(r)) continue;\
           let a = e.parentElement, held = false;\
           for (; a && a.tagName !== 'MAIN'; a = a.parentElement) {\
             if (scrolls(a) && inside(a.getBoundingClientRect())) { held = true; break; }\
           }\
           if (!held && !wide.some(w => w[0].contains(e))) {\
             wide.push([e, name(e) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' px of ' + width]);\
           }\
         }\
         for (const e of document.querySelectorAll('main *')) {\
           const s = getComputedStyle(e);\
           if (['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1) {\
             wide.push([e, name(e) + ' cuts off ' + (e.scrollWidth - e.clientWidth) + ' px of its content']);\
           }\
         }\
         return [figures, wide.map(w => w[1])];",
        vec![],
    )
    .await;
    serde_json::from_value(report).expect("phone layout report")
}

#[test]
fn on_a_phone_figures_keep_readable_text_and_wide_content_scrolls_instead_of_being_cut_off() {
    run(async {
        let (web, _driver) = browser(PHONE).await;
        web.set_window_rect(0, 0, PHONE.0, PHONE.1)
            .await
            .expect("resize the window");
        let mut problems = Vec::new();
        for (_, page) in summary_pages() {
            open(&web, &format!("{}{page}", book_url())).await;
            let (figures, wide) = phone_layout(&web).await;
            for (figure, px, height) in &figures {
                if *px < MIN_FIGURE_TEXT_PX {
                    problems.push(format!(
                        "{page}: figure `{figure}`: its smallest text is drawn at {px:.1} px \
                         ({height:.1} px box) on a {}-px screen (needs {MIN_FIGURE_TEXT_PX})",
                        PHONE.0
                    ));
                }
            }
            for what in wide.iter().take(5) {
                problems.push(format!("{page}: {what}"));
            }
            let svgs = web
                .find_all(By::Css("main svg:has(text), main pre"))
                .await
                .expect("figures and listings");
            for (index, svg) in svgs.iter().enumerate() {
                // Only the figures and the widest listings (tables of
                // output, three screens and more) are worth a picture.
                let keep = script(
                    &web,
                    "const e = arguments[0]; return e.tagName.toLowerCase() === 'svg' || \
                     [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > 3 * x.clientWidth);",
                    vec![svg.to_json().expect("element as JSON")],
                )
                .await;
                if keep.as_bool() != Some(true) {
                    continue;
                }
                script(
                    &web,
                    "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);",
                    vec![svg.to_json().expect("element as JSON")],
                )
                .await;
                tokio::time::sleep(Duration::from_millis(200)).await;
                let shot = web.screenshot_as_png().await.expect("phone screenshot");
                let name = format!("phone-{}-{index}.png", page.trim_end_matches(".html"));
                std::fs::write(artifacts().join(name), shot).expect("save the screenshot");
            }
        }
        web.quit().await.expect("quit chromium");
        assert_no_problems(&problems);
    });
}

#[test]
fn a_missing_page_gets_the_styled_404_page_locally_and_under_the_site_url() {
    run(async {
        let base = book_url().trim_end_matches('/').to_string();
        let (web, _driver) = browser(DESKTOP).await;
        for path in [
            "/no-such-page.html",
            &format!("{}no-such-page.html", site_prefix()),
        ] {
            let url = format!("{base}{path}");
            assert_eq!(http_get(&url).0, 404, "{url} should answer 404");
            open(&web, &url).await;
            let text = script(
                &web,
                "return document.querySelector('main').innerText;",
                vec![],
            )
            .await;
            assert!(
                text.as_str()
                    .is_some_and(|t| t.contains("Document not found")),
                "{url} does not show mdBook's 404 page: {text}"
            );
            // The stylesheets loaded: the sidebar is laid out, not a list.
            let styled = script(
                &web,
                "return getComputedStyle(document.querySelector('.sidebar')).position;",
                vec![],
            )
            .await;
            assert_eq!(styled, json!("fixed"), "{url}: the 404 page has no styles");
            let errors = console_errors(&web).await;
            let errors: Vec<&String> = errors
                .iter()
                .filter(|e| !e.contains("404 (Not Found)"))
                .collect();
            assert!(errors.is_empty(), "{url}: console errors: {errors:?}");
        }
        web.quit().await.expect("quit chromium");
    });
}
