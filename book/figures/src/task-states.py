#!/usr/bin/env python3
"""Source of book/figures/task-states.svg, chapter 3's task state machine.

Five states in one atomic word (chapters/03-executor/src/state.rs), plus the
ABORTED bit, and what happens after DONE: the runtime drops the future and
takes the task off its list, and the empty shell is freed with its last
waker. The SVG uses mdBook's theme variables (--fg, --quote-bg, --links)
with light fallbacks, so it follows the reader's theme when inlined into a
page and stays readable on its own.

Regenerate with:  python3 book/figures/src/task-states.py
"""
from pathlib import Path

WIDTH, HEIGHT = 760, 396
BOX_W, BOX_H = 160, 50

# name: (left x, top y, subtitle, box class)
STATES = {
    "SCHEDULED": (40, 90, "in the queue, once", "ts-box"),
    "RUNNING": (300, 90, "being polled", "ts-box"),
    "DONE": (560, 90, "future dropped, unlisted", "ts-done"),
    "IDLE": (120, 220, "waiting, still listed", "ts-box"),
    "NOTIFIED": (380, 220, "woken while polled", "ts-box"),
    "freed": (560, 220, "the empty shell", "ts-freed"),
}

# (path, label lines [(x, y, text, anchor)], kind); kind: edge (executor),
# wake (a waker or abort), end (shutdown, freeing)
EDGES = [
    ("M120,30 L120,88", [(130, 52, "spawn", "start")], "edge"),
    ("M200,115 L298,115", [(249, 106, "poll", "middle")], "edge"),
    ("M460,115 L558,115", [(509, 106, "Ready", "middle")], "edge"),
    ("M340,140 L250,218", [(300, 190, "Pending", "start")], "edge"),
    ("M460,272 L460,300 L20,300 L20,122 L38,122",
     [(240, 318, "poll ends: pushed again", "middle")], "edge"),
    ("M170,88 L170,62 L600,62 L600,88",
     [(385, 54, "claimed with ABORTED set: dropped, never polled", "middle")], "edge"),
    ("M690,18 L690,88", [(684, 34, "shutdown", "end")], "end"),
    ("M640,142 L640,218", [(650, 176, "last waker", "start"), (650, 192, "dropped", "start")], "end"),
    ("M160,218 L130,142", [(30, 178, "wake or abort:", "start"), (30, 194, "push", "start")], "wake"),
    ("M420,142 L450,218", [(444, 178, "wake or abort", "start")], "wake"),
]

NOTES = [
    (WIDTH // 2, 346, "abort is a wake that also sets the ABORTED bit, in the same compare-and-swap;"),
    (WIDTH // 2, 364, "a wake in SCHEDULED or NOTIFIED changes nothing, and in DONE every wake is ignored."),
    (WIDTH // 2, 382, "shutdown ends every task still listed (IDLE or SCHEDULED) on the runtime's thread."),
]

STYLE = "".join([
    ".ts-figure{max-width:760px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".ts-fg{fill:var(--fg,#1f1f1f)}",
    ".ts-muted{fill:var(--fg,#1f1f1f);opacity:.75}",
    ".ts-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".ts-done{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:2.4}",
    ".ts-freed{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:5 4}",
    ".ts-edge{stroke:var(--fg,#1f1f1f);stroke-width:1.6;fill:none}",
    ".ts-end{stroke:var(--fg,#1f1f1f);stroke-width:1.6;stroke-dasharray:6 4;fill:none}",
    ".ts-wake{stroke:var(--links,#2b79a2);stroke-width:2.2;fill:none}",
    ".ts-head{fill:var(--fg,#1f1f1f)}",
    ".ts-head-wake{fill:var(--links,#2b79a2)}",
    ".ts-name{font-size:15px;font-weight:600}",
    ".ts-sub{font-size:12px}",
    ".ts-label{font-size:13px}",
    ".ts-label-wake{font-size:13px;fill:var(--links,#2b79a2)}",
])

DESC = ("A state diagram. spawn creates a task SCHEDULED, in the runtime's task list and "
        "in the queue. The executor polls it: RUNNING. Ready makes it DONE; a task claimed with "
        "the ABORTED bit set goes from SCHEDULED to DONE without being polled; shutdown makes "
        "every task still listed DONE. In DONE the runtime has dropped the future and taken the "
        "task off its list, and every wake is ignored; the empty shell is freed when its last "
        "waker is dropped. Pending makes it IDLE, where the runtime still holds it, and a wake "
        "or an abort moves it back to SCHEDULED, pushing it on the queue once. A wake or an "
        "abort during the poll makes it NOTIFIED, and when the poll ends it is pushed again, "
        "SCHEDULED.")


def marker(ident, cls):
    return (f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
            f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" class="{cls}"/></marker>')


def main():
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        'role="img" aria-labelledby="ts-title ts-desc" class="ts-figure">',
        '<title id="ts-title">The states of a task</title>',
        f'<desc id="ts-desc">{DESC}</desc>',
        f'<style>{STYLE}</style>',
        f'<defs>{marker("ts-arrow", "ts-head")}{marker("ts-arrow-wake", "ts-head-wake")}</defs>',
        '<!-- states -->',
    ]
    for name, (x, y, sub, cls) in STATES.items():
        cx = x + BOX_W // 2
        out.append(f'<rect class="{cls}" x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>')
        out.append(f'<text class="ts-fg ts-name" x="{cx}" y="{y + 22}" text-anchor="middle">{name}</text>')
        out.append(f'<text class="ts-muted ts-sub" x="{cx}" y="{y + 40}" text-anchor="middle">{sub}</text>')
    out.append('<!-- transitions -->')
    for path, labels, kind in EDGES:
        head = "ts-arrow-wake" if kind == "wake" else "ts-arrow"
        out.append(f'<path class="ts-{kind}" d="{path}" marker-end="url(#{head})"/>')
        label_class = "ts-label-wake" if kind == "wake" else "ts-fg ts-label"
        for x, y, text, anchor in labels:
            out.append(f'<text class="{label_class}" x="{x}" y="{y}" text-anchor="{anchor}">{text}</text>')
    out.append('<!-- notes -->')
    for x, y, text in NOTES:
        out.append(f'<text class="ts-muted ts-sub" x="{x}" y="{y}" text-anchor="middle">{text}</text>')
    out.append('</svg>')
    target = Path(__file__).resolve().parent.parent / "task-states.svg"
    target.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
