//! The results, three ways: a table to read, JSON to process, and an SVG
//! chart for the book. The chart uses mdBook's theme variables (with light
//! fallbacks), so it reads in every theme when inlined in a page.

use std::fmt::Write as _;

use crate::harness::{Results, Row, TARGETS};
use crate::servers::ServerKind;

fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".into(), |x| format!("{x:.2}×"))
}

// ANCHOR: table
/// The readable table: the set-up, then one block per scenario.
pub fn table(results: &Results) -> String {
    let m = &results.machine;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "echo-bench, {} mode: {} round(s) of {:.1} s warm-up + {:.1} s measured, servers interleaved",
        results.mode, results.rounds, results.warmup_secs, results.duration_secs
    );
    let _ = writeln!(
        out,
        "machine: {} CPUs ({}), Linux {}, load average {} before, {} after; {}",
        m.cpus,
        m.cpu_model,
        m.kernel,
        m.load_before,
        m.load_after,
        match m.pinned {
            Some(c) => format!(
                "server pinned to core {}, load generator to core {}",
                c.server, c.client
            ),
            None => "not pinned".into(),
        },
    );
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
            "{:<16}{:>10}{:>19}{:>8}{:>8}{:>8}{:>9}{:>11}{:>10}{:>6}{:>9}{:>16}{:>16}",
            "server",
            "rt/s",
            "(min-max)",
            "MB/s",
            "p50µs",
            "p99µs",
            "p99.9µs",
            "(CO-corr)",
            "CPUµs/rt",
            "sys",
            "client",
            "vs tokio rt,cpu",
            "vs mio rt,cpu"
        );
        for &server in &results.servers {
            if let Some(row) = results.row(s, server) {
                let _ = writeln!(out, "{}", line(row));
            }
        }
        let lost: u64 = results
            .rows
            .iter()
            .filter(|r| r.scenario == s)
            .map(|r| r.lost)
            .sum();
        if scenario.proto == crate::Proto::Udp {
            let _ = writeln!(out, "datagrams lost over all servers and rounds: {lost}");
        }
    }
    let targets = targets(results);
    if !targets.is_empty() {
        let _ = writeln!(out);
        out.push_str(&targets);
    }
    out
}

/// The chapter's target, checked against this run's ratios: for ours, at
/// least 1.0× tokio's round trips per second at no more than 1.0× its CPU
/// per request, and at least 0.9× the mio loop's round trips per second.
fn targets(results: &Results) -> String {
    let mut out = String::new();
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    for (s, scenario) in results.scenarios.iter().enumerate() {
        if !TARGETS.contains(scenario) {
            continue;
        }
        let Some(row) = results.row(s, ServerKind::Ours) else {
            continue;
        };
        if let Some(t) = row.vs_tokio {
            let _ = writeln!(
                out,
                "target {}: ours/tokio round trips {:.2}× (want >= 1.0: {}), CPU per request {:.2}× (want <= 1.0: {})",
                scenario.label(),
                t.round_trips_per_sec,
                verdict(t.round_trips_per_sec >= 1.0),
                t.cpu_per_request,
                verdict(t.cpu_per_request <= 1.0)
            );
        }
        if let Some(m) = row.vs_mio {
            let _ = writeln!(
                out,
                "target {}: ours/mio round trips {:.2}× (want >= 0.9: {})",
                scenario.label(),
                m.round_trips_per_sec,
                verdict(m.round_trips_per_sec >= 0.9)
            );
        }
    }
    out
}

fn line(row: &Row) -> String {
    let pair = |r: Option<crate::harness::Ratios>| match r {
        Some(r) => format!(
            "{},{}",
            ratio(Some(r.round_trips_per_sec)),
            ratio(Some(r.cpu_per_request))
        ),
        None => "-".into(),
    };
    let l = &row.latency_us;
    format!(
        "{:<16}{:>10.0}{:>19}{:>8.1}{:>8.1}{:>8.1}{:>9.1}{:>11.1}{:>10.2}{:>5.0}%{:>9.2}{:>16}{:>16}",
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
        row.p999_corrected_us,
        row.server_cpu_us_per_request,
        row.server_system_share * 100.0,
        row.client_cpu_us_per_request,
        pair(row.vs_tokio),
        pair(row.vs_mio),
    )
}
// ANCHOR_END: table

