//! The results, three ways: a table to read, JSON to process, and an SVG
//! chart for the book. The chart uses mdBook's theme variables (with light
//! fallbacks), so it reads in every theme when inlined in a page.

use std::fmt::Write as _;

use crate::harness::curve::Curve;
use crate::harness::{
    Better, Machine, NoiseBand, Ratio, Ratios, Results, Row, TARGETS, Verdict, verdict,
};
use crate::servers::ServerKind;

fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".into(), |x| format!("{x:.2}×"))
}

// ANCHOR: table
/// The readable table: the set-up and the machine, then per scenario the
/// figures of every server and the ratios with their verdicts, then the
/// chapter's targets.
pub fn table(results: &Results) -> String {
    let mut out = header(results);
    for (s, scenario) in results.scenarios.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} ({} {}, {}-byte messages, {} in flight each)",
            scenario.label(),
            scenario.connections,
            if scenario.proto == crate::Proto::Tcp {
                "connections"
            } else {
                "flows"
            },
            scenario.size,
            scenario.depth
        );
        let _ = writeln!(
            out,
            "{:<16}{:>10}{:>19}{:>8}{:>8}{:>8}{:>9}{:>10}{:>6}{:>9}",
            "server",
            "rt/s",
            "(min-max)",
            "MB/s",
            "p50µs",
            "p99µs",
            "p99.9µs",
            "CPUµs/rt",
            "sys",
            "client"
        );
        for &server in &results.servers {
            if let Some(row) = results.row(s, server) {
                let _ = writeln!(out, "{}", line(row));
            }
        }
        if scenario.proto == crate::Proto::Udp {
            let lost: u64 = results
                .rows
                .iter()
                .filter(|r| r.scenario == s)
                .map(|r| r.lost)
                .sum();
            let _ = writeln!(out, "datagrams lost over all servers and rounds: {lost}");
        }
        out.push_str(&ratios_block(results, s));
    }
    let targets = targets(results);
    if !targets.is_empty() {
        let _ = writeln!(out);
        out.push_str(&targets);
    }
    out
}

/// What ran, when, and what else the machine was doing.
fn header(results: &Results) -> String {
    let title = format!(
        "echo-bench, {} mode: {} round(s) of {:.1} s warm-up + {:.1} s measured, servers interleaved",
        results.mode, results.rounds, results.warmup_secs, results.duration_secs
    );
    opening(&title, &results.command, &results.machine)
}

/// The first lines of every file the harness writes: what it is, the
/// command that wrote it and when, then the machine.
fn opening(title: &str, command: &str, m: &Machine) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "command: {command}; started {}", m.started_utc);
    out.push_str(&machine(m));
    out
}

/// The machine, pinning, and what can skew a run: the load average before
/// and after, steal time, the CPU frequency.
fn machine(m: &Machine) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "machine: {} CPUs ({}), Linux {}; {}",
        m.cpus,
        m.cpu_model,
        m.kernel,
        match m.pinned {
            Some(c) => format!(
                "server pinned to core {}, load generator to core {}",
                c.server, c.client
            ),
            None => "not pinned".into(),
        },
    );
    let steal = match m.steal {
        Some(st) => format!(
            "{:.2} s ({:.2}% of all CPU time)",
            st.secs,
            st.share * 100.0
        ),
        None => "not readable".into(),
    };
    let mhz = match &m.cpu_mhz {
        Some(mhz) => mhz
            .iter()
            .map(|f| format!("{f:.0} MHz"))
            .collect::<Vec<_>>()
            .join(", "),
        None => "not readable".into(),
    };
    let _ = writeln!(
        out,
        "load average {} before, {} after; steal time over the run {steal}; CPU frequency {mhz}",
        m.load_before, m.load_after
    );
    out
}

/// `1.01× (0.98-1.03) parity within noise`, or `-`.
fn judged(r: &Ratio) -> String {
    format!(
        "{:.2}× ({:.2}-{:.2}) {}",
        r.spread.median,
        r.spread.min,
        r.spread.max,
        r.verdict.map_or("(no noise band)", Verdict::words)
    )
}

/// The per-round ratios of every server to tokio and to mio, and the noise
/// band they were judged against.
fn ratios_block(results: &Results, s: usize) -> String {
    let mut out = String::new();
    let noise = &results.noise[s];
    let _ = writeln!(
        out,
        "per-round ratios, median (min-max over {} rounds), and the verdict against the noise band:",
        results.rounds
    );
    let _ = writeln!(
        out,
        "{:<16}{:<40}{:<40}{:<40}CPU/rt vs mio",
        "server", "rt/s vs tokio", "CPU/rt vs tokio", "rt/s vs mio"
    );
    for &server in &results.servers {
        let Some(row) = results.row(s, server) else {
            continue;
        };
        if server == ServerKind::Tokio {
            continue;
        }
        let _ = writeln!(out, "{}", ratio_line(row).trim_end());
    }
    let band = |b: Option<NoiseBand>| {
        b.map_or_else(
            || "-".into(),
            |b| format!("±{:.1}%", (b.factor - 1.0) * 100.0),
        )
    };
    let _ = writeln!(
        out,
        "noise band (tokio-again against tokio, widest gap in any round): rt/s {}, CPU/rt {}",
        band(noise.round_trips_per_sec),
        band(noise.cpu_per_request)
    );
    out
}

