#!/usr/bin/env python3
"""Source of book/figures/readiness-completion.svg, chapter 10's figure.

Two sequence diagrams side by side, each with three lanes (the task, the
runtime, the kernel): a read with readiness (chapters 4 to 9: epoll says
"you may now try", the task then reads into a buffer it lends for one
system call) and a read with completion (this chapter: the task gives its
buffer away with the request, the kernel fills it and says "done"). The
shaded bar on a lane is the time the kernel may touch the buffer.
The SVG uses mdBook's theme variables (--fg, --quote-bg, --links) with
light fallbacks, so it follows the reader's theme when inlined.

Regenerate with:  python3 book/figures/src/readiness-completion.py
"""
from pathlib import Path

WIDTH, HEIGHT = 800, 470
STYLE = "".join([
    ".cq-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".cq-fg{fill:var(--fg,#1f1f1f)}",
    ".cq-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".cq-lane{stroke:var(--fg,#1f1f1f);stroke-width:1;stroke-dasharray:4 4;opacity:.45}",
    ".cq-head{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".cq-arrow{stroke:var(--fg,#1f1f1f);stroke-width:1.4;fill:none}",
    ".cq-tip{fill:var(--fg,#1f1f1f)}",
    ".cq-key{stroke:var(--links,#2b79a2);stroke-width:2.2;fill:none}",
    ".cq-key-tip{fill:var(--links,#2b79a2)}",
    ".cq-lent{fill:var(--links,#2b79a2);opacity:.28}",
    ".cq-label{font-size:12.5px}",
    ".cq-small{font-size:11.5px}",
    ".cq-title{font-size:15px;font-weight:600}",
    ".cq-mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11.5px}",
])

out = []


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text(x, y, s, cls="cq-label cq-fg", anchor="middle"):
    out.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{cls}">{esc(s)}</text>')


def arrow(x1, x2, y, label, key=False, mono=True):
    cls, tip = ("cq-key", "cq-key-tip") if key else ("cq-arrow", "cq-tip")
    out.append(f'<line x1="{x1}" y1="{y}" x2="{x2 - (6 if x2 > x1 else -6)}" y2="{y}" class="{cls}"/>')
    d = 1 if x2 > x1 else -1
    out.append(f'<path d="M{x2},{y} l{-8 * d},-4.5 l0,9 z" class="{tip}"/>')
    text((x1 + x2) / 2, y - 6, label, "cq-mono cq-fg" if mono else "cq-small cq-fg")


def panel(x0, title, lanes, steps, lent, note):
    text(x0 + 185, 28, title, "cq-title cq-fg")
    xs = [x0 + 45 + i * 140 for i in range(3)]
    for x, name in zip(xs, lanes):
        out.append(f'<rect x="{x - 48}" y="44" width="96" height="26" rx="5" class="cq-head"/>')
        text(x, 62, name)
        out.append(f'<line x1="{x}" y1="70" x2="{x}" y2="{HEIGHT - 70}" class="cq-lane"/>')
    lane, y1, y2 = lent
    out.append(f'<rect x="{xs[lane] - 7}" y="{y1}" width="14" height="{y2 - y1}" rx="3" class="cq-lent"/>')
    for (a, b, y, label, key) in steps:
        arrow(xs[a], xs[b], y, label, key)
    for i, line in enumerate(note):
        text(x0 + 185, HEIGHT - 44 + i * 16, line, "cq-small cq-muted")


out.append(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
           'aria-labelledby="cq-title cq-desc" class="cq-figure">')
out.append('<title id="cq-title">A read with readiness and with completion</title>')
out.append('<desc id="cq-desc">With readiness, the task tries recv, gets EAGAIN, waits for epoll to say '
           'the socket is readable, then calls recv again: the kernel touches the buffer only during that '
           'call. With completion, the task hands the buffer to the driver with the request; the kernel '
           'holds it from submission until it posts the completion, when the driver wakes the task and '
           'hands the buffer back.</desc>')
out.append(f"<style>{STYLE}</style>")
panel(15, "Readiness: \u201cyou may now try\u201d", ["task", "reactor", "kernel"], [
    (0, 2, 110, "recv(fd, &mut buf)", False),
    (2, 0, 140, "EAGAIN", False),
    (0, 1, 170, "wait: readable(fd)", False),
    (1, 2, 200, "epoll_wait", False),
    (2, 1, 250, "event: fd readable", True),
    (1, 0, 280, "wake() \u2192 poll again", False),
    (0, 2, 320, "recv(fd, &mut buf)", False),
    (2, 0, 350, "n bytes copied", False),
], (2, 320, 350), ["the kernel touches buf only during", "a system call: lending it is safe"])
out.append(f'<line x1="{WIDTH / 2}" y1="20" x2="{WIDTH / 2}" y2="{HEIGHT - 20}" class="cq-lane"/>')
panel(415, "Completion: \u201cit is done\u201d", ["task", "driver", "kernel"], [
    (0, 1, 110, "submit(SQE, buf)", False),
    (1, 2, 150, "io_uring_enter", False),
    (2, 1, 250, "CQE {user_data, n}", True),
    (1, 0, 280, "wake() \u2192 poll again", False),
    (1, 0, 320, "(n, buf) back", False),
], (2, 150, 250), ["the kernel holds buf from submission to", "completion: the runtime must own it"])
text(WIDTH - 80, 205, "data arrives:", "cq-small cq-muted", "end")
text(WIDTH - 80, 220, "kernel writes buf", "cq-small cq-muted", "end")
out.append("</svg>")

target = Path(__file__).resolve().parent.parent / "readiness-completion.svg"
target.write_text("\n".join(out) + "\n")
print(f"wrote {target}")
