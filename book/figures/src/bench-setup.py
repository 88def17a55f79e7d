#!/usr/bin/env python3
"""Source of book/figures/bench-setup.svg, chapter 11's figure.

The benchmark set-up: the harness and its load generator pinned to core 0,
one server process at a time pinned to core 1, loopback between them, the
server's CPU time read from /proc/PID/stat before and after each run, and
the servers interleaved round after round. Uses mdBook's theme variables
(--fg, --quote-bg, --links) with light fallbacks.

Regenerate with:  python3 book/figures/src/bench-setup.py
"""
from pathlib import Path

WIDTH = 800
STYLE = "".join([
    ".bs-figure{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}",
    ".bs-fg{fill:var(--fg,#1f1f1f)}",
    ".bs-muted{fill:var(--fg,#1f1f1f);opacity:.7}",
    ".bs-core{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:6 4;opacity:.6}",
    ".bs-box{fill:var(--quote-bg,#f2f4f7);stroke:var(--fg,#1f1f1f);stroke-width:1.2}",
    ".bs-flow{stroke:var(--links,#2b79a2);stroke-width:2.2;fill:none}",
    ".bs-read{stroke:var(--fg,#1f1f1f);stroke-width:1.3;stroke-dasharray:4 3;fill:none}",
    ".bs-head{fill:var(--fg,#1f1f1f)}",
    ".bs-head-flow{fill:var(--links,#2b79a2)}",
    ".bs-title{font-size:15px;font-weight:600}",
    ".bs-label{font-size:12.5px}",
    ".bs-small{font-size:11.5px}",
    ".bs-ours{fill:var(--links,#2b79a2)}",
    ".bs-threaded{fill:var(--links,#2b79a2);opacity:.45}",
    ".bs-tokio{fill:var(--fg,#1f1f1f);opacity:.75}",
    ".bs-mio{fill:var(--fg,#1f1f1f);opacity:.35}",
])


def text(out, x, y, s, cls="bs-label bs-fg", anchor="start"):
    out.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{cls}">{s}</text>')


def main():
    out = []
    # The two cores.
    out.append('<rect x="10" y="10" width="330" height="230" rx="10" class="bs-core"/>')
    text(out, 24, 32, "core 0", "bs-title bs-fg")
    out.append('<rect x="460" y="10" width="330" height="230" rx="10" class="bs-core"/>')
    text(out, 474, 32, "core 1", "bs-title bs-fg")
    # The harness.
    out.append('<rect x="30" y="48" width="290" height="172" rx="8" class="bs-box"/>')
    text(out, 175, 70, "echo-bench (the harness)", "bs-title bs-fg", "middle")
    for i, line in enumerate([
        "load generator, the same for every server:",
        "TCP: chapter 6's tcp_echo::load",
        "UDP: this chapter's udp_load (one mio loop)",
        "every echoed byte checked",
        "latency of each round trip → HdrHistogram",
        "warm-up first, then measured seconds",
    ]):
        text(out, 44, 94 + i * 20, line, "bs-label bs-fg" if i == 0 else "bs-small bs-muted")
    # The server.
    out.append('<rect x="480" y="48" width="290" height="172" rx="8" class="bs-box"/>')
    text(out, 625, 70, "bench-server (a child process)", "bs-title bs-fg", "middle")
    for i, line in enumerate([
        "one of, same handler in each:",
        "ours: chapter 5/6 servers, Runtime::new()",
        "ours-threaded: the same, Runtime::threaded()",
        "tokio: new_current_thread()",
        "mio: hand-written edge-triggered loop",
    ]):
        text(out, 494, 94 + i * 20, line, "bs-label bs-fg" if i == 0 else "bs-small bs-muted")
    # Loopback traffic.
    out.append('<path d="M322,118 L476,118" class="bs-flow" marker-end="url(#bs-arrow-flow)"/>')
    out.append('<path d="M478,148 L324,148" class="bs-flow" marker-end="url(#bs-arrow-flow)"/>')
    text(out, 400, 110, "requests", "bs-small bs-fg", "middle")
    text(out, 400, 166, "echoes", "bs-small bs-fg", "middle")
    text(out, 400, 138, "127.0.0.1", "bs-small bs-muted", "middle")
    # /proc reads.
    out.append('<path d="M625,222 L625,262 L175,262 L175,224" class="bs-read" marker-end="url(#bs-arrow)"/>')
    text(out, 400, 256, "/proc/PID/stat (utime + stime) read before and after each run",
         "bs-small bs-fg", "middle")
    # The interleaving.
    top = 292
    text(out, 20, top, "Runs, interleaved: a fresh server process each, every server once per round",
         "bs-title bs-fg")
    kinds = [("ours", "bs-ours"), ("ours-threaded", "bs-threaded"), ("tokio", "bs-tokio"),
             ("mio", "bs-mio")]
    x, w, gap = 20, 50, 4
    for rnd in range(3):
        text(out, x + 2 * (w + gap) - gap / 2, top + 22, f"round {rnd + 1}", "bs-small bs-muted",
             "middle")
        for _, cls in kinds:
            out.append(f'<rect x="{x}" y="{top + 30}" width="{w}" height="20" rx="3" class="{cls}"/>')
            x += w + gap
        x += 18
    text(out, x + 4, top + 45, "… time", "bs-small bs-muted")
    lx = 20
    for name, cls in kinds:
        out.append(f'<rect x="{lx}" y="{top + 62}" width="12" height="12" rx="2" class="{cls}"/>')
        text(out, lx + 18, top + 72, name, "bs-small bs-fg")
        lx += 130
    text(out, 20, top + 98,
         "Ratios (ours ÷ tokio, ours ÷ mio) are taken between runs of the same round, then the median.",
         "bs-small bs-muted")
    height = top + 110
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        'role="img" aria-labelledby="bs-title bs-desc" class="bs-figure">',
        '<title id="bs-title">The benchmark set-up</title>',
        '<desc id="bs-desc">The harness and its load generator run on core 0; one echo server '
        'process at a time runs on core 1; requests and echoes go over loopback; the harness reads '
        'the server process\'s CPU time from /proc before and after each run. Runs are interleaved: '
        'ours, ours-threaded, tokio, mio, then again, for every round.</desc>',
        f'<style>{STYLE}</style>',
        '<defs><marker id="bs-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" '
        'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
        'class="bs-head"/></marker><marker id="bs-arrow-flow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" class="bs-head-flow"/></marker></defs>',
    ] + out + ['</svg>']
    target = Path(__file__).resolve().parent.parent / "bench-setup.svg"
    target.write_text("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