/// One server's ratios to tokio and to mio (`-` against itself).
fn ratio_line(row: &Row) -> String {
    let pair = |r: &Option<Ratios>, reference: ServerKind| match r {
        Some(r) if row.server != reference => {
            [judged(&r.round_trips_per_sec), judged(&r.cpu_per_request)]
        }
        _ => ["-".into(), "-".into()],
    };
    let [tr, tc] = pair(&row.vs_tokio, ServerKind::Tokio);
    let [mr, mc] = pair(&row.vs_mio, ServerKind::Mio);
    format!("{:<16}{tr:<40}{tc:<40}{mr:<40}{mc}", row.server.name())
}

/// One server across all scenarios: its figures and its ratios to tokio,
/// a line each (the chapter quotes `ours-threaded` this way).
pub fn server_summary(results: &Results, server: ServerKind) -> String {
    let mut out = String::new();
    for (s, scenario) in results.scenarios.iter().enumerate() {
        let Some(row) = results.row(s, server) else {
            continue;
        };
        let (rate, cpu) = match &row.vs_tokio {
            Some(r) => (judged(&r.round_trips_per_sec), judged(&r.cpu_per_request)),
            None => ("-".into(), "-".into()),
        };
        let _ = writeln!(
            out,
            "{} {:<16}: {:.0} rt/s, {:.2} CPUµs/rt; vs tokio: rt/s {rate}, CPU/rt {cpu}",
            server.name(),
            scenario.label(),
            row.round_trips_per_sec,
            row.server_cpu_us_per_request,
        );
    }
    out
}

// ANCHOR: targets
/// The chapter's target, checked against this run's per-round ratios and
/// noise band: for ours, more round trips per second than tokio at less
/// CPU per request, and at least 0.9× the mio loop's round trips. "met"
/// only when the verdict is on the wanted side of the noise; parity within
/// noise is said as such, and is not met.
pub fn targets(results: &Results) -> String {
    let mut out = String::new();
    for (s, scenario) in results.scenarios.iter().enumerate() {
        if !TARGETS.contains(scenario) {
            continue;
        }
        let Some(row) = results.row(s, ServerKind::Ours) else {
            continue;
        };
        let noise = &results.noise[s];
        let label = scenario.label();
        if let Some(t) = &row.vs_tokio {
            let _ = writeln!(
                out,
                "target {label}: ours/tokio round trips {}: {}",
                spread(&t.round_trips_per_sec),
                status(t.round_trips_per_sec.verdict)
            );
            let _ = writeln!(
                out,
                "target {label}: ours/tokio CPU per request {}: {}",
                spread(&t.cpu_per_request),
                status(t.cpu_per_request.verdict)
            );
        }
        if let Some(m) = &row.vs_mio {
            // Against a threshold: the rounds divided by 0.9, judged as a
            // ratio to 1, with the same band.
            let rounds: Vec<f64> = m
                .round_trips_per_sec
                .spread
                .rounds
                .iter()
                .map(|r| r / 0.9)
                .collect();
            let v = noise
                .round_trips_per_sec
                .map(|band| verdict(&rounds, band, Better::Higher));
            let _ = writeln!(
                out,
                "target {label}: ours/mio round trips {} against 0.90×: {}",
                spread(&m.round_trips_per_sec),
                status(v)
            );
        }
    }
    out
}

// ANCHOR: uring_target
/// The io_uring target: on TCP, chapter 10's server at most 0.9× tokio's
/// CPU per request, with each ring setup a row of its own. Judged as the
/// mio target is: the per-round ratios divided by 0.9, against 1, with the
/// run's noise band; "met" only outside the noise.
pub fn uring_target(results: &Results) -> String {
    let mut out = String::new();
    for (s, scenario) in results.scenarios.iter().enumerate() {
        for &server in &results.servers {
            let (Some(_), Some(row)) = (server.uring_setup(), results.row(s, server)) else {
                continue;
            };
            let Some(t) = &row.vs_tokio else {
                continue;
            };
            let rounds: Vec<f64> = (t.cpu_per_request.spread.rounds.iter())
                .map(|r| r / 0.9)
                .collect();
            let v = results.noise[s]
                .cpu_per_request
                .map(|band| verdict(&rounds, band, Better::Lower));
            let _ = writeln!(
                out,
                "{:<15} {:<16}: CPU/rt vs tokio {} against 0.90×: {}; rt/s vs tokio {}",
                server.name(),
                scenario.label(),
                spread(&t.cpu_per_request),
                status(v),
                spread(&t.round_trips_per_sec),
            );
        }
    }
    out
}
// ANCHOR_END: uring_target

