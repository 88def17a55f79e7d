#!/usr/bin/env python3
"""Source of book/figures/udp-echo-budget.svg, chapter 5's figure.

Two timelines of one executor thread while a client floods the echo server:
without a budget the server task never returns Pending (the socket never
says WouldBlock), so the ticker task and the reactor never get a turn; with
a budget the server yields every N datagrams and everyone runs. Uses mdBook's
theme variables (--fg, --quote-bg, --links) with light fallbacks.

Regenerate with:  python3 book/figures/src/udp-echo-budget.py
"""
from pathlib import Path

WIDTH = 800
LEFT = 150          # where the time axis starts
RIGHT = WIDTH - 20
LANES = ["server task", "ticker task", "reactor (epoll)"]
LANE_H, LANE_GAP = 26, 8

STYLE = "".join([
    ".ub-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".ub-fg{fill:var(--fg,#1f1f1f)}",
    ".ub-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".ub-lane{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:.6;stroke-opacity:.35}",
    ".ub-server{fill:var(--links,#2b79a2);opacity:.85}",
    ".ub-ticker{fill:var(--fg,#1f1f1f);opacity:.55}",
    ".ub-reactor{fill:var(--fg,#1f1f1f);opacity:.3}",
    ".ub-starved{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:5 4;opacity:.6}",
    ".ub-tick{stroke:var(--quote-bg,#f2f4f7);stroke-width:1.4}",
    ".ub-title{font-size:15px;font-weight:600}",
    ".ub-label{font-size:12.5px}",
    ".ub-small{font-size:11.5px}",
    ".ub-axis{stroke:var(--fg,#1f1f1f);stroke-width:1.2;fill:none}",
    ".ub-head{fill:var(--fg,#1f1f1f)}",
])


def panel(out, top, title, subtitle, segments, notes):
    """segments: (lane index, start fraction, end fraction, class, ticks)."""
    out.append(f'<text x="20" y="{top}" class="ub-title ub-fg">{title}</text>')
    out.append(f'<text x="20" y="{top + 18}" class="ub-label ub-muted">{subtitle}</text>')
    y0 = top + 32
    span = RIGHT - LEFT
    for i, lane in enumerate(LANES):
        y = y0 + i * (LANE_H + LANE_GAP)
        out.append(f'<text x="{LEFT - 10}" y="{y + LANE_H // 2 + 4}" text-anchor="end" '
                   f'class="ub-label ub-fg">{lane}</text>')
        out.append(f'<rect x="{LEFT}" y="{y}" width="{span}" height="{LANE_H}" rx="4" class="ub-lane"/>')
    for lane, a, b, cls, ticks in segments:
        y = y0 + lane * (LANE_H + LANE_GAP)
        x1, x2 = LEFT + a * span, LEFT + b * span
        out.append(f'<rect x="{x1:.1f}" y="{y + 3}" width="{x2 - x1:.1f}" height="{LANE_H - 6}" '
                   f'rx="3" class="{cls}"/>')
        # One thin gap per datagram, so the bar reads as many small steps.
        for k in range(1, ticks):
            x = x1 + (x2 - x1) * k / ticks
            out.append(f'<line x1="{x:.1f}" y1="{y + 4}" x2="{x:.1f}" y2="{y + LANE_H - 4}" class="ub-tick"/>')
    for lane, a, b, text in notes:
        y = y0 + lane * (LANE_H + LANE_GAP)
        x1, x2 = LEFT + a * span, LEFT + b * span
        if b > a:
            out.append(f'<rect x="{x1:.1f}" y="{y + 3}" width="{x2 - x1:.1f}" height="{LANE_H - 6}" '
                       'rx="3" class="ub-starved"/>')
        out.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{y + LANE_H // 2 + 4}" text-anchor="middle" '
                   f'class="ub-small ub-fg">{text}</text>')
    bottom = y0 + len(LANES) * (LANE_H + LANE_GAP)
    out.append(f'<line x1="{LEFT}" y1="{bottom + 2}" x2="{RIGHT}" y2="{bottom + 2}" '
               'class="ub-axis" marker-end="url(#ub-arrow)"/>')
    out.append(f'<text x="{RIGHT}" y="{bottom + 17}" text-anchor="end" class="ub-small ub-muted">'
               'time on the one executor thread</text>')
    return bottom + 40


def main():
    out = []
    top = 26
    top = panel(
        out, top,
        "Without a budget",
        "recv_from never returns WouldBlock while the flood lasts, so the server task is never Pending",
        [(0, 0.0, 1.0, "ub-server", 40)],
        [(1, 0.02, 0.98, "starved: queued, never polled"),
         (2, 0.02, 0.98, "never asked for events")],
    )
    per_turn = 8
    segs = []
    x, turn, server_w, tick_w, poll_w = 0.0, 0, 0.13, 0.03, 0.03
    while x + server_w <= 1.0:
        segs.append((0, x, x + server_w, "ub-server", per_turn))
        x += server_w
        if x + tick_w > 1.0:
            break
        segs.append((1, x, x + tick_w, "ub-ticker", 1))
        x += tick_w
        turn += 1
        # The executor collects OS events between batches of task polls,
        # not after every task: drawn here after every second turn.
        if turn % 2 == 0:
            if x + poll_w > 1.0:
                break
            segs.append((2, x, x + poll_w, "ub-reactor", 1))
            x += poll_w
    height = panel(
        out, top,
        "With a budget of N datagrams",
        "after N datagrams the server yields and the ticker runs; between batches the reactor collects events",
        segs,
        [],
    )
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        'role="img" aria-labelledby="ub-title ub-desc" class="ub-figure">',
        '<title id="ub-title">Why the echo server needs a budget</title>',
        '<desc id="ub-desc">Two timelines of the executor thread during a flood. Without a budget '
        'the server task runs without end and the ticker task and the reactor never run. With a '
        'budget the server runs N datagrams, yields, the ticker runs, the reactor polls for events, '
        'and the server runs again.</desc>',
        f'<style>{STYLE}</style>',
        '<defs><marker id="ub-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
        'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
        'class="ub-head"/></marker></defs>',
    ] + out + ['</svg>']
    target = Path(__file__).resolve().parent.parent / "udp-echo-budget.svg"
    target.write_text("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
