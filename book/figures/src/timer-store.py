#!/usr/bin/env python3
"""Source of book/figures/timer-store.svg, chapter 7's figure.

Top: the timer store, an ordered map from (deadline, id) to a waker; its
first entry is the nearest deadline, and a dropped sleep's entry is removed
at once. Bottom: three ways to wait for those deadlines on one time axis:
the timer driver (the OS wait ends at the nearest deadline), the seed's
fixed tick (timers fire when the tick ends), and a zero tick (a busy loop).
The SVG uses mdBook's theme variables (--fg, --quote-bg, --links) with light
fallbacks, so it follows the reader's theme when inlined into a page.

Regenerate with:  python3 book/figures/src/timer-store.py
"""
from pathlib import Path

WIDTH = 800
STYLE = "".join([
    ".tm-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".tm-fg{fill:var(--fg,#1f1f1f)}",
    ".tm-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".tm-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".tm-first{fill:var(--quote-bg,#f2f4f7);stroke:var(--links,#2b79a2);stroke-width:2.6}",
    ".tm-gone{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:5 4;opacity:.55}",
    ".tm-line{stroke:var(--fg,#1f1f1f);stroke-width:1.2;fill:none}",
    ".tm-axis{stroke:var(--fg,#1f1f1f);stroke-width:1;opacity:.5}",
    ".tm-wait{fill:var(--links,#2b79a2);opacity:.22}",
    ".tm-wait-edge{stroke:var(--links,#2b79a2);stroke-width:1.4;fill:none}",
    ".tm-fire{stroke:var(--links,#2b79a2);stroke-width:2.4}",
    ".tm-due{stroke:var(--fg,#1f1f1f);stroke-width:1;stroke-dasharray:3 3;opacity:.6}",
    ".tm-late{stroke:#d9534f;stroke-width:2.4}",
    ".tm-late-text{fill:#d9534f}",
    ".tm-spin{fill:#d9534f;opacity:.55}",
    ".tm-label{font-size:13px}",
    ".tm-small{font-size:11.5px}",
    ".tm-title{font-size:15px;font-weight:600}",
    ".tm-mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}",
])

out = []


def text(x, y, s, cls="tm-label tm-fg", anchor="start"):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{cls}">{s}</text>')


def rect(x, y, w, h, cls, rx=6):
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" class="{cls}"/>')


def line(x1, y1, x2, y2, cls):
    out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="{cls}"/>')


# --- the store -------------------------------------------------------------
text(20, 28, "The timer store: BTreeMap<(deadline, id), Waker>, nearest first (times from now)", "tm-title tm-fg")
ENTRIES = [  # (deadline label, id, task, style)
    ("+12 ms", 7, "task A", "first"),
    ("+30 ms", 3, "task B", "box"),
    ("+30 ms", 9, "task C", "box"),
    ("+45 ms", 5, "task X", "gone"),
    ("+250 ms", 4, "task D", "box"),
    ("+1 h", 8, "task E", "box"),
]
BOX_W, BOX_H, BOX_Y, GAP = 118, 58, 44, 10
for i, (deadline, ident, task, style) in enumerate(ENTRIES):
    x = 20 + i * (BOX_W + GAP)
    rect(x, BOX_Y, BOX_W, BOX_H, f"tm-{style}")
    text(x + BOX_W / 2, BOX_Y + 22, f"{deadline}, id {ident}", "tm-mono tm-fg", "middle")
    text(x + BOX_W / 2, BOX_Y + 42, f"→ waker of {task}", "tm-small tm-muted", "middle")
    if style == "gone":
        line(x + 8, BOX_Y + BOX_H - 8, x + BOX_W - 8, BOX_Y + 8, "tm-line")
text(20, BOX_Y + BOX_H + 20, "▲ first entry: the nearest deadline", "tm-small tm-fg")
text(20 + 3 * (BOX_W + GAP) + 20, BOX_Y + BOX_H + 20,
     "▲ its sleep was dropped: removed at once", "tm-small tm-muted")
text(20, BOX_Y + BOX_H + 38,
     "same deadline: the id keeps both entries, and the older one fires first",
     "tm-small tm-muted")

# --- the waits ---------------------------------------------------------------
AX0, AX1, MS_MAX = 200, 780, 520
TOP = 200


BREAK_MS, BREAK_PX = 50, 200  # the first 50 ms get 200 px, so A, B, C show


def px(ms):
    if ms <= BREAK_MS:
        return AX0 + BREAK_PX * ms / BREAK_MS
    return AX0 + BREAK_PX + (AX1 - AX0 - BREAK_PX) * (ms - BREAK_MS) / (MS_MAX - BREAK_MS)


text(20, TOP - 22, "How long the OS wait lasts (deadlines of A, B + C and D dotted)",
     "tm-title tm-fg")
text(px(BREAK_MS), TOP - 4, "↑ the scale changes at 50 ms", "tm-small tm-muted", "middle")
ROWS = [("TimerDriver", "this chapter"), ("fixed 500 ms tick", "the C++ seed"),
        ("zero tick", "check, nothing due, again")]
ROW_H = 62
DUE = [12, 30, 250]
for r, (name, sub) in enumerate(ROWS):
    y = TOP + r * ROW_H
    text(20, y + 22, name, "tm-label tm-fg")
    text(20, y + 39, sub, "tm-small tm-muted")
    line(AX0, y + 44, AX1, y + 44, "tm-axis")
    for d in DUE:
        line(px(d), y + 2, px(d), y + 44, "tm-due")

# Row 0: the driver waits exactly until each deadline.
y = TOP
waits = [(0, 12, "12 ms"), (12, 30, "18 ms"), (30, 250, "epoll_wait(220 ms)"),
         (250, 520, "until E (1 h), or I/O")]
for a, b, label in waits:
    rect(px(a) + 1, y + 12, px(b) - px(a) - 2, 26, "tm-wait", rx=3)
    if px(b) - px(a) > 40:
        text((px(a) + px(b)) / 2, y + 30, label, "tm-small tm-fg", "middle")
for d in DUE:
    line(px(d), y + 6, px(d), y + 44, "tm-fire")
text(px(12) + 4, y + 56, "A fires", "tm-small tm-fg")
text(px(250) + 4, y + 56, "D fires", "tm-small tm-fg")
text(px(30) + 4, y + 56, "B, C fire", "tm-small tm-fg")

# Row 1: one 500 ms wait, everything fires at its end.
y = TOP + ROW_H
rect(px(0) + 1, y + 12, px(500) - px(0) - 2, 26, "tm-wait", rx=3)
text((px(0) + px(500)) / 2, y + 30, "epoll_wait(500 ms), whatever is due", "tm-small tm-fg", "middle")
line(px(500), y + 6, px(500), y + 44, "tm-late")
text(px(500) - 4, y + 56, "A, B, C, D fire here: A 488 ms late", "tm-small tm-late-text", "end")

# Row 2: a busy loop of zero-length waits.
y = TOP + 2 * ROW_H
x = px(0)
while x < px(520) - 4:
    rect(x, y + 14, 3, 22, "tm-spin", rx=1)
    x += 7
text((px(0) + px(520)) / 2, y + 56, "punctual, but 100% of a core while nothing happens",
     "tm-small tm-late-text", "middle")

HEIGHT = TOP + 3 * ROW_H + 10
svg = [
    f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
    f'aria-labelledby="tm-title tm-desc" class="tm-figure">',
    '<title id="tm-title">The timer store and the OS wait</title>',
    '<desc id="tm-desc">The timer store is an ordered map of deadlines, nearest first, each with '
    'the waker of its sleep; a dropped sleep is removed at once. The timer driver waits in epoll '
    'exactly until the nearest deadline, so timers fire on time; a fixed 500 ms tick fires them '
    'all late at the end of the tick; a zero tick is on time but spins.</desc>',
    f"<style>{STYLE}</style>",
    *out,
    "</svg>",
]
target = Path(__file__).resolve().parent.parent / "timer-store.svg"
target.write_text("\n".join(svg) + "\n")
print(f"wrote {target}")