fn spread(r: &Ratio) -> String {
    format!(
        "{:.2}× ({:.2}-{:.2})",
        r.spread.median, r.spread.min, r.spread.max
    )
}

fn status(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Ahead) => "ahead, met",
        Some(Verdict::ParityWithinNoise) => "parity within noise, not met",
        Some(Verdict::Behind) => "behind, NOT met",
        None => "no verdict: no noise band (run tokio-again too)",
    }
}
// ANCHOR_END: targets

fn line(row: &Row) -> String {
    let l = &row.latency_us;
    format!(
        "{:<16}{:>10.0}{:>19}{:>8.1}{:>8.1}{:>8.1}{:>9.1}{:>10.2}{:>5.0}%{:>9.2}",
        row.server.name(),
        row.round_trips_per_sec,
        format!(
            "({:.0}-{:.0})",
            row.round_trips_per_sec_min, row.round_trips_per_sec_max
        ),
        row.bytes_per_sec / 1e6,
        l.p50,
        l.p99,
        l.p999,
        row.server_cpu_us_per_request,
        row.server_system_share * 100.0,
        row.client_cpu_us_per_request,
    )
}
// ANCHOR_END: table

const WIDTH: f64 = 800.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = WIDTH - 150.0;
const BAR: f64 = 14.0;
const GAP: f64 = 12.0;
const LEGEND_PER_ROW: usize = 5;

