//! What the browser tests look for on a page: console errors, unexpanded
//! directives, empty code and broken links ([`check_page`]); figure text and
//! chart bars below WCAG's contrast for graphics, in every theme; and, on a
//! phone, figure text too small to read and content cut off at the edge.
//! The JavaScript they run in the page is in `js/`.

use std::collections::HashMap;

use serde_json::Value;
use thirtyfour::prelude::*;

use crate::driver::{console_errors, http_get, open, script};

pub fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  - {}",
        problems.len(),
        problems.join("\n  - ")
    );
}

/// What is wrong with one page as the browser shows it: console errors, a
/// `{{#` left in the text, its title missing, an empty code block, and
/// internal links or images that do not answer 200 or name a missing
/// `#fragment`. `statuses` caches the server's answers across pages.
pub async fn check_page(
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

/// A figure's name and its texts below the contrast needed: (text, colours, ratio).
pub type FigureReport = (String, Vec<(String, String, f64)>);

pub const LOW_CONTRAST_TEXTS: &str = include_str!("js/low_contrast_texts.js");

/// For every figure (an inline SVG with text) on the page, its title and the
/// texts whose colour has a contrast below 3 against what is painted under
/// them (a box of the figure, or the page).
pub async fn low_contrast_texts(web: &WebDriver) -> Vec<FigureReport> {
    let report = script(web, &[CONTRAST, LOW_CONTRAST_TEXTS].concat(), vec![]).await;
    serde_json::from_value(report).expect("figure report")
}

pub const LOW_CONTRAST_MARKS: &str = include_str!("js/low_contrast_marks.js");

/// For every chart on the page, its title and the data marks (shapes with
/// their own `<title>`: the bars) whose colour, as painted (its opacity
/// blended over what lies under it), has a contrast below 3 against what
/// lies under it: WCAG's minimum for graphical objects.
pub async fn low_contrast_marks(web: &WebDriver) -> Vec<FigureReport> {
    let report = script(web, &[CONTRAST, LOW_CONTRAST_MARKS].concat(), vec![]).await;
    serde_json::from_value(report).expect("chart report")
}

/// mdBook's themes: one light, the others dark.
pub const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];

/// WCAG contrast ratio of two `rgb(...)` colours.
pub const CONTRAST: &str = include_str!("js/contrast.js");

/// The smallest font size (px on screen) a figure's text may have: 9 px is
/// about the smallest a reader can still make out without zooming.
pub const MIN_FIGURE_TEXT_PX: f64 = 9.0;

pub const PHONE_LAYOUT: &str = include_str!("js/phone_layout.js");

/// On the page as laid out now: for every figure with text, its title, the
/// smallest on-screen font size of its texts (the text's font size times the
/// scale the SVG is drawn at) and the height of that text's box; then every
/// element of `main` that reaches past the viewport's edges without a
/// scrolling box around it inside `main` that fits (mdBook's `.content`
/// scrolls too, but that pans the whole text column), or that cuts off its
/// own content.
pub async fn phone_layout(web: &WebDriver) -> (Vec<(String, f64, f64)>, Vec<String>) {
    let report = script(web, PHONE_LAYOUT, vec![]).await;
    serde_json::from_value(report).expect("phone layout report")
}