const WIDTH: f64 = 800.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = WIDTH - 150.0;
const BAR: f64 = 14.0;
const GAP: f64 = 12.0;

fn class(server: ServerKind) -> &'static str {
    match server {
        ServerKind::Ours => "eb-ours",
        ServerKind::OursThreaded => "eb-threaded",
        ServerKind::Tokio => "eb-tokio",
        ServerKind::Mio => "eb-mio",
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
/// second relative to tokio (the dashed line is 1.0×), and server CPU time
/// per request in microseconds.
///
/// Every bar colour keeps WCAG's 3:1 contrast for graphics against the page
/// in each of mdBook's five themes (the browser tests check it): `ours` in
/// the theme's link colour, `ours-threaded` in a fixed orange that is dark
/// enough for the light themes and bright enough for the dark ones, tokio
/// in the text colour and mio in the text colour at 60 %.
pub fn svg(results: &Results) -> String {
    let servers = &results.servers;
    let group_h = servers.len() as f64 * BAR + GAP + 18.0;
    let panel_h = results.scenarios.len() as f64 * group_h + 40.0;
    let legend_h = 40.0;
    let height = 2.0 * panel_h + legend_h + 20.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="eb-title eb-desc" class="eb-figure">
<title id="eb-title">Echo servers compared: round trips per second relative to tokio, and CPU time per request</title>
<desc id="eb-desc">{}</desc>
<style>.eb-figure{{max-width:800px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}}.eb-fg{{fill:var(--fg,#1f1f1f)}}.eb-muted{{fill:var(--fg,#1f1f1f);opacity:.7}}.eb-ours{{fill:var(--links,#2b79a2)}}.eb-threaded{{fill:#bf6300}}.eb-tokio{{fill:var(--fg,#1f1f1f)}}.eb-mio{{fill:var(--fg,#1f1f1f);opacity:.6}}.eb-before{{fill:var(--links,#2b79a2);opacity:.7}}.eb-axis{{stroke:var(--fg,#1f1f1f);stroke-width:1;opacity:.6}}.eb-ref{{stroke:var(--fg,#1f1f1f);stroke-width:1.2;stroke-dasharray:5 4}}.eb-title{{font-size:15px;font-weight:600}}.eb-label{{font-size:12.5px}}.eb-small{{font-size:11px}}</style>
"#,
        esc(&describe(results))
    );
    let rate = |row: &Row| row.vs_tokio.map(|r| r.round_trips_per_sec);
    let cpu = |row: &Row| Some(row.server_cpu_us_per_request);
    panel(
        &mut out,
        results,
        10.0,
        "Round trips per second, relative to tokio (higher is better)",
        &rate,
        Some(1.0),
        "×",
    );
    panel(
        &mut out,
        results,
        10.0 + panel_h,
        "Server CPU time per request, µs (lower is better)",
        &cpu,
        None,
        " µs",
    );
    let y = 2.0 * panel_h + 20.0;
    let mut x = LEFT;
    for &server in servers {
        let _ = writeln!(
            out,
            r#"<rect x="{x}" y="{y}" width="14" height="14" rx="2" class="{}"/><text x="{}" y="{}" class="eb-label eb-fg">{}</text>"#,
            class(server),
            x + 20.0,
            y + 12.0,
            server.name()
        );
        x += 140.0;
    }
    out.push_str("</svg>\n");
    out
}

fn panel(
    out: &mut String,
    results: &Results,
    top: f64,
    title: &str,
    value: &dyn Fn(&Row) -> Option<f64>,
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
            let Some(v) = results.row(s, server).and_then(value) else {
                y += BAR;
                continue;
            };
            let w = scale(v).max(1.0);
            let _ = writeln!(
                out,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{w:.1}" height="{}" class="{}"><title>{}: {v:.2}{unit}</title></rect><text x="{:.1}" y="{:.1}" class="eb-small eb-muted">{} {v:.2}{}</text>"#,
                BAR - 2.0,
                class(server),
                server.name(),
                LEFT + w + 4.0,
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
                    ratio(row.vs_tokio.map(|r| r.round_trips_per_sec)),
                    row.server_cpu_us_per_request
                );
            }
        }
    }
    d.trim_end().to_string()
}