fn class(server: ServerKind) -> &'static str {
    match server {
        ServerKind::Ours => "eb-ours",
        ServerKind::OursThreaded => "eb-threaded",
        ServerKind::Tokio => "eb-tokio",
        ServerKind::TokioAgain => "eb-again",
        ServerKind::Mio => "eb-mio",
        ServerKind::Uring => "eb-uring",
        ServerKind::UringCoop | ServerKind::UringDefer | ServerKind::UringPollFirst => {
            "eb-uring-tuned"
        }
        ServerKind::TokioMt1 => "eb-mt1",
        ServerKind::TokioMt2 => "eb-mt2",
        ServerKind::OursBefore => "eb-before",
    }
}

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ANCHOR: svg
/// Two panels of horizontal bars, one group per scenario: round trips per
/// second relative to tokio (the median of the per-round ratios, with a
/// whisker from the lowest to the highest; the dashed line is 1.0×), and
/// server CPU time per request in microseconds.
///
/// Every bar colour keeps WCAG's 3:1 contrast for graphics against the page
/// in each of mdBook's five themes (the browser tests check it): `ours` in
/// the theme's link colour, `ours-threaded` in a fixed orange that is dark
/// enough for the light themes and bright enough for the dark ones, tokio
/// in the text colour, mio in the text colour at 60 %, and tokio-again as
/// an outline in the text colour.
pub fn svg(results: &Results) -> String {
    let servers = &results.servers;
    // A scenario's group has a bar for each server that ran it (chapter
    // 10's server has no UDP rows).
    let bars: usize = (0..results.scenarios.len())
        .map(|s| {
            servers
                .iter()
                .filter(|&&k| results.row(s, k).is_some())
                .count()
        })
        .sum();
    let panel_h = bars as f64 * BAR + results.scenarios.len() as f64 * (GAP + 18.0) + 40.0;
    // Five legend entries a row, so that the legend stays inside the figure.
    let legend_rows = servers.len().div_ceil(LEGEND_PER_ROW);
    let legend_h = legend_rows as f64 * 22.0 + 18.0;
    let height = 2.0 * panel_h + legend_h + 20.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="eb-title eb-desc" class="eb-figure">
<title id="eb-title">Echo servers compared: round trips per second relative to tokio, and CPU time per request</title>
<desc id="eb-desc">{}</desc>
<style>.eb-figure{{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}}.eb-fg{{fill:var(--fg,#1f1f1f)}}.eb-muted{{fill:var(--fg,#1f1f1f);opacity:.7}}.eb-ours{{fill:var(--links,#2b79a2)}}.eb-threaded{{fill:#bf6300}}.eb-tokio{{fill:var(--fg,#1f1f1f)}}.eb-mio{{fill:var(--fg,#1f1f1f);opacity:.6}}.eb-again{{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.5}}.eb-before{{fill:var(--links,#2b79a2);opacity:.7}}.eb-uring{{fill:#2e8540}}.eb-uring-tuned{{fill:none;stroke:#2e8540;stroke-width:1.5}}.eb-mt1{{fill:#8a3ffc}}.eb-mt2{{fill:none;stroke:#8a3ffc;stroke-width:1.5}}.eb-axis{{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1;opacity:.6}}.eb-whisker{{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.5}}.eb-ref{{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:5 4}}.eb-title{{font-size:15px;font-weight:600}}.eb-label{{font-size:12.5px}}.eb-small{{font-size:11px}}</style>
"#,
        esc(&describe(results))
    );
    let rate = |row: &Row| {
        row.vs_tokio
            .as_ref()
            .map(|r| r.round_trips_per_sec.spread.median)
    };
    let rate_spread = |row: &Row| {
        row.vs_tokio.as_ref().map(|r| {
            let s = &r.round_trips_per_sec.spread;
            (s.min, s.max)
        })
    };
    let cpu = |row: &Row| Some(row.server_cpu_us_per_request);
    let none = |_: &Row| None;
    panel(
        &mut out,
        results,
        10.0,
        "Round trips per second relative to tokio, lowest to highest round (higher is better)",
        (&rate, &rate_spread),
        Some(1.0),
        "×",
    );
    panel(
        &mut out,
        results,
        10.0 + panel_h,
        "Server CPU time per request, µs (lower is better)",
        (&cpu, &none),
        None,
        " µs",
    );
    for (i, &server) in servers.iter().enumerate() {
        let x = 20.0 + (i % LEGEND_PER_ROW) as f64 * 150.0;
        let y = 2.0 * panel_h + 20.0 + (i / LEGEND_PER_ROW) as f64 * 22.0;
        let _ = writeln!(
            out,
            r#"<rect x="{x}" y="{y}" width="14" height="14" rx="2" class="{}"/><text x="{}" y="{}" class="eb-label eb-fg">{}</text>"#,
            class(server),
            x + 20.0,
            y + 12.0,
            server.name()
        );
    }
    out.push_str("</svg>\n");
    out
}

/// What a bar shows for a row, and the whisker around it (lowest, highest).
type Figure<'a> = &'a dyn Fn(&Row) -> Option<f64>;
type Whisker<'a> = &'a dyn Fn(&Row) -> Option<(f64, f64)>;

fn panel(
    out: &mut String,
    results: &Results,
    top: f64,
    title: &str,
    (value, spread): (Figure<'_>, Whisker<'_>),
    reference: Option<f64>,
    unit: &str,
) {
    let _ = writeln!(
        out,
        r#"<text x="20" y="{}" class="eb-title eb-fg">{}</text>"#,
        top + 14.0,
        esc(title)
    );
    let max = results
        .rows
        .iter()
        .filter_map(value)
        .chain(results.rows.iter().filter_map(spread).map(|(_, hi)| hi))
        .chain(reference)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.08;
    let scale = |v: f64| (v / max) * (RIGHT - LEFT);
    let mut y = top + 32.0;
    let group_top = y;
    for (s, scenario) in results.scenarios.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end" class="eb-label eb-fg">{}</text>"#,
            LEFT - 10.0,
            y + 12.0,
            esc(&scenario.label())
        );
        for &server in &results.servers {
            let Some(row) = results.row(s, server) else {
                continue;
            };
            let Some(v) = value(row) else {
                y += BAR;
                continue;
            };
            let w = scale(v).max(1.0);
            let mut label_x = LEFT + w + 4.0;
            if let Some((lo, hi)) = results.row(s, server).and_then(spread) {
                let mid = y + (BAR - 2.0) / 2.0;
                let (x1, x2) = (LEFT + scale(lo), LEFT + scale(hi));
                let _ = writeln!(
                    out,
                    r#"<line x1="{x1:.1}" y1="{mid:.1}" x2="{x2:.1}" y2="{mid:.1}" class="eb-whisker"/>"#
                );
                label_x = label_x.max(x2 + 4.0);
            }
            let _ = writeln!(
                out,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{w:.1}" height="{}" class="{}"><title>{}: {v:.2}{unit}</title></rect><text x="{:.1}" y="{:.1}" class="eb-small eb-muted">{} {v:.2}{}</text>"#,
                BAR - 2.0,
                class(server),
                server.name(),
                label_x,
                y + BAR - 4.0,
                server.name(),
                esc(unit)
            );
            y += BAR;
        }
        y += GAP + 18.0;
    }
    let bottom = y - GAP - 18.0;
    let _ = writeln!(
        out,
        r#"<line x1="{LEFT}" y1="{:.1}" x2="{LEFT}" y2="{bottom:.1}" class="eb-axis"/>"#,
        group_top - 4.0
    );
    if let Some(r) = reference {
        let x = LEFT + scale(r);
        let _ = writeln!(
            out,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" class="eb-ref"/>"#,
            group_top - 4.0
        );
    }
}
// ANCHOR_END: svg

