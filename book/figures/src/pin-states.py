#!/usr/bin/env python3
"""Source of book/figures/pin-states.svg, chapter 2's figure.

`sum_two` as a state machine: one box per state (Start, AwaitA, AwaitB,
Done) with the fields that state keeps, the transition each poll makes,
the `Pending` self-loops, what a drop in each state drops, and the borrow
`first` that only the compiler's version keeps, pointing into `buf` inside
the same future. The SVG uses mdBook's theme variables (--fg, --quote-bg,
--links) with light fallbacks, so it follows the reader's theme.

Regenerate with:  python3 book/figures/src/pin-states.py
"""
from pathlib import Path

WIDTH = 820
STYLE = "".join([
    ".pn-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".pn-fg{fill:var(--fg,#1f1f1f)}",
    ".pn-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".pn-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".pn-done{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:5 4}",
    ".pn-line{stroke:var(--fg,#1f1f1f);stroke-width:1.3;fill:none}",
    ".pn-ptr{stroke:var(--links,#2b79a2);stroke-width:1.8;fill:none}",
    ".pn-ptr-text{fill:var(--fg,#1f1f1f);font-weight:700}",
    ".pn-head{fill:var(--fg,#1f1f1f)}",
    ".pn-ptr-head{fill:var(--links,#2b79a2)}",
    ".pn-label{font-size:13px}",
    ".pn-small{font-size:11.5px}",
    ".pn-title{font-size:15px;font-weight:600}",
    ".pn-mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}",
    ".pn-state{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:14px;font-weight:600}",
])

out = []


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text(x, y, s, cls="pn-label pn-fg", anchor="start"):
    out.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{cls}">{esc(s)}</text>')


def rect(x, y, w, h, cls, rx=6):
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" class="{cls}"/>')


def arrow(x1, y1, x2, y2, cls="pn-line", head="pn-head"):
    out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="{cls}"/>')
    # A small filled triangle pointing along the line, at (x2, y2).
    import math
    a = math.atan2(y2 - y1, x2 - x1)
    p = [(x2, y2),
         (x2 - 9 * math.cos(a) + 4.5 * math.sin(a), y2 - 9 * math.sin(a) - 4.5 * math.cos(a)),
         (x2 - 9 * math.cos(a) - 4.5 * math.sin(a), y2 - 9 * math.sin(a) + 4.5 * math.cos(a))]
    pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in p)
    out.append(f'<polygon points="{pts}" class="{head}"/>')


text(20, 26, "sum_two as a state machine: what each state keeps, and what each poll does",
     "pn-title pn-fg")

BOX_W, BOX_H, GAP, X0, BOX_Y = 145, 150, 74, 12, 110
STATES = [
    ("Start", ["log"], "the body has not run", None),
    ("AwaitA", ["log", "buf = [1, 2, 3]", "step a"], None, "first"),
    ("AwaitB", ["log", "buf = [1, 2, 3]", "a = 10", "step b"], None, "first"),
    ("Done", [], "returned Ready(33)", None),
]


def bx(i):
    return X0 + i * (BOX_W + GAP)


for i, (name, fields, note, ptr) in enumerate(STATES):
    x = bx(i)
    rect(x, BOX_Y, BOX_W, BOX_H, "pn-done" if name == "Done" else "pn-box")
    text(x + 12, BOX_Y + 22, name, "pn-state pn-fg")
    for j, field in enumerate(fields):
        text(x + 14, BOX_Y + 46 + j * 19, field, "pn-mono pn-fg")
    if note:
        text(x + 14, BOX_Y + 46 + len(fields) * 19, note, "pn-small pn-muted")
    if ptr:
        # `first`, kept by the compiler's version only, points at `buf`.
        py = BOX_Y + BOX_H - 16
        text(x + 14, py + 4, "first", "pn-mono pn-ptr-text")
        out.append(f'<path d="M {x + 56} {py - 4} C {x + 124} {py - 4}, {x + 138} {BOX_Y + 90}, '
                   f'{x + 136} {BOX_Y + 76}" class="pn-ptr"/>')
        arrow(x + 136, BOX_Y + 80, x + 132, BOX_Y + 69, "pn-ptr", "pn-ptr-head")

# Transitions between states, labelled with what the poll saw.
LABELS = [("1st", "poll"), ("step a", "Ready(10)"), ("step b", "Ready(20)")]
for i, (above, below) in enumerate(LABELS):
    x1, x2 = bx(i) + BOX_W, bx(i + 1)
    y = BOX_Y + 40
    arrow(x1 + 2, y, x2 - 2, y)
    text((x1 + x2) / 2, y - 7, above, "pn-small pn-fg", "middle")
    text((x1 + x2) / 2, y + 16, below, "pn-small pn-fg", "middle")

# `Pending` self-loops above the two waiting states.
for i in (1, 2):
    x = bx(i)
    cx = x + BOX_W / 2
    out.append(f'<path d="M {cx - 30} {BOX_Y} C {cx - 30} {BOX_Y - 34}, {cx + 30} {BOX_Y - 34}, '
               f'{cx + 30} {BOX_Y - 4}" class="pn-line"/>')
    arrow(cx + 30, BOX_Y - 14, cx + 30, BOX_Y - 2)
    text(cx, BOX_Y - 58, f"step {'a' if i == 1 else 'b'}: Pending", "pn-small pn-fg", "middle")
    text(cx, BOX_Y - 44, "→ return Pending", "pn-small pn-muted", "middle")
text(bx(3) + BOX_W / 2, BOX_Y - 44, "poll again: panic", "pn-small pn-fg", "middle")

# What a drop in each state drops.
DROPS = ["log", "log, buf, step a", "log, buf, a, step b", "nothing left"]
y = BOX_Y + BOX_H + 24
text(X0, y, "dropped here (cancelled), the future drops:", "pn-small pn-muted")
for i, what in enumerate(DROPS):
    text(bx(i) + BOX_W / 2, y + 20, what, "pn-mono pn-fg", "middle")

y += 50
text(X0, y, "first", "pn-mono pn-ptr-text")
text(X0 + 42, y, "= &buf[..2]: only the compiler's future keeps this borrow, a pointer into itself;",
     "pn-small pn-fg")
text(X0 + 42, y + 17, "the hand-written SumTwo re-borrows buf at the end instead, and so does not care "
     "where it lives.", "pn-small pn-fg")

HEIGHT = y + 32
svg = [
    f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
    f'aria-labelledby="pn-title pn-desc" class="pn-figure">',
    '<title id="pn-title">sum_two as a state machine</title>',
    '<desc id="pn-desc">Four states: Start keeps the argument log; AwaitA keeps log, buf and step a; '
    'AwaitB keeps log, buf, a and step b; Done keeps nothing and panics if polled. The first poll '
    'moves Start to AwaitA, step a becoming ready moves it to AwaitB, step b becoming ready moves it '
    'to Done. A pending step keeps the state and returns Pending. Dropping the future in a state '
    'drops what that state keeps. In the compiler\'s version, AwaitA and AwaitB also keep first, a '
    'borrow of buf inside the same future.</desc>',
    f"<style>{STYLE}</style>",
    *out,
    "</svg>",
]
target = Path(__file__).resolve().parent.parent / "pin-states.svg"
target.write_text("\n".join(svg) + "\n")
print(f"wrote {target}")
