#!/usr/bin/env python3
"""Source of book/figures/runtime-flow.svg, the Introduction's figure.

A sequence diagram of one read under `.await`. The SVG uses mdBook's theme
variables (--fg, --quote-bg, --links) with light fallbacks, so it follows the
reader's theme when inlined into a page and stays readable on its own.

Regenerate with:  python3 book/figures/src/runtime-flow.py
"""
from pathlib import Path

LANES = [
    ("Executor", "chapter 3", 100),
    ("Task (your future)", "chapter 1", 300),
    ("Reactor", "chapter 4", 500),
    ("Kernel (epoll)", "the OS", 690),
]
X = {name.split()[0]: x for name, _, x in LANES}
# (from, to, label, kind); kind: call (solid), ret (dashed), event (coloured)
STEPS = [
    ("Executor", "Task", "1  poll(cx)", "call"),
    ("Task", "Kernel", "2  recv() on a non-blocking socket", "call"),
    ("Kernel", "Task", "3  Err(WouldBlock): nothing yet", "ret"),
    ("Task", "Reactor", "4  store cx.waker() for (token, READ)", "call"),
    ("Task", "Executor", "5  Poll::Pending", "ret"),
    ("Executor", "Kernel", "6  nothing to run: park in epoll_wait", "call"),
    ("Kernel", "Reactor", "7  event: token is readable", "event"),
    ("Reactor", "Executor", "8  waker.wake(): the task is queued again", "event"),
    ("Executor", "Task", "9  poll(cx) again", "call"),
    ("Task", "Kernel", "10  recv() again", "call"),
    ("Kernel", "Task", "11  Ok(n): the data", "ret"),
    ("Task", "Executor", "12  Poll::Ready(n): .await returns", "ret"),
]
ASLEEP_AFTER = 6  # the thread sleeps between step 6 and step 7
WIDTH, TOP, GAP, ASLEEP = 800, 112, 38, 44

STYLE = "".join([
    ".rf-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".rf-fg{fill:var(--fg,#1f1f1f)}",
    ".rf-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".rf-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".rf-life{stroke:var(--fg,#1f1f1f);stroke-width:1;stroke-dasharray:4 4;opacity:.45}",
    ".rf-call{stroke:var(--fg,#1f1f1f);stroke-width:1.6;fill:none}",
    ".rf-ret{stroke:var(--fg,#1f1f1f);stroke-width:1.4;stroke-dasharray:6 4;fill:none}",
    ".rf-event{stroke:var(--links,#2b79a2);stroke-width:2.2;fill:none}",
    ".rf-head{fill:var(--fg,#1f1f1f)}",
    ".rf-head-event{fill:var(--links,#2b79a2)}",
    ".rf-label{font-size:13px}",
    ".rf-lane{font-size:15px;font-weight:600}",
    ".rf-sub{font-size:12px}",
    ".rf-band{fill:var(--links,#2b79a2);opacity:.10}",
])


def marker(ident, cls):
    return (f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
            f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" class="{cls}"/></marker>')


def step_y(i):
    return TOP + GAP * i + (ASLEEP if i >= ASLEEP_AFTER else 0)


def main():
    height = step_y(len(STEPS)) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        'role="img" aria-labelledby="rf-title rf-desc" class="rf-figure">',
        '<title id="rf-title">What happens under .await</title>',
        '<desc id="rf-desc">A sequence diagram of one read: the executor polls the task, the read '
        'returns WouldBlock, the task stores its waker with the reactor and returns Pending, the '
        'executor parks in epoll_wait, the kernel reports the socket readable, the reactor wakes '
        'the task, the executor polls it again and the read returns the data.</desc>',
        f'<style>{STYLE}</style>',
        f'<defs>{marker("rf-arrow", "rf-head")}{marker("rf-arrow-event", "rf-head-event")}</defs>',
    ]
    band_top = step_y(ASLEEP_AFTER - 1) + 12
    band_bottom = step_y(ASLEEP_AFTER) - 24
    out.append(f'<rect x="10" y="{band_top}" width="{WIDTH - 20}" height="{band_bottom - band_top}" '
               'rx="6" class="rf-band"/>')
    out.append(f'<text x="{WIDTH // 2}" y="{(band_top + band_bottom) // 2 + 5}" text-anchor="middle" '
               'class="rf-label rf-muted">the thread sleeps here, using no CPU, until the kernel has news</text>')
    for name, sub, x in LANES:
        out.append(f'<rect x="{x - 88}" y="18" width="176" height="52" rx="8" class="rf-box"/>')
        out.append(f'<text x="{x}" y="41" text-anchor="middle" class="rf-lane rf-fg">{name}</text>')
        out.append(f'<text x="{x}" y="60" text-anchor="middle" class="rf-sub rf-muted">{sub}</text>')
        out.append(f'<line x1="{x}" y1="70" x2="{x}" y2="{height - 10}" class="rf-life"/>')
    for i, (src, dst, label, kind) in enumerate(STEPS):
        y, x1, x2 = step_y(i), X[src], X[dst]
        d = 1 if x2 > x1 else -1
        head = "rf-arrow-event" if kind == "event" else "rf-arrow"
        out.append(f'<line x1="{x1 + 4 * d}" y1="{y}" x2="{x2 - 4 * d}" y2="{y}" '
                   f'class="rf-{kind}" marker-end="url(#{head})"/>')
        out.append(f'<text x="{(x1 + x2) // 2}" y="{y - 7}" text-anchor="middle" '
                   f'class="rf-label rf-fg">{label}</text>')
    out.append('</svg>')
    target = Path(__file__).resolve().parent.parent / "runtime-flow.svg"
    target.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
