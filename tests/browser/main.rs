//! The rendered book in a real browser: Debian's `chromium`, headless, driven
//! through `chromedriver` against the book served on 127.0.0.1 by the
//! project's own server (`tools/book/src/serve.rs`), exactly as `cargo book`
//! serves it. The driver is in `driver.rs`, what a page is checked for in
//! `page_checks.rs`, the JavaScript run in the page in `js/`.
//!
//! These tests only build with `--features browser-tests` (`.ci/run` turns it
//! on and installs the browser), so that `cargo test --workspace` on a
//! reader's machine needs nothing but Rust. With the feature on, a missing
//! browser is a failure that says how to install it, never a silent skip.
//!
//! Screenshots go to `target/browser-artifacts/`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

mod driver;
mod page_checks;

use book::render::build_book;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use driver::{DESKTOP, PHONE, browser, console_errors, http_get, open, run, script, wait_for};
use page_checks::*;

fn root() -> PathBuf {
    book::repo_root()
}

fn artifacts() -> PathBuf {
    let dir = root().join("target").join("browser-artifacts");
    std::fs::create_dir_all(&dir).expect("create target/browser-artifacts");
    dir
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
const ANSWER_ANYTHING: &str = include_str!("js/answer_anything.js");

/// The quiz question the test answers: the first one of chapter 1.
const FIRST_QUIZ: &str = "01-waker.html";

/// Chooses the answer of chapter 1's first question, or returns the choices.
const PICK_HANGS_FOREVER: &str = include_str!("js/pick_hangs_forever.js");

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
        let picked = script(&web, PICK_HANGS_FOREVER, vec![]).await;
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