/// The chart's text alternative: every figure it shows, in words.
fn describe(results: &Results) -> String {
    let mut d = String::new();
    for (s, scenario) in results.scenarios.iter().enumerate() {
        let _ = write!(d, "{}: ", scenario.label());
        for &server in &results.servers {
            if let Some(row) = results.row(s, server) {
                let _ = write!(
                    d,
                    "{} {:.0} round trips per second ({} of tokio), {:.2} µs CPU per request; ",
                    server.name(),
                    row.round_trips_per_sec,
                    ratio(
                        row.vs_tokio
                            .as_ref()
                            .map(|r| r.round_trips_per_sec.spread.median)
                    ),
                    row.server_cpu_us_per_request
                );
            }
        }
    }
    d.trim_end().to_string()
}

// ANCHOR: curve_table
/// The latency curve as a table: the set-up, the machine, tokio's
/// closed-loop maximum that set the offered loads, then one block per
/// offered load, then the headline.
pub fn curve_table(c: &Curve) -> String {
    let title = format!(
        "echo-bench latency curve, {} mode: {} round(s) of {:.1} s warm-up + {:.1} s measured per point, points and servers interleaved",
        c.mode, c.rounds, c.warmup_secs, c.duration_secs
    );
    let mut out = opening(&title, &c.command, &c.machine);
    let _ = writeln!(
        out,
        "open loop, {}: requests due at a fixed rate, spread evenly over the connections, each timed from its due time",
        c.scenario.label()
    );
    let _ = writeln!(
        out,
        "tokio's closed-loop maximum in this run: {:.0} rt/s (median of {} round(s), {})",
        c.base.round_trips_per_sec,
        c.base.rounds.len(),
        if c.base.source == "table" {
            "from the table's runs"
        } else {
            "measured before the curve"
        }
    );
    for (p, &fraction) in c.fractions.iter().enumerate() {
        let _ = writeln!(out);
        let offered = c
            .points
            .iter()
            .find(|x| x.point == p)
            .map_or(0.0, |x| x.offered_per_sec);
        let _ = writeln!(
            out,
            "offered {:.0}% of tokio's maximum: {offered:.0} rt/s",
            fraction * 100.0
        );
        let _ = writeln!(
            out,
            "{:<16}{:>10}{:>10}{:>10}{:>8}{:>8}{:>9}{:>9}{:>9}{:>10}{:>10}  CPU/rt vs tokio",
            "server",
            "achieved",
            "(min)",
            "held back",
            "unsent",
            "slipµs",
            "p50µs",
            "p99µs",
            "p99.9µs",
            "maxµs",
            "CPUµs/rt"
        );
        for &server in &c.servers {
            let Some(x) = c.point(p, server) else {
                continue;
            };
            let l = &x.latency_us;
            let share = |n: u64| format!("{:.1}%", n as f64 * 100.0 / x.scheduled.max(1) as f64);
            let vs = x.cpu_vs_tokio.as_ref().map_or_else(
                || "-".to_string(),
                |r| {
                    format!(
                        "{:.2}× ({:.2}-{:.2}) {}",
                        r.spread.median,
                        r.spread.min,
                        r.spread.max,
                        r.verdict.map_or("(no noise band)", Verdict::words)
                    )
                },
            );
            let _ = writeln!(
                out,
                "{:<16}{:>10.0}{:>10}{:>10}{:>8}{:>8.0}{:>9.1}{:>9.1}{:>9.1}{:>10.1}{:>10.2}  {vs}",
                server.name(),
                x.achieved_per_sec,
                format!("({:.0})", x.achieved_per_sec_min),
                share(x.held_back),
                share(x.unsent),
                x.client_slip_p99_us,
                l.p50,
                l.p99,
                l.p999,
                l.max,
                x.server_cpu_us_per_request,
            );
        }
        let _ = writeln!(
            out,
            "noise band (tokio-again against tokio, CPU/rt, widest gap in any round): {}",
            c.noise[p].map_or_else(
                || "-".into(),
                |b| format!("±{:.1}%", (b.factor - 1.0) * 100.0)
            )
        );
    }
    let headline = headline(c);
    if !headline.is_empty() {
        let _ = writeln!(out);
        out.push_str(&headline);
    }
    out
}
// ANCHOR_END: curve_table

