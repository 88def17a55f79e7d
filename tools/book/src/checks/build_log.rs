//! mdBook's build log is clean: it reports a missing include file, a template
//! problem or a preprocessor's warning as a log event and still succeeds, so
//! every WARN or ERROR it logged is a problem.

use exercises::Problem;

use crate::render::BuiltBook;

/// Every WARN or ERROR mdBook logged while building.
pub fn check_build_log(built: &BuiltBook) -> Vec<Problem> {
    built
        .diagnostics
        .iter()
        .map(|event| Problem::new("mdbook build", format!("mdBook logged {event}")))
        .collect()
}
