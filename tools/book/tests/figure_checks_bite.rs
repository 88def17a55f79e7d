//! The figure checks must bite: in a small book (`tests/fixtures/figure-book`)
//! whose figures clash, one that no page shows, and a chapter without a
//! figure are each reported by name.

mod common;

use book::checks;
use common::assert_reported;
use fixture::Fixture;

#[test]
fn clashing_figures_an_unshown_figure_and_a_chapter_without_one_are_reported() {
    // Two figures sharing the prefix `fg`, one that no page shows, and a
    // chapter page without a figure.
    let fixture = Fixture::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/figure-book"
    ));
    let root = fixture.root();
    let src = root.join("book");
    let includes = checks::find_includes(&src);
    let problems = checks::check_figures(root, &src, &includes);
    assert_reported(
        &problems,
        "book/figures/two.svg",
        &[
            "class `fg-box` (also in book/figures/one.svg)",
            "id `fg-title` (also in book/figures/one.svg)",
        ],
    );
    assert!(
        !problems.iter().any(|p| p.message.contains("class `5`")),
        "a number in a style was taken for a class:\n{}",
        checks::report(&problems)
    );
    assert_reported(
        &problems,
        "book/figures/unused.svg",
        &["no page of the book shows this figure"],
    );
    assert_reported(&problems, "book/03-three.md", &["shows no figure"]);
    assert_eq!(problems.len(), 3, "{}", checks::report(&problems));
}
