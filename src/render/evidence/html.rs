//! The evidence report as one self-contained HTML page: inline styles and a
//! few lines of inline script, no request to anywhere (a Content Security
//! Policy forbids them), so it opens from a file:// URL or an email
//! attachment. An overview heat map of every control by status, then a
//! section per chapter of the standard, each control expandable down to
//! its failing resources with the source lines.

use std::fmt::Write as _;
use std::io;

use super::{at, at_inconclusive, at_suppressed, snippet};
use crate::evidence::{ControlEvidence, Report, Status};
use crate::finding::Finding;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn anchor(id: &str) -> String {
    format!("c-{}", id.replace('.', "-"))
}

const STYLE: &str = r#"
:root { --fail:#c62828; --partial:#b7791f; --pass:#2e7d32; --none:#8a94a6; --norule:#7b61c4; --org:#cfd6e0;
  --ink:#1f2933; --muted:#5f6b7a; --line:#e3e8ef; --bg:#f6f8fb; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--ink); background:var(--bg); }
header { background:#14213d; color:#fff; padding:28px 40px 22px; }
header h1 { margin:0 0 6px; font-size:24px; font-weight:600; letter-spacing:.2px; }
header .facts { color:#c9d3e3; font-size:13px; display:flex; flex-wrap:wrap; gap:6px 22px; }
header .facts code { color:#fff; }
main { max-width:1180px; margin:0 auto; padding:24px 40px 60px; }
h2 { font-size:19px; margin:34px 0 10px; padding-bottom:6px; border-bottom:2px solid var(--line); }
.cards { display:grid; grid-template-columns:repeat(6, 1fr); gap:12px; margin:4px 0 20px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 14px; border-top:4px solid var(--c); }
.card .n { font-size:26px; font-weight:700; }
.card .l { color:var(--muted); font-size:12px; }
.panel { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 18px; }
.heat { display:grid; grid-template-columns:230px 1fr; gap:8px 14px; align-items:start; }
.heat .sec { color:var(--muted); font-size:12.5px; padding-top:3px; }
.heat .cells { display:flex; flex-wrap:wrap; gap:4px; }
.cell { display:inline-block; min-width:46px; padding:3px 5px; border-radius:4px; font-size:11px; text-align:center;
  color:#fff; text-decoration:none; background:var(--c); font-variant-numeric:tabular-nums; }
.cell.light { color:#3d4756; }
.legend { display:flex; flex-wrap:wrap; gap:14px; margin-top:12px; font-size:12.5px; color:var(--muted); }
.legend span::before { content:""; display:inline-block; width:11px; height:11px; border-radius:3px; background:var(--c); margin-right:6px; vertical-align:-1px; }
.filters { margin:14px 0 0; font-size:13px; color:var(--muted); }
.filters label { margin-right:14px; cursor:pointer; }
details.control { background:#fff; border:1px solid var(--line); border-left:5px solid var(--c); border-radius:6px; margin:6px 0; }
details.control > summary { list-style:none; cursor:pointer; display:grid; grid-template-columns:74px 1fr 190px repeat(5, 62px); gap:8px; align-items:center; padding:9px 12px; }
details.control > summary::-webkit-details-marker { display:none; }
details.control[open] > summary { border-bottom:1px solid var(--line); }
.cid { font-weight:700; font-variant-numeric:tabular-nums; }
.ctitle small { color:var(--muted); display:block; font-size:12px; }
.badge { display:inline-block; padding:2px 8px; border-radius:10px; font-size:11.5px; font-weight:600; color:#fff; background:var(--c); }
.badge.light { color:#3d4756; }
.num { text-align:right; font-variant-numeric:tabular-nums; }
.num b { display:block; font-size:10.5px; color:var(--muted); font-weight:500; text-transform:uppercase; letter-spacing:.3px; }
.num.fail { color:var(--fail); font-weight:700; }
.body { padding:10px 16px 16px; }
.body h4 { margin:14px 0 6px; font-size:13px; text-transform:uppercase; letter-spacing:.4px; color:var(--muted); }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:12px; }
td.n { text-align:right; font-variant-numeric:tabular-nums; }
.finding { border:1px solid var(--line); border-radius:6px; margin:8px 0; overflow:hidden; }
.finding .head { padding:7px 10px; background:#fbfcfe; font-size:13px; }
.finding .head code { font-size:12px; }
.sev { font-size:11px; font-weight:700; text-transform:uppercase; margin-right:6px; }
.sev.critical, .sev.high { color:var(--fail); } .sev.medium { color:var(--partial); } .sev.low, .sev.info { color:var(--muted); }
pre { margin:0; padding:8px 0; background:#0f172a; color:#e2e8f0; font:12px/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-x:auto; }
pre .ln { display:inline-block; width:48px; padding-right:10px; text-align:right; color:#64748b; user-select:none; }
pre .hit { background:rgba(239,68,68,.22); display:block; }
pre .row { display:block; padding-right:12px; }
.note { color:var(--muted); font-size:12.5px; }
footer { color:var(--muted); font-size:12px; margin-top:40px; }
@media print { details.control { break-inside:avoid; } header { background:#fff; color:#000; } header .facts, header .facts code { color:#000; } }
"#;

const SCRIPT: &str = r#"
(function () {
  var boxes = document.querySelectorAll('.filters input');
  function apply() {
    var shown = {};
    boxes.forEach(function (b) { shown[b.value] = b.checked; });
    document.querySelectorAll('details.control').forEach(function (d) {
      d.style.display = shown[d.dataset.status] ? '' : 'none';
    });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
  document.documentElement.dataset.ready = String(document.querySelectorAll('section.chapter').length);
})();
"#;

fn color(status: Status) -> &'static str {
    match status {
        Status::Failing => "var(--fail)",
        Status::Partial => "var(--partial)",
        Status::Passing => "var(--pass)",
        Status::NotExamined => "var(--none)",
        Status::NoRule => "var(--norule)",
        Status::Organisational => "var(--org)",
    }
}

fn light(status: Status) -> &'static str {
    if status == Status::Organisational {
        " light"
    } else {
        ""
    }
}

/// One failing finding, with the lines around it.
pub fn failure(_index: usize, f: &Finding, out: &mut String) {
    let _ = write!(
        out,
        "<div class=\"finding\"><div class=\"head\"><span class=\"sev {}\">{}</span><b>{}</b> <code>{}</code> {}<br>{}</div><pre>",
        f.rule.severity.name(),
        f.rule.severity.name(),
        esc(&f.rule.id),
        esc(&at(f)),
        esc(f.resource.as_deref().unwrap_or("")),
        esc(&f.message)
    );
    for (n, text, hit) in snippet(f, 2) {
        let _ = write!(
            out,
            "<span class=\"row{}\"><span class=\"ln\">{n}</span>{}</span>",
            if hit { " hit" } else { "" },
            esc(&text)
        );
    }
    out.push_str("</pre></div>");
}

fn control_block(
    out: &mut String,
    sink: &mut dyn io::Write,
    c: &mut ControlEvidence<'_>,
    edition: &str,
) -> io::Result<()> {
    let other = if edition == "2005" { "2022" } else { "2005" };
    let counterparts: Vec<String> = c
        .counterparts
        .iter()
        .map(|p| format!("{} {}", p.id, p.title))
        .collect();
    let counted = !matches!(c.status, Status::NoRule | Status::Organisational);
    let num = |label: &str, n: usize, class: &str| {
        if counted {
            format!("<div class=\"num {class}\"><b>{label}</b>{n}</div>")
        } else {
            format!("<div class=\"num\"><b>{label}</b>–</div>")
        }
    };
    let _ = write!(
        out,
        "<details class=\"control\" id=\"{}\" data-status=\"{}\" style=\"--c:{}\"><summary><span class=\"cid\">{}</span><span class=\"ctitle\">{}<small>{other}: {}</small></span><span><span class=\"badge{}\" style=\"--c:{}\">{}</span></span>{}{}{}{}{}</summary><div class=\"body\">",
        anchor(&c.id),
        c.status.key(),
        color(c.status),
        esc(&c.id),
        esc(&c.title),
        esc(&counterparts.join("; ")),
        light(c.status),
        color(c.status),
        esc(c.status.label()),
        num("examined", c.counts.examined, ""),
        num("passed", c.counts.passed, ""),
        num(
            "failed",
            c.counts.failed,
            if c.counts.failed > 0 { "fail" } else { "" }
        ),
        num("suppr.", c.counts.suppressed, ""),
        num("unknown", c.counts.inconclusive, ""),
    );
    if !c.configuration_shows.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\">What configuration shows: {}</p>",
            esc(&c.configuration_shows)
        );
    }
    match c.status {
        Status::Organisational => {
            let _ = write!(
                out,
                "<p class=\"note\">An organisational control: evidence comes from policies, records and people, not from infrastructure code.</p>"
            );
        }
        Status::NoRule => {
            let _ = write!(
                out,
                "<p class=\"note\">No rule in this run evidences this control; it needs manual evidence or a custom rule.</p>"
            );
        }
        _ => {}
    }
    if !c.formats_without_rule.is_empty() {
        let formats: Vec<&str> = c.formats_without_rule.iter().map(|f| f.name()).collect();
        let _ = write!(
            out,
            "<p class=\"note\">Scanned {} code has no rule for this control in this run.</p>",
            esc(&formats.join(", "))
        );
    }
    if !c.rules.is_empty() {
        let _ = write!(
            out,
            "<h4>Rules</h4><table><tr><th>rule</th><th>reads</th><th class=\"n\">examined</th><th class=\"n\">passed</th><th class=\"n\">failed</th><th class=\"n\">suppressed</th><th class=\"n\">inconclusive</th></tr>"
        );
        for r in &c.rules {
            let targets: Vec<&str> = r.targets.iter().map(|t| t.name()).collect();
            let reads = match r.provider {
                Some(p) => format!("{} ({p})", targets.join(", ")),
                None => targets.join(", "),
            };
            let _ = write!(
                out,
                "<tr><td><b>{}</b> {}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(r.id),
                esc(r.title),
                esc(&reads),
                r.counts.examined,
                r.counts.passed,
                r.counts.failed,
                r.counts.suppressed,
                r.counts.inconclusive
            );
        }
        out.push_str("</table>");
    }
    if c.failures.count > 0 {
        let _ = write!(out, "<h4>Failing ({})</h4>", c.failures.count);
        sink.write_all(out.as_bytes())?;
        out.clear();
        c.failures.write_to(sink)?;
    }
    if !c.suppressed.is_empty() {
        let _ = write!(
            out,
            "<h4>Suppressed ({})</h4><table><tr><th>rule</th><th>where</th><th>reason</th><th>until</th><th>directive</th></tr>",
            c.suppressed.len()
        );
        for s in &c.suppressed {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code><br>{}</td><td>{}</td><td>{}</td><td><code>{}:{}</code></td></tr>",
                esc(&s.finding.rule.id),
                esc(&at_suppressed(s)),
                esc(&s.finding.message),
                esc(&s.by.reason),
                s.by.until
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "–".into()),
                esc(&s.by.file),
                s.by.line
            );
        }
        out.push_str("</table>");
    }
    if !c.inconclusive.is_empty() {
        let _ = write!(
            out,
            "<h4>Inconclusive ({}): values known only when the code runs</h4><table><tr><th>rule</th><th>where</th><th>why</th></tr>",
            c.inconclusive.len()
        );
        for i in &c.inconclusive {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&i.rule.id),
                esc(&at_inconclusive(i)),
                esc(&i.message)
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</div></details>");
    Ok(())
}

pub fn render(report: &mut Report<'_>, sink: &mut dyn io::Write) -> io::Result<()> {
    let edition = report.edition.name();
    let s = &report.scan;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"><title>ISO/IEC 27002:{edition} evidence · clause</title><style>{STYLE}</style></head><body>"
    );
    let files: Vec<String> = s.files.iter().map(|(f, n)| format!("{n} {f}")).collect();
    let _ = write!(
        out,
        "<header><h1>ISO/IEC 27002:{edition} evidence from infrastructure code</h1><div class=\"facts\"><span>Scanned <code>{}</code></span><span>{}</span><span>{} {}</span><span>{} rules · rule set <code>{}</code></span><span>files: {}</span></div></header><main>",
        esc(&s.paths.join(" ")),
        esc(&s.scan_time),
        s.tool,
        s.tool_version,
        s.rules,
        esc(&s.rule_set_digest[..s.rule_set_digest.len().min(12)]),
        esc(&files.join(", "))
    );

    out.push_str("<h2>Overview</h2><div class=\"cards\">");
    for status in Status::ALL {
        let _ = write!(
            out,
            "<div class=\"card\" style=\"--c:{}\"><div class=\"n\">{}</div><div class=\"l\">{}</div></div>",
            color(status),
            report.status_counts.get(status.key()).copied().unwrap_or(0),
            esc(status.label())
        );
    }
    out.push_str("</div><div class=\"panel\"><div class=\"heat\">");
    for section in &report.sections {
        let _ = write!(
            out,
            "<div class=\"sec\">{} {}</div><div class=\"cells\">",
            esc(&section.number),
            esc(section.title)
        );
        for c in &section.controls {
            let _ = write!(
                out,
                "<a class=\"cell{}\" style=\"--c:{}\" href=\"#{}\" title=\"{} {} — {}\">{}</a>",
                light(c.status),
                color(c.status),
                anchor(&c.id),
                esc(&c.id),
                esc(&c.title),
                esc(c.status.label()),
                esc(&c.id)
            );
        }
        out.push_str("</div>");
    }
    out.push_str("</div><div class=\"legend\">");
    for status in Status::ALL {
        let _ = write!(
            out,
            "<span style=\"--c:{}\">{}</span>",
            color(status),
            esc(status.label())
        );
    }
    out.push_str("</div><div class=\"filters\">Show: ");
    for status in Status::ALL {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" value=\"{}\" checked> {}</label>",
            status.key(),
            esc(status.label())
        );
    }
    out.push_str("</div></div>");

    for section in &mut report.sections {
        let _ = write!(
            out,
            "<section class=\"chapter\" id=\"s-{}\"><h2>{} {}</h2>",
            esc(&section.number),
            esc(&section.number),
            esc(section.title)
        );
        for c in &mut section.controls {
            control_block(&mut out, sink, c, edition)?;
        }
        out.push_str("</section>");
    }
    let _ = writeln!(
        out,
        "<footer>Counts are resources examined by the rules evidencing each control: a resource fails when any of those rules fails it; suppressed and inconclusive checks are not passes. Generated by clause {}; rule set SHA-256 {}.</footer></main><script>{SCRIPT}</script></body></html>",
        s.tool_version,
        esc(&s.rule_set_digest)
    );
    sink.write_all(out.as_bytes())
}
