#!/usr/bin/env python3
"""Source of book/figures/park-race.svg, chapter 4's park-state race.

Two sequence diagrams, one above the other, of the executor parking while
another thread wakes a task: once with the unpark landing between the
executor's last look at its queue and its park, once with the park first.
They follow the code in chapters/04-reactor/src/reactor.rs (`turn` and
`Shared::unpark`). The SVG uses mdBook's theme variables (--fg, --quote-bg,
--links) with light fallbacks, like the Introduction's figure. Class and id
names start with `pk-`.

Regenerate with:  python3 book/figures/src/park-race.py
"""
from pathlib import Path

LANES = [
    ("Waking", "Waking thread", "wake(): push, unpark", 80),
    ("Queue", "Run queue", "the executor's tasks", 240),
    ("State", "park_state", "one atomic, three states", 400),
    ("Executor", "Executor thread", "Reactor::park()", 560),
    ("Epoll", "epoll", "the kernel", 720),
]
X = {key: x for key, _, _, x in LANES}

# Each case: a heading, then (from, to, label, kind); kind: call (solid),
# ret (dashed), event (coloured: the kernel's answer, or the syscall it needs).
CASES = [
    ("The unpark comes first: the swap finds RUNNING, the CAS fails", [
        ("Executor", "Queue", "1  pop: empty, nothing to run", "call"),
        ("Waking", "Queue", "2  push(task)", "call"),
        ("Waking", "State", "3  swap(NOTIFIED) finds RUNNING: no syscall", "call"),
        ("Executor", "State", "4  CAS RUNNING→PARKED fails: NOTIFIED", "call"),
        ("Executor", "Epoll", "5  epoll_wait(0): no sleep", "call"),
        ("Executor", "State", "6  store(RUNNING)", "call"),
        ("Executor", "Queue", "7  pop: the task, which runs", "call"),
    ]),
    ("The park comes first: the CAS succeeds, the swap finds PARKED", [
        ("Executor", "Queue", "1  pop: empty, nothing to run", "call"),
        ("Executor", "State", "2  CAS RUNNING→PARKED succeeds", "call"),
        ("Executor", "Epoll", "3  epoll_wait: asleep", "call"),
        ("Waking", "Queue", "4  push(task)", "call"),
        ("Waking", "State", "5  swap(NOTIFIED) finds PARKED", "call"),
        ("Waking", "Epoll", "6  write the eventfd (mio::Waker)", "call"),
        ("Epoll", "Executor", "7  epoll_wait returns: the waker's event", "event"),
        ("Executor", "State", "8  store(RUNNING)", "call"),
        ("Executor", "Queue", "9  pop: the task, which runs", "call"),
    ]),
]
WIDTH, TOP, GAP, HEADING = 800, 100, 34, 46

STYLE = "".join([
    ".pk-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".pk-fg{fill:var(--fg,#1f1f1f)}",
    ".pk-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".pk-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".pk-life{stroke:var(--fg,#1f1f1f);stroke-width:1;stroke-dasharray:4 4;opacity:.45}",
    ".pk-call{stroke:var(--fg,#1f1f1f);stroke-width:1.6;fill:none}",
    ".pk-ret{stroke:var(--fg,#1f1f1f);stroke-width:1.4;stroke-dasharray:6 4;fill:none}",
    ".pk-event{stroke:var(--links,#2b79a2);stroke-width:2.2;fill:none}",
    ".pk-head{fill:var(--fg,#1f1f1f)}",
    ".pk-head-event{fill:var(--links,#2b79a2)}",
    ".pk-label{font-size:12px}",
    ".pk-lane{font-size:14px;font-weight:600}",
    ".pk-sub{font-size:11px}",
    ".pk-case{font-size:13px;font-weight:600}",
    ".pk-band{fill:var(--links,#2b79a2);opacity:.10}",
])


def marker(ident, cls):
    return (f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
            f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" class="{cls}"/></marker>')


def layout():
    """Yields ("case", y, title) and ("step", y, step) in drawing order."""
    y = TOP
    for title, steps in CASES:
        yield ("case", y, title)
        y += HEADING
        for step in steps:
            yield ("step", y, step)
            y += GAP
        y += 8
    yield ("end", y, None)


def main():
    items = list(layout())
    height = items[-1][1] + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        'role="img" aria-labelledby="pk-title pk-desc" class="pk-figure">',
        '<title id="pk-title">Parking without losing an unpark</title>',
        '<desc id="pk-desc">Two orders of the same race. Above: the executor finds its queue '
        'empty; another thread pushes a task and swaps the park state to NOTIFIED, finding '
        'RUNNING, so it makes no system call; the executor\'s compare-and-swap from RUNNING to '
        'PARKED then fails, so it polls epoll with a zero timeout, stores RUNNING and finds the '
        'task. Below: the compare-and-swap succeeds and the executor sleeps in epoll_wait; the '
        'other thread pushes a task, its swap finds PARKED, so it writes the eventfd; epoll_wait '
        'returns, the executor stores RUNNING and finds the task.</desc>',
        f'<style>{STYLE}</style>',
        f'<defs>{marker("pk-arrow", "pk-head")}{marker("pk-arrow-event", "pk-head-event")}</defs>',
    ]
    for _, name, sub, x in LANES:
        out.append(f'<rect x="{x - 72}" y="14" width="144" height="50" rx="8" class="pk-box"/>')
        out.append(f'<text x="{x}" y="36" text-anchor="middle" class="pk-lane pk-fg">{name}</text>')
        out.append(f'<text x="{x}" y="54" text-anchor="middle" class="pk-sub pk-muted">{sub}</text>')
        out.append(f'<line x1="{x}" y1="64" x2="{x}" y2="{height - 6}" class="pk-life"/>')
    for kind, y, item in items:
        if kind == "case":
            out.append(f'<rect x="8" y="{y - 4}" width="{WIDTH - 16}" height="28" rx="6" class="pk-band"/>')
            out.append(f'<text x="{WIDTH // 2}" y="{y + 15}" text-anchor="middle" '
                       f'class="pk-case pk-fg">{item}</text>')
        elif kind == "step":
            src, dst, label, style = item
            x1, x2 = X[src], X[dst]
            d = 1 if x2 > x1 else -1
            head = "pk-arrow-event" if style == "event" else "pk-arrow"
            out.append(f'<line x1="{x1 + 4 * d}" y1="{y}" x2="{x2 - 4 * d}" y2="{y}" '
                       f'class="pk-{style}" marker-end="url(#{head})"/>')
            out.append(f'<text x="{(x1 + x2) // 2}" y="{y - 6}" text-anchor="middle" '
                       f'class="pk-label pk-fg">{label}</text>')
    out.append('</svg>')
    target = Path(__file__).resolve().parent.parent / "park-race.svg"
    target.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
