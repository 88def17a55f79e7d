#!/usr/bin/env python3
"""Source of book/figures/tcp-echo-backpressure.svg (chapter 6).

The echo loop of one connection and the four kernel buffers around it, and
how a client that stops reading stops the server from reading, one full
buffer at a time. Styled with mdBook's theme variables (--fg, --quote-bg,
--links) with light fallbacks, so it follows the reader's theme when inlined.

Regenerate with:  python3 book/figures/src/tcp-echo-backpressure.py
"""
from pathlib import Path

WIDTH, HEIGHT = 800, 440
TOP_Y, BOTTOM_Y, BOX_H = 84, 236, 44

STYLE = "".join([
    ".tb-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".tb-fg{fill:var(--fg,#1f1f1f)}",
    ".tb-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".tb-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".tb-task{fill:none;stroke:var(--links,#2b79a2);stroke-width:2}",
    ".tb-full{fill:var(--links,#2b79a2);opacity:.28}",
    ".tb-flow{stroke:var(--fg,#1f1f1f);stroke-width:1.6;fill:none}",
    ".tb-back{stroke:var(--links,#2b79a2);stroke-width:2;stroke-dasharray:6 4;fill:none}",
    ".tb-head{fill:var(--fg,#1f1f1f)}",
    ".tb-head-back{fill:var(--links,#2b79a2)}",
    ".tb-label{font-size:13px}",
    ".tb-small{font-size:12px}",
    ".tb-title{font-size:15px;font-weight:600}",
    ".tb-num{fill:var(--links,#2b79a2)}",
    ".tb-num-text{fill:var(--bg,#ffffff);font-size:12px;font-weight:700}",
])


def marker(ident, cls):
    return (f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
            f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" class="{cls}"/></marker>')


def box(x, y, w, label, sub=None, full=False):
    out = [f'<rect x="{x}" y="{y}" width="{w}" height="{BOX_H}" rx="5" class="tb-box"/>']
    if full:
        out.append(f'<rect x="{x + 2}" y="{y + 2}" width="{w - 4}" height="{BOX_H - 4}" rx="4" class="tb-full"/>')
    ty = y + (18 if sub else 27)
    out.append(f'<text x="{x + w / 2}" y="{ty}" text-anchor="middle" class="tb-label tb-fg">{label}</text>')
    if sub:
        out.append(f'<text x="{x + w / 2}" y="{y + 35}" text-anchor="middle" class="tb-small tb-muted">{sub}</text>')
    return out


def arrow(x1, y1, x2, y2, cls="tb-flow", head="tb-arrow"):
    return f'<path d="M{x1},{y1} L{x2},{y2}" class="{cls}" marker-end="url(#{head})"/>'


def number(x, y, n):
    return (f'<circle cx="{x}" cy="{y}" r="10" class="tb-num"/>'
            f'<text x="{x}" y="{y + 4}" text-anchor="middle" class="tb-num-text">{n}</text>')


def main():
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        'role="img" aria-labelledby="tb-title tb-desc" class="tb-figure">',
        '<title id="tb-title">The echo loop and backpressure</title>',
        '<desc id="tb-desc">Bytes go from the client through its send buffer and the server\'s '
        'receive buffer into the connection task, which reads into one fixed buffer and writes '
        'all of it into the server\'s send buffer, from where it reaches the client\'s receive '
        'buffer. When the client stops reading, the buffers fill one after the other, back to '
        'front: the server\'s write waits, so it does not read, so its receive buffer fills, so '
        'the client\'s writes block.</desc>',
        f'<style>{STYLE}</style>',
        f'<defs>{marker("tb-arrow", "tb-head")}{marker("tb-arrow-back", "tb-head-back")}</defs>',
        '<text x="20" y="28" class="tb-title tb-fg">One connection: the echo loop and the buffers around it</text>',
        '<text x="20" y="48" class="tb-small tb-muted">shaded: full, when the client writes and stops reading</text>',
    ]
    # Top row: towards the server.
    out += box(20, TOP_Y, 110, "client writes")
    out += box(165, TOP_Y, 130, "send buffer", "client kernel", full=True)
    out += box(330, TOP_Y, 130, "receive buffer", "server kernel", full=True)
    # Bottom row: back to the client.
    out += box(20, BOTTOM_Y, 110, "client reads")
    out += box(165, BOTTOM_Y, 130, "receive buffer", "client kernel", full=True)
    out += box(330, BOTTOM_Y, 130, "send buffer", "server kernel", full=True)
    # The connection task.
    tx, ty, tw, th = 510, TOP_Y - 30, 270, BOTTOM_Y + BOX_H + 40 - (TOP_Y - 30)
    out.append(f'<rect x="{tx}" y="{ty}" width="{tw}" height="{th}" rx="8" class="tb-task"/>')
    out.append(f'<text x="{tx + tw / 2}" y="{ty + 19}" text-anchor="middle" class="tb-label tb-fg" '
               'font-weight="600">the connection task (echo)</text>')
    out += box(545, TOP_Y, 200, "stream.read(&amp;mut buf)")
    out += box(545, (TOP_Y + BOTTOM_Y) // 2, 200, "buf", "one per connection, 16 KiB")
    out += box(545, BOTTOM_Y, 200, "write_all(&amp;buf[..n])")
    # Data flow.
    out.append(arrow(130, TOP_Y + 22, 163, TOP_Y + 22))
    out.append(arrow(295, TOP_Y + 22, 328, TOP_Y + 22))
    mid = (TOP_Y + BOTTOM_Y) // 2
    out.append(arrow(460, TOP_Y + 22, 543, TOP_Y + 22))
    out.append(arrow(645, TOP_Y + BOX_H, 645, mid - 2))
    out.append(arrow(645, mid + BOX_H, 645, BOTTOM_Y - 2))
    out.append(arrow(543, BOTTOM_Y + 22, 462, BOTTOM_Y + 22))
    out.append(arrow(330, BOTTOM_Y + 22, 297, BOTTOM_Y + 22))
    out.append(arrow(165, BOTTOM_Y + 22, 132, BOTTOM_Y + 22))
    # The loop: after write_all, read again.
    out.append(f'<path d="M745,{BOTTOM_Y + 22} C790,{BOTTOM_Y + 22} 790,{TOP_Y + 22} 747,{TOP_Y + 22}" '
               'class="tb-flow" marker-end="url(#tb-arrow)"/>')
    # The backpressure chain, numbered where it happens.
    out.append(number(75, BOTTOM_Y + BOX_H + 18, 1))
    out.append(number(230, BOTTOM_Y + BOX_H + 18, 2))
    out.append(number(395, BOTTOM_Y + BOX_H + 18, 3))
    out.append(number(645, BOTTOM_Y + BOX_H + 18, 4))
    out.append(number(395, TOP_Y - 16, 5))
    out.append(number(230, TOP_Y - 16, 6))
    # The chain runs backwards: from the full send buffer (3) up to the
    # receive buffer (5), through the waiting task (4).
    out.append(f'<path d="M395,{BOTTOM_Y - 4} C 420,{mid + 10} 420,{mid - 10} 395,{TOP_Y + BOX_H + 4}" '
               'class="tb-back" marker-end="url(#tb-arrow-back)"/>')
    out.append(f'<text x="380" y="{mid - 4}" text-anchor="end" class="tb-small tb-muted">no read while</text>')
    out.append(f'<text x="380" y="{mid + 12}" text-anchor="end" class="tb-small tb-muted">write_all waits</text>')
    legend = [
        "1  the client stops reading",
        "2  its receive buffer fills; TCP tells the server to stop sending",
        "3  the server's send buffer fills",
        "4  write_all returns Pending: the task waits for writable, and does not read",
        "5  the server's receive buffer fills; TCP tells the client to stop sending",
        "6  the client's send buffer fills: its writes block. Nothing is lost, nothing grows",
    ]
    for i, line in enumerate(legend):
        out.append(f'<text x="20" y="{BOTTOM_Y + BOX_H + 66 + 18 * i}" class="tb-small tb-fg">{line}</text>')
    out.append('</svg>')
    target = Path(__file__).resolve().parent.parent / "tcp-echo-backpressure.svg"
    target.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