// ANCHOR: headline
/// The headline efficiency figure: every server's CPU time per request at
/// the headline's offered load, and its per-round ratio to tokio with the
/// verdict against that point's noise band.
pub fn headline(c: &Curve) -> String {
    let mut out = String::new();
    let Some(p) = c.headline_point() else {
        return out;
    };
    let offered = c
        .points
        .iter()
        .find(|x| x.point == p)
        .map_or(0.0, |x| x.offered_per_sec);
    let _ = writeln!(
        out,
        "headline, {}: server CPU per request at {:.0}% of tokio's closed-loop maximum ({offered:.0} rt/s offered), per-round ratio to tokio, median (min-max over {} round(s)):",
        c.scenario.label(),
        c.headline * 100.0,
        c.rounds
    );
    for &server in &c.servers {
        let Some(x) = c.point(p, server) else {
            continue;
        };
        let vs = match &x.cpu_vs_tokio {
            Some(r) => format!(
                "{:.2}× ({:.2}-{:.2}) {}",
                r.spread.median,
                r.spread.min,
                r.spread.max,
                r.verdict.map_or(
                    "no verdict: no noise band (run tokio-again too)",
                    Verdict::words
                )
            ),
            None => "the reference".into(),
        };
        let _ = writeln!(
            out,
            "headline {:<14} {:>6.2} CPUµs/rt: {vs}",
            server.name(),
            x.server_cpu_us_per_request
        );
    }
    out
}
// ANCHOR_END: headline

const CURVE_PANEL: f64 = 200.0;
const CURVE_GAP: f64 = 60.0;
const CURVE_LEFT: f64 = 64.0;
const CURVE_TOP: f64 = 76.0;
const CURVE_PLOT_H: f64 = 220.0;

/// The stroke of a server's line: the colour of its marks in the
/// results chart (an unknown server gets the text colour).
fn curve_stroke(server: ServerKind) -> &'static str {
    match server {
        ServerKind::Ours => "var(--links,#2b79a2)",
        ServerKind::OursThreaded => "#bf6300",
        ServerKind::Mio => "var(--fg,#1f1f1f);opacity:.6",
        ServerKind::OursBefore => "var(--links,#2b79a2);opacity:.7",
        _ => "var(--fg,#1f1f1f)",
    }
}

// ANCHOR: curve_svg
/// Three panels, p50, p99 and p99.9, each with latency (log scale, from
/// the due time) against the offered load as a share of tokio's maximum:
/// one line per server, a point per offered load, each server's points
/// nudged sideways so that no two overlap. The points are the marks,
/// coloured like the results chart's bars (and checked the same way by the
/// browser tests, each against the page); tokio-again's line is dashed,
/// its points hollow.
pub fn curve_svg(c: &Curve) -> String {
    let panels = [("p50", 0usize), ("p99", 1), ("p99.9", 2)];
    let pick = |l: &crate::harness::Latency, k: usize| [l.p50, l.p99, l.p999][k];
    let values: Vec<f64> = c
        .points
        .iter()
        .flat_map(|x| (0..3).map(|k| pick(&x.latency_us, k)))
        .filter(|v| *v > 0.0)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0_f64, f64::max);
    // Whole decades around the data, so the grid lines are 1, 10, 100 µs...
    let (lo_dec, hi_dec) = if values.is_empty() {
        (0.0, 1.0)
    } else {
        (
            lo.log10().floor(),
            (hi.log10().ceil()).max(lo.log10().floor() + 1.0),
        )
    };
    let y_of = |v: f64| {
        let t = (v.max(10f64.powf(lo_dec)).log10() - lo_dec) / (hi_dec - lo_dec);
        CURVE_TOP + CURVE_PLOT_H * (1.0 - t)
    };
    let fmin = c
        .fractions
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.2);
    let fmax = c
        .fractions
        .iter()
        .copied()
        .fold(0.0_f64, f64::max)
        .max(fmin + 0.1);
    let x_of = |panel: usize, f: f64| {
        let left = CURVE_LEFT + panel as f64 * (CURVE_PANEL + CURVE_GAP);
        left + 10.0 + (f - fmin) / (fmax - fmin) * (CURVE_PANEL - 20.0)
    };
    // Each server's points are nudged sideways by its own offset, so that
    // no two marks share a spot (a mark drawn on another would be read
    // against that mark, not against the page): a step of at most 8 px,
    // less when the closest two offered loads leave less room.
    let mut sorted = c.fractions.clone();
    sorted.sort_by(f64::total_cmp);
    let closest = sorted
        .windows(2)
        .map(|w| x_of(0, w[1]) - x_of(0, w[0]))
        .fold(CURVE_PANEL, f64::min);
    let n = c.servers.len().max(1) as f64;
    let step = (closest / n).min(8.0);
    let nudge = |i: usize| (i as f64 - (n - 1.0) / 2.0) * step;
    let legend_y = CURVE_TOP + CURVE_PLOT_H + 52.0;
    let rows = c.servers.len().div_ceil(5) as f64;
    let height = legend_y + rows * 22.0 + 6.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="lc-title lc-desc" class="eb-figure">
