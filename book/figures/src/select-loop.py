#!/usr/bin/env python3
"""Source of book/figures/select-loop.svg, chapter 8's lossy and held loops.

Two timelines of the same input ("hel", a pause, "lo\\n") read by a loop
that selects between a line and a tick. Above, each turn builds a new
`read_line`; the tick wins while it holds "hel", and dropping it loses
them. Below, one `read_line` lives across the turns and is only lent to
each `select`. It follows chapters/08-cancellation/src/lines.rs. The SVG
uses mdBook's theme variables with light fallbacks; class and id names
start with `sl-`.

Regenerate with:  python3 book/figures/src/select-loop.py
"""
from pathlib import Path

WIDTH = 800
ROWS = [
    ("lossy_lines: a new read_line every turn", [
        (40, 230, 'turn 1: read_line takes "hel"', "keep"),
        (240, 420, "tick wins: read_line dropped", "lost"),
        (430, 610, 'turn 2: new read_line: "lo"', "keep"),
        (620, 760, 'line = "lo"  (3 bytes lost)', "lost"),
    ]),
    ("held_lines: one read_line until it completes", [
        (40, 230, 'turn 1: read_line takes "hel"', "keep"),
        (240, 420, "tick wins: only the loan ends", "keep"),
        (430, 610, 'turn 2: same read_line: "lo"', "keep"),
        (620, 760, 'line = "hello"', "keep"),
    ]),
]
STYLE = "".join([
    ".sl-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".sl-fg{fill:var(--fg,#1f1f1f)}",
    ".sl-keep{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".sl-lost{fill:var(--quote-bg,#f2f4f7);stroke:var(--links,#2b79a2);stroke-width:2.4;"
    "stroke-dasharray:6 3}",
    ".sl-label{font-size:12px}",
    ".sl-title{font-size:14px;font-weight:600}",
])


def main():
    height = 40 + len(ROWS) * 110
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        'role="img" aria-labelledby="sl-title sl-desc" class="sl-figure">',
        '<title id="sl-title">A tick in the middle of a line</title>',
        '<desc id="sl-desc">Above, the lossy loop: turn 1 builds a read_line that takes "hel"; '
        'the tick wins and the read_line is dropped with those bytes; turn 2 builds a new one '
        'that reads "lo", so the line is "lo" and 3 bytes are lost. Below, the held loop: the '
        'same read_line is lent to each select, the tick ends only the loan, and turn 2 '
        'continues the same read_line, so the line is "hello".</desc>',
        f'<style>{STYLE}</style>',
    ]
    for i, (title, boxes) in enumerate(ROWS):
        top = 20 + i * 110
        out.append(f'<text x="40" y="{top + 16}" class="sl-title sl-fg">{title}</text>')
        for x1, x2, label, kind in boxes:
            out.append(f'<rect x="{x1}" y="{top + 30}" width="{x2 - x1}" height="44" rx="8" '
                       f'class="sl-{kind}"/>')
            out.append(f'<text x="{(x1 + x2) // 2}" y="{top + 57}" text-anchor="middle" '
                       f'class="sl-label sl-fg">{label}</text>')
    out.append('</svg>')
    target = Path(__file__).resolve().parent.parent / "select-loop.svg"
    target.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
