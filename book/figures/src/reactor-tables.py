#!/usr/bin/env python3
"""Source of book/figures/reactor-tables.svg, chapter 4's design figure.

Left: the reactor's shared state (a slab of per-source records behind one
mutex, found by the slot and generation an event's token carries). Right:
the loop the executor's thread runs when the reactor is its `Park`. The SVG
uses mdBook's theme variables (--fg, --quote-bg, --links) with light
fallbacks, so it follows the reader's theme when inlined into a page and
stays readable on its own. Class and id names start with `rx-`.

Regenerate with:  python3 book/figures/src/reactor-tables.py
"""
from pathlib import Path

WIDTH, HEIGHT = 800, 600
# The token's layout, as chapters/04-reactor/src/token.rs encodes it.
SLOT_BITS = 24
# The executor checks for events after this many polls (EVENT_INTERVAL in
# chapters/03-executor/src/runtime.rs).
EVENT_INTERVAL = 61

STYLE = "".join([
    ".rx-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".rx-fg{fill:var(--fg,#1f1f1f)}",
    ".rx-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".rx-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".rx-panel{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1;stroke-dasharray:5 4;opacity:.5}",
    ".rx-hot{fill:var(--links,#2b79a2);fill-opacity:.12;stroke:var(--links,#2b79a2);stroke-width:1.6}",
    ".rx-line{stroke:var(--fg,#1f1f1f);stroke-width:1.4;fill:none}",
    ".rx-event{stroke:var(--links,#2b79a2);stroke-width:2;fill:none}",
    ".rx-head{fill:var(--fg,#1f1f1f)}",
    ".rx-head-event{fill:var(--links,#2b79a2)}",
    ".rx-t{font-size:13px}",
    ".rx-s{font-size:12px}",
    ".rx-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}",
    ".rx-h{font-size:15px;font-weight:600}",
])

DESC = ("Left: the reactor's shared state, a slab of per-source records behind one mutex. "
        "An event's token splits into a generation and a slot index; the slot's record holds "
        "the generation, the readiness bits, a tick counter, and separate read and write waiter "
        "lists. A freed slot is reused with a new generation. Right: the loop on the executor's "
        "thread: run ready tasks; when none is left, park in epoll_wait; dispatch the events by "
        "updating the records and collecting the wakers under the lock; release the lock; wake "
        "the tasks, which go back to the run queue.")

# The slab's rows: (slot, y, height, hot, label, label class). The hot row
# is drawn in detail by `record()`.
ROWS = [
    (0, 156, 34, False, "generation 0 · a pipe's reading end", "rx-fg"),
    (1, 196, 34, False, "vacant: freed when its source was dropped", "rx-muted"),
    (2, 236, 254, True, None, None),
    (3, 496, 34, False, "generation 4 · a socket", "rx-fg"),
]

# The loop's boxes: (y, height, hot, title, detail lines, detail ys).
LOOP = [
    (52, 62, False, f"1  run queued tasks (up to {EVENT_INTERVAL})",
     ["a read: try · WouldBlock · store waker · Pending"], [98]),
    (148, 62, False, "2  queue empty: Reactor::park()",
     ["RUNNING → PARKED, unless an unpark came"], [194]),
    (244, 62, True, "3  epoll_wait(timeout)",
     ["asleep, no CPU; the kernel fills Events"], [290]),
    (340, 86, False, "4  dispatch, under the lock",
     ["per event: check the generation,", "ready |= bits, tick += 1,",
      "move that direction's wakers to a Vec"], [386, 404, 420]),
    (460, 62, False, "5  unlock, then wake each waker",
     ["woken tasks go back to the run queue"], [506]),
]
LOOP_X, LOOP_W, LOOP_MID = 464, 308, 618


def marker(ident, cls, size):
    return (f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="{size}" '
            f'markerHeight="{size}" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" class="{cls}"/></marker>')


def rect(x, y, w, h, cls, rx=4):
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" class="{cls}"/>'


def text(x, y, body, cls, middle=False):
    anchor = ' text-anchor="middle"' if middle else ""
    return f'<text x="{x}" y="{y}"{anchor} class="{cls}">{body}</text>'


def tables():
    out = ["<!-- left panel: the tables -->",
           rect(8, 8, 424, 584, "rx-panel", rx=8),
           text(220, 32, "Shared state (one Mutex)", "rx-h rx-fg", middle=True),
           text(24, 62, "event token from the OS", "rx-t rx-fg"),
           rect(24, 70, 230, 30, "rx-box"),
           rect(254, 70, 110, 30, "rx-hot"),
           text(139, 90, "generation = 1", "rx-mono rx-fg", middle=True),
           text(309, 90, "slot = 2", "rx-mono rx-fg", middle=True),
           text(139, 116, "high bits", "rx-s rx-muted", middle=True),
           text(309, 116, f"low {SLOT_BITS} bits", "rx-s rx-muted", middle=True),
           '<path d="M364,85 L422,85 L422,250 L412,250" class="rx-event" '
           'marker-end="url(#rx-arrow-event)"/>',
           text(24, 146, "slab of records", "rx-t rx-fg"),
           "<!-- slot rows -->"]
    for slot, y, h, hot, label, label_cls in ROWS:
        cls = "rx-hot" if hot else "rx-box"
        index = text(54, y + 22, slot, "rx-mono rx-fg", middle=True)
        if hot:
            out.append(rect(24, y, 60, h, cls) + index)
            out.append(rect(90, y, 320, h, cls))
            out.extend(record(y))
        else:
            out.append(rect(24, y, 60, h, cls) + index)
            out.append(rect(90, y, 320, h, cls) + text(100, y + 22, label, f"rx-s {label_cls}"))
    out.append(text(24, 556, 'A WouldBlock clears "readable" only if the tick has', "rx-s rx-muted"))
    out.append(text(24, 574, "not moved since the operation looked at the record.", "rx-s rx-muted"))
    return out


def record(y):
    """The record in the hot slot, opened up."""
    out = [text(102, y + 22, "generation: 1", "rx-mono rx-fg"),
           text(214, y + 22, "(an event for gen 0 is stale)", "rx-s rx-muted"),
           text(102, y + 44, "ready: readable | writable", "rx-mono rx-fg"),
           text(102, y + 66, "tick: 7", "rx-mono rx-fg"),
           text(248, y + 66, "+1 per event", "rx-s rx-muted")]
    for top, title, poller, futures in [(y + 78, "read waiters", "–", "[0: waker A, 1: waker B]"),
                                        (y + 164, "write waiters", "waker C", "[]")]:
        out.append(rect(102, top, 296, 78, "rx-box"))
        out.append(text(112, top + 20, title, "rx-t rx-fg"))
        out.append(text(112, top + 42, f"poller: {poller}", "rx-mono rx-fg"))
        out.append(text(112, top + 64, f"futures: {futures}", "rx-mono rx-fg"))
    return out


def loop():
    out = ["<!-- right panel: the loop -->",
           rect(444, 8, 348, 584, "rx-panel", rx=8),
           text(LOOP_MID, 32, "The loop (executor's thread)", "rx-h rx-fg", middle=True)]
    for i, (y, h, hot, title, lines, ys) in enumerate(LOOP):
        out.append(rect(LOOP_X, y, LOOP_W, h, "rx-hot" if hot else "rx-box", rx=8))
        out.append(text(LOOP_MID, y + 24, title, "rx-t rx-fg", middle=True))
        out.extend(text(LOOP_MID, ly, line, "rx-s rx-muted", middle=True)
                   for line, ly in zip(lines, ys))
        if i + 1 < len(LOOP):
            # The arrow out of the wait is the kernel's event: coloured.
            kind, head = ("rx-event", "rx-arrow-event") if hot else ("rx-line", "rx-arrow")
            out.append(f'<line x1="{LOOP_MID}" y1="{y + h}" x2="{LOOP_MID}" '
                       f'y2="{LOOP[i + 1][0] - 2}" class="{kind}" marker-end="url(#{head})"/>')
    last_y, last_h = LOOP[-1][0], LOOP[-1][1]
    back_y, first_mid = last_y + last_h // 2, LOOP[0][0] + LOOP[0][1] // 2
    out.append(f'<path d="M{LOOP_X},{back_y} C446,{back_y} 446,{first_mid} {LOOP_X - 2},{first_mid}" '
               'class="rx-line" marker-end="url(#rx-arrow)"/>')
    out.append(text(LOOP_MID, 556, "Another thread's wake while PARKED writes", "rx-s rx-muted",
                    middle=True))
    out.append(text(LOOP_MID, 574, "to the mio::Waker (eventfd) to end step 3.", "rx-s rx-muted",
                    middle=True))
    return out


def main():
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        'role="img" aria-labelledby="rx-title rx-desc" class="rx-figure">',
        "<title id=\"rx-title\">The reactor's tables and its loop</title>",
        f'<desc id="rx-desc">{DESC}</desc>',
        f"<style>{STYLE}</style>",
        f'<defs>{marker("rx-arrow", "rx-head", 9)}{marker("rx-arrow-event", "rx-head-event", 10)}</defs>',
    ]
    out.extend(tables())
    out.extend(loop())
    out.append("</svg>")
    target = Path(__file__).resolve().parent.parent / "reactor-tables.svg"
    target.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
