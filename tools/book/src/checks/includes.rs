//! The includes resolve: every `{{#include file:selector}}` names a file
//! that exists and selects lines that are there, without showing the anchor
//! markers. mdBook logs a missing file and renders a missing anchor as
//! nothing at all, so only this check catches them.

use std::fs;
use std::path::Path;

use exercises::includes::{ANCHOR_END, ANCHOR_START, Include, Selector, select};
use exercises::{Problem, relative};

use super::clean;

/// Includes that name a missing file, a missing or empty anchor, an empty
/// line range, or show a whole file with its anchor markers.
pub fn check_includes(root: &Path, includes: &[Include]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for include in includes {
        let at = include.location(root);
        let directive = &include.directive;
        let shown = relative(root, &clean(&include.target));
        let Ok(text) = fs::read_to_string(&include.target) else {
            problems.push(Problem::new(
                at,
                format!(
                    "`{directive}` names `{}`, which does not exist ({shown})",
                    include.path
                ),
            ));
            continue;
        };
        let selected = select(&text, &include.selector);
        match &include.selector {
            Selector::Anchor(anchor) => {
                let starts = text
                    .lines()
                    .any(|l| ANCHOR_START.captures(l).is_some_and(|c| &c[1] == anchor));
                let ends = text
                    .lines()
                    .any(|l| ANCHOR_END.captures(l).is_some_and(|c| &c[1] == anchor));
                let message = if !starts {
                    let known: Vec<String> = text
                        .lines()
                        .filter_map(|l| ANCHOR_START.captures(l).map(|c| c[1].to_string()))
                        .collect();
                    Some(format!(
                        "`{directive}`: {shown} has no `ANCHOR: {anchor}` (its anchors: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                } else if !ends {
                    Some(format!(
                        "`{directive}`: {shown} has `ANCHOR: {anchor}` but no `ANCHOR_END: {anchor}`"
                    ))
                } else if selected.trim().is_empty() {
                    Some(format!(
                        "`{directive}`: anchor `{anchor}` in {shown} is empty"
                    ))
                } else {
                    None
                };
                problems.extend(message.map(|m| Problem::new(at, m)));
            }
            Selector::Lines { start, end } => {
                if selected.trim().is_empty() {
                    let count = text.lines().count();
                    let message = match (start, end) {
                        (None, None) => format!("`{directive}`: {shown} is empty"),
                        _ => format!(
                            "`{directive}`: the lines selected from {shown} are empty \
                             or past its end (it has {count} lines)"
                        ),
                    };
                    problems.push(Problem::new(at, message));
                } else if selected
                    .lines()
                    .any(|l| ANCHOR_START.is_match(l) || ANCHOR_END.is_match(l))
                {
                    problems.push(Problem::new(
                        at,
                        format!(
                            "`{directive}` shows `ANCHOR:` marker comments from {shown} in the book; \
                             include a named anchor instead"
                        ),
                    ));
                }
            }
        }
    }
    problems
}
