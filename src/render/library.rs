//! The rule library seen from the controls: which rules evidence each
//! control in each format (`clause rules --coverage`), and the reference page
//! of every rule grouped by control (`docs/rules.md`), both generated from
//! the rules' own metadata so they cannot drift from it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::controls::{Catalogue, Evidence};
use crate::document::Format;
use crate::rules::Rule;

/// Numeric order for control ids (`10.10.1` after `10.9.1`).
fn control_key(id: &str) -> Vec<u32> {
    id.split('.').filter_map(|p| p.parse().ok()).collect()
}

/// The target and provider a rule covers, e.g. `terraform (aws)`.
fn lane(rule: &Rule) -> Vec<(Format, Option<String>)> {
    rule.meta
        .targets
        .iter()
        .map(|t| (*t, rule.meta.provider.clone()))
        .collect()
}

/// One control's coverage by format.
pub struct ControlCoverage<'a> {
    pub id: String,
    pub title: String,
    pub id_2022: String,
    pub iac: Evidence,
    /// Formats that can evidence the control, with the rules that do.
    pub by_format: Vec<(Format, Vec<&'a Rule>)>,
    /// Rules claiming the control in a format it is not marked applicable for.
    pub other_rules: Vec<&'a Rule>,
}

impl ControlCoverage<'_> {
    /// Applicable formats with no rule yet.
    pub fn gaps(&self) -> Vec<Format> {
        self.by_format
            .iter()
            .filter(|(_, rules)| rules.is_empty())
            .map(|(f, _)| *f)
            .collect()
    }
}

pub fn coverage(rules: &[Rule]) -> Vec<ControlCoverage<'_>> {
    let catalogue = Catalogue::builtin();
    let mut out: Vec<ControlCoverage<'_>> = catalogue
        .all()
        .iter()
        .map(|control| {
            let claiming: Vec<&Rule> = rules
                .iter()
                .filter(|r| r.meta.controls_2005.contains(&control.id_2005))
                .collect();
            let formats = catalogue
                .applicability(&control.id_2005)
                .map(|a| a.formats.clone())
                .unwrap_or_default();
            let by_format = formats
                .iter()
                .map(|f| {
                    let rules = claiming
                        .iter()
                        .copied()
                        .filter(|r| r.meta.targets.contains(f))
                        .collect();
                    (*f, rules)
                })
                .collect();
            let other_rules = claiming
                .iter()
                .copied()
                .filter(|r| !r.meta.targets.iter().any(|t| formats.contains(t)))
                .collect();
            ControlCoverage {
                id: control.id_2005.clone(),
                title: control.title_2005.clone(),
                id_2022: control.id_2022.clone(),
                iac: control.iac,
                by_format,
                other_rules,
            }
        })
        .collect();
    out.sort_by_key(|c| control_key(&c.id));
    out
}

/// Rule counts by format and provider: `terraform (aws) 60`.
pub fn counts(rules: &[Rule]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for rule in rules {
        for (format, provider) in lane(rule) {
            let key = match provider {
                Some(p) => format!("{format} ({p})"),
                None => format.to_string(),
            };
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

fn codes(rules: &[&Rule]) -> String {
    let list: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
    if list.is_empty() {
        "none yet".to_string()
    } else {
        list.join(" ")
    }
}

pub fn coverage_text(rules: &[Rule]) -> String {
    let mut out = String::new();
    let counts = counts(rules);
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(out, "{} rules: {}", rules.len(), summary.join(", "));
    let _ = writeln!(out);
    let rows = coverage(rules);
    let mut gaps = 0;
    for c in &rows {
        let status = match c.iac {
            Evidence::No => "organisational: configuration cannot evidence it",
            Evidence::Partial => "partly evidenced by configuration",
            Evidence::Yes => "",
        };
        let _ = writeln!(
            out,
            "{} {} (2022: {}){}",
            c.id,
            c.title,
            c.id_2022,
            if status.is_empty() {
                String::new()
            } else {
                format!(" — {status}")
            }
        );
        for (format, covering) in &c.by_format {
            if covering.is_empty() {
                gaps += 1;
            }
            let _ = writeln!(out, "  {:<11} {}", format.name(), codes(covering));
        }
        if !c.other_rules.is_empty() {
            let _ = writeln!(out, "  {:<11} {}", "also", codes(&c.other_rules));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{gaps} applicable control and format pairs without a rule"
    );
    out
}

pub fn coverage_json(rules: &[Rule]) -> Value {
    let rows: Vec<Value> = coverage(rules)
        .iter()
        .map(|c| {
            json!({
                "control": c.id,
                "title": c.title,
                "iso27002:2022": c.id_2022,
                "iac": c.iac,
                "formats": c.by_format.iter().map(|(f, rules)| json!({
                    "format": f,
                    "rules": rules.iter().map(|r| r.meta.id.clone()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "other_rules": c.other_rules.iter().map(|r| r.meta.id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"rules": rules.len(), "counts": counts(rules), "controls": rows})
}

/// `docs/rules.md`: every rule under the first control it evidences, with
/// its other controls cross-referenced.
pub fn reference(rules: &[Rule]) -> String {
    let catalogue = Catalogue::builtin();
    let mut out = String::new();
    out.push_str("# Rule reference\n\n");
    out.push_str("Generated from the rules' METADATA by `clause rules --format reference > docs/rules.md`; a test fails when it is out of date. Rules are grouped by the first ISO/IEC 27002:2005 control they evidence; a rule evidencing several controls is listed in full once and cross-referenced under the others.\n\n");
    let counts = counts(rules);
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let _ = writeln!(out, "{} rules ({}).\n", rules.len(), summary.join(", "));
    for c in coverage(rules) {
        let claiming: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.meta.controls_2005.contains(&c.id))
            .collect();
        if claiming.is_empty() {
            continue;
        }
        let title_2022 = catalogue.title_2022(&c.id_2022).unwrap_or_default();
        let _ = writeln!(out, "## {} {}\n", c.id, c.title);
        let _ = writeln!(out, "ISO/IEC 27002:2022 {} {}.\n", c.id_2022, title_2022);
        for rule in claiming {
            let m = &rule.meta;
            if m.controls_2005.first() != Some(&c.id) {
                let _ = writeln!(
                    out,
                    "- {} {} (see {})\n",
                    m.id,
                    m.title,
                    m.controls_2005.first().map(String::as_str).unwrap_or("")
                );
                continue;
            }
            let targets: Vec<&str> = m.targets.iter().map(|t| t.name()).collect();
            let _ = writeln!(out, "### {} {}\n", m.id, m.title);
            let _ = writeln!(
                out,
                "Severity **{}** · {}{} · controls {} (2022: {})\n",
                m.severity,
                targets.join(", "),
                m.provider
                    .as_ref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default(),
                m.controls_2005.join(", "),
                m.controls_2022.join(", ")
            );
            let _ = writeln!(out, "{}\n", m.description);
            let _ = writeln!(out, "**How to fix:** {}\n", m.remediation);
            if !m.applies_to.is_empty() {
                let _ = writeln!(
                    out,
                    "Examines: {}.\n",
                    m.applies_to
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
    }
    out
}