<title id="lc-title">Latency against offered load, open loop, {}: p50, p99 and p99.9 in microseconds, timed from each request's due time</title>
<desc id="lc-desc">{}</desc>
<style>.eb-figure{{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}}.eb-fg{{fill:var(--fg,#1f1f1f)}}.eb-muted{{fill:var(--fg,#1f1f1f);opacity:.7}}.eb-ours{{fill:var(--links,#2b79a2)}}.eb-threaded{{fill:#bf6300}}.eb-tokio{{fill:var(--fg,#1f1f1f)}}.eb-mio{{fill:var(--fg,#1f1f1f);opacity:.6}}.eb-again{{fill:none;stroke:var(--fg,#1f1f1f);stroke-width:1.5}}.eb-before{{fill:var(--links,#2b79a2);opacity:.7}}.eb-axis{{stroke:var(--fg,#1f1f1f);stroke-width:1;opacity:.6}}.eb-grid{{stroke:var(--fg,#1f1f1f);stroke-width:.5;opacity:.25}}.lc-line{{fill:none;stroke-width:1.8}}.lc-dash{{stroke-dasharray:5 4}}.eb-title{{font-size:15px;font-weight:600}}.eb-label{{font-size:12.5px}}.eb-small{{font-size:11px}}</style>
<text x="20" y="22" class="eb-title eb-fg">Latency from each request's due time (log scale) against offered load</text>
<text x="20" y="42" class="eb-label eb-muted">{}</text>
"#,
        esc(&c.scenario.label()),
        esc(&describe_curve(c)),
        esc(&format!(
            "{}, open loop; offered load as % of tokio's closed-loop maximum in this run ({:.0} rt/s)",
            c.scenario.label(),
            c.base.round_trips_per_sec
        ))
    );
    for (panel, (name, k)) in panels.iter().enumerate() {
        let left = CURVE_LEFT + panel as f64 * (CURVE_PANEL + CURVE_GAP);
        let bottom = CURVE_TOP + CURVE_PLOT_H;
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="eb-label eb-fg">{name}</text>"#,
            left + CURVE_PANEL / 2.0,
            CURVE_TOP - 10.0
        );
        let mut d = lo_dec;
        while d <= hi_dec + 1e-9 {
            let y = y_of(10f64.powf(d));
            let _ = writeln!(
                out,
                r#"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" fill="none" class="eb-grid"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="eb-small eb-muted">{}</text>"#,
                left + CURVE_PANEL,
                left - 4.0,
                y + 4.0,
                duration_label(10f64.powf(d))
            );
            d += 1.0;
        }
        let _ = writeln!(
            out,
            r#"<line x1="{left:.1}" y1="{CURVE_TOP:.1}" x2="{left:.1}" y2="{bottom:.1}" fill="none" class="eb-axis"/><line x1="{left:.1}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" fill="none" class="eb-axis"/>"#,
            left + CURVE_PANEL
        );
        for &f in &c.fractions {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="eb-small eb-muted">{:.0}%</text>"#,
                x_of(panel, f),
                bottom + 16.0,
                f * 100.0
            );
        }
        for (i, &server) in c.servers.iter().enumerate() {
            let mine: Vec<_> = (0..c.fractions.len())
                .filter_map(|p| c.point(p, server))
                .collect();
            let pts: Vec<String> = mine
                .iter()
                .map(|x| {
                    format!(
                        "{:.1},{:.1}",
                        x_of(panel, x.fraction) + nudge(i),
                        y_of(pick(&x.latency_us, *k))
                    )
                })
                .collect();
            let dash = if server == ServerKind::TokioAgain {
                " lc-dash"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<polyline points="{}" class="lc-line{dash}" style="stroke:{}"/>"#,
                pts.join(" "),
                curve_stroke(server)
            );
            for x in mine {
                let v = pick(&x.latency_us, *k);
                let _ = writeln!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" class="{}"><title>{} at {:.0}% ({:.0} rt/s offered): {name} {v:.1} µs</title></circle>"#,
                    x_of(panel, x.fraction) + nudge(i),
                    y_of(v),
                    class(server),
                    server.name(),
                    x.fraction * 100.0,
                    x.offered_per_sec
                );
            }
        }
    }
    let mut x = 20.0;
    let mut y = legend_y;
    for (i, &server) in c.servers.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            x = 20.0;
            y += 22.0;
        }
        let _ = writeln!(
            out,
            r#"<rect x="{x}" y="{y}" width="14" height="14" rx="2" class="{}"/><text x="{}" y="{}" class="eb-label eb-fg">{}</text>"#,
            class(server),
            x + 20.0,
            y + 12.0,
            server.name()
        );
        x += 150.0;
    }
    out.push_str("</svg>\n");
    out
}
// ANCHOR_END: curve_svg

