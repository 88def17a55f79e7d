//! The figure checks must bite: a small book whose figures clash, one that no
//! page shows, and a chapter without a figure are each reported by name.

mod common;

use std::fs;

use book::checks;
use common::assert_reported;

fn svg(prefix: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\
         <title id=\"{prefix}-title\">A figure</title>\
         <style>.{prefix}-box{{fill:var(--bg,#fff)}} .{prefix}-fg{{fill:var(--fg,#1f1f1f);opacity:.5}}</style>\
         <text class=\"{prefix}-fg\">x</text></svg>\n"
    )
}

#[test]
fn clashing_figures_an_unshown_figure_and_a_chapter_without_one_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "book/SUMMARY.md",
        "# Summary\n\n- [One](01-one.md)\n- [Two](02-two.md)\n- [Three](03-three.md)\n",
    );
    write("book/01-one.md", "# One\n\n{{#include figures/one.svg}}\n");
    write("book/02-two.md", "# Two\n\n{{#include figures/two.svg}}\n");
    write("book/03-three.md", "# Three\n\nNo picture here.\n");
    write("book/figures/one.svg", &svg("fg"));
    write("book/figures/two.svg", &svg("fg"));
    write("book/figures/unused.svg", &svg("un"));
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