/// `10 µs`, `1 ms`, `100 ms`, `1 s`: a grid line's latency, given in µs.
fn duration_label(us: f64) -> String {
    if us >= 1e6 {
        format!("{} s", us / 1e6)
    } else if us >= 1e3 {
        format!("{} ms", us / 1e3)
    } else {
        format!("{us} µs")
    }
}

/// The curve's text alternative: every point it shows, in words.
fn describe_curve(c: &Curve) -> String {
    let mut d = String::new();
    for (p, &f) in c.fractions.iter().enumerate() {
        let _ = write!(d, "at {:.0}% of tokio's maximum: ", f * 100.0);
        for &server in &c.servers {
            if let Some(x) = c.point(p, server) {
                let l = &x.latency_us;
                let _ = write!(
                    d,
                    "{} p50 {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs; ",
                    server.name(),
                    l.p50,
                    l.p99,
                    l.p999
                );
            }
        }
    }
    d.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::curve::{Base, Curve, CurvePoint};
    use crate::harness::{Latency, TARGETS};

    /// A curve where every server had the same latencies at every load:
    /// the worst case for marks landing on each other.
    fn curve(servers: Vec<ServerKind>) -> Curve {
        let fractions = vec![0.25, 0.5, 0.75, 0.9];
        let points = fractions
            .iter()
            .enumerate()
            .flat_map(|(point, &fraction)| {
                servers.iter().map(move |&server| CurvePoint {
                    point,
                    fraction,
                    server,
                    offered_per_sec: 1000.0 * fraction,
                    achieved_per_sec: 1000.0 * fraction,
                    achieved_per_sec_min: 1000.0 * fraction,
                    scheduled: 100,
                    round_trips: 100,
                    held_back: 0,
                    unsent: 0,
                    latency_us: Latency {
                        p50: 50.0,
                        p99: 200.0,
                        p999: 900.0,
                        max: 1000.0,
                    },
                    client_slip_p99_us: 1.0,
                    server_cpu_us_per_request: 5.0,
                    cpu_vs_tokio: None,
                })
            })
            .collect();
        Curve {
            mode: "test".into(),
            command: "test".into(),
            scenario: TARGETS[0],
            fractions,
            headline: 0.5,
            rounds: 1,
            warmup_secs: 0.0,
            duration_secs: 1.0,
            base: Base {
                round_trips_per_sec: 1000.0,
                rounds: vec![1000.0],
                source: "table",
            },
            machine: Machine {
                cpus: 2,
                cpu_model: "test".into(),
                kernel: "test".into(),
                started_utc: "test".into(),
                load_before: String::new(),
                load_after: String::new(),
                steal: None,
                cpu_mhz: None,
                pinned: None,
            },
            servers,
            noise: vec![None; 4],
            points,
            runs: Vec::new(),
        }
    }

    /// The centres of the chart's circles, in document order.
    fn circles(svg: &str) -> Vec<(f64, f64)> {
        let attr = |tag: &str, name: &str| -> f64 {
            let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            let len = tag[start..].find('"').unwrap();
            tag[start..start + len].parse().unwrap()
        };
        svg.split("<circle ")
            .skip(1)
            .map(|tag| {
                let tag = format!(" {tag}");
                (attr(&tag, "cx"), attr(&tag, "cy"))
            })
            .collect()
    }

    #[test]
    fn no_mark_of_the_latency_curve_sits_on_another() {
        // The curve's own servers, and twice as many (what it may grow to).
        let curve_servers = crate::harness::curve::CURVE_SERVERS.to_vec();
        let many = ServerKind::ALL[..2 * curve_servers.len()].to_vec();
        for servers in [curve_servers, many] {
            let n = servers.len();
            let marks = circles(&curve_svg(&curve(servers)));
            assert_eq!(marks.len(), 3 * 4 * n, "a mark per panel, load and server");
            for (i, a) in marks.iter().enumerate() {
                for b in &marks[i + 1..] {
                    let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                    // The browser test reads a mark against whatever covers
                    // its centre: no other mark (radius 3.5) may.
                    assert!(d > 3.5, "{n} servers: marks at {a:?} and {b:?}");
                }
            }
        }
    }

    #[test]
    fn the_curve_table_ends_with_the_headline_and_names_every_point() {
        let c = curve(ServerKind::ALL.to_vec());
        let table = curve_table(&c);
        let headline = headline(&c);
        assert!(table.ends_with(&headline));
        assert_eq!(headline.lines().count(), 1 + ServerKind::ALL.len());
        for pct in ["25%", "50%", "75%", "90%"] {
            assert!(table.contains(&format!("offered {pct} of tokio's maximum")));
        }
    }
}
