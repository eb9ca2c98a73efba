//! SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.
//!
//! Every rule that ran gets a descriptor (so a viewer can explain a rule with
//! no results yet), tagged with its ISO/IEC 27002 controls; the controls are
//! also published as two taxonomies (2005 and 2022 numbering) that rules
//! relate to, which is where an auditor's SARIF tooling looks for them.
//! Columns count Unicode code points, as clause's do everywhere.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    ReportingDescriptorReference, ReportingDescriptorRelationship, Result as SarifResult,
    ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent, ToolComponentReference,
};

use crate::baseline::{Fingerprinter, fingerprints};
use crate::check::Outcome;
use crate::controls::Catalogue;
use crate::finding::Finding;
use crate::rules::{RuleMeta, Severity};
use crate::source::{LineCol, SourceFile};
use crate::suppress::Suppression as InlineSuppression;

const TAXONOMY_2005: &str = "ISO/IEC 27002:2005";
const TAXONOMY_2022: &str = "ISO/IEC 27002:2022";

/// GitHub ranks alerts by this score: 9.0 and up critical, 7.0 high,
/// 4.0 medium, below that low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/` kept, everything outside the
/// unreserved set percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn physical(file: &SourceFile, start: LineCol, end: LineCol) -> PhysicalLocation {
    physical_at(
        &file.display,
        start.line,
        start.column,
        end.line,
        end.column,
    )
}

fn physical_at(
    file: &str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
) -> PhysicalLocation {
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(uri(file))
                .uri_base_id("%SRCROOT%")
                .build(),
        )
        .region(
            Region::builder()
                .start_line(n(line))
                .start_column(n(column))
                .end_line(n(end_line))
                .end_column(n(end_column))
                .build(),
        )
        .build()
}

fn text(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

fn descriptor(rule: &RuleMeta, catalogue: &Catalogue) -> ReportingDescriptor {
    let mut tags = vec!["security".to_string()];
    tags.extend(
        rule.controls_2005
            .iter()
            .map(|c| format!("iso27002:2005/{c}")),
    );
    tags.extend(
        rule.controls_2022
            .iter()
            .map(|c| format!("iso27002:2022/{c}")),
    );
    tags.extend(rule.targets.iter().map(|t| t.name().to_string()));
    tags.extend(rule.provider.iter().cloned());
    let control_lines: Vec<String> = rule
        .controls_2005
        .iter()
        .map(|c| match catalogue.by_2005(c) {
            Some(entry) => format!("{c} {} (2022: {})", entry.title_2005, entry.id_2022),
            None => c.clone(),
        })
        .collect();
    let help_text = format!(
        "{}\n\nHow to fix: {}\n\nISO/IEC 27002:2005 controls: {}",
        rule.description,
        rule.remediation,
        control_lines.join("; ")
    );
    let help_markdown = format!(
        "{}\n\n**How to fix:** {}\n\n**ISO/IEC 27002 controls:**\n{}",
        rule.description,
        rule.remediation,
        control_lines
            .iter()
            .map(|c| format!("- {c}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut relationships = Vec::new();
    for (taxonomy, ids) in [
        (TAXONOMY_2005, &rule.controls_2005),
        (TAXONOMY_2022, &rule.controls_2022),
    ] {
        for id in ids {
            relationships.push(
                ReportingDescriptorRelationship::builder()
                    .target(
                        ReportingDescriptorReference::builder()
                            .id(id.clone())
                            .tool_component(
                                ToolComponentReference::builder().name(taxonomy).build(),
                            )
                            .build(),
                    )
                    .kinds(vec!["relevant".to_string()])
                    .build(),
            );
        }
    }
    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_string(),
        json!(security_severity(rule.severity)),
    );
    properties.insert("severity".to_string(), json!(rule.severity.name()));
    properties.insert(
        "controls".to_string(),
        json!({"iso27002:2005": rule.controls_2005, "iso27002:2022": rule.controls_2022}),
    );
    let builder = ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.title.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.title.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(rule.description.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(rule.severity)))
                .build(),
        )
        .relationships(relationships)
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(properties)
                .build(),
        );
    match &rule.help_uri {
        Some(uri) => builder.help_uri(uri.clone()).build(),
        None => builder.build(),
    }
}

fn taxonomy(
    name: &str,
    controls: &BTreeSet<String>,
    catalogue: &Catalogue,
    old: bool,
) -> ToolComponent {
    let taxa = controls
        .iter()
        .map(|id| {
            let title = if old {
                catalogue.by_2005(id).map(|c| c.title_2005.clone())
            } else {
                catalogue.title_2022(id).map(str::to_string)
            };
            let builder = ReportingDescriptor::builder().id(id.clone());
            match title {
                Some(t) => builder
                    .short_description(MultiformatMessageString::builder().text(t).build())
                    .build(),
                None => builder.build(),
            }
        })
        .collect::<Vec<_>>();
    ToolComponent::builder()
        .name(name)
        .organization("ISO/IEC")
        .short_description(
            MultiformatMessageString::builder()
                .text(format!("{name} information security controls"))
                .build(),
        )
        .taxa(taxa)
        .is_comprehensive(false)
        .build()
}

fn result(
    f: &Finding,
    rule_index: Option<usize>,
    fingerprint: String,
    suppression: Option<&InlineSuppression>,
    baseline_in_use: bool,
) -> SarifResult {
    let controls = super::cited_controls(&f.rule);
    let message = if controls.is_empty() {
        f.message.clone()
    } else {
        format!("{} [{controls}]", f.message)
    };
    let mut location = Location::builder()
        .physical_location(physical(&f.file, f.start, f.end))
        .build();
    location.message = f.resource.as_ref().map(|r| text(r.clone()));
    let related: Vec<Location> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Location::builder()
                .id(i64::try_from(i + 1).unwrap_or(0))
                .physical_location(physical(&r.file, r.start, r.end))
                .message(text(r.message.clone()))
                .build()
        })
        .collect();
    let mut partial = BTreeMap::new();
    partial.insert("clause/v1".to_string(), fingerprint);
    let mut properties = BTreeMap::new();
    properties.insert("severity".to_string(), json!(f.rule.severity.name()));
    if let Some(resource) = &f.resource {
        properties.insert("resource".to_string(), json!(resource));
    }
    properties.insert(
        "controls".to_string(),
        json!({"iso27002:2005": f.rule.controls_2005, "iso27002:2022": f.rule.controls_2022}),
    );
    let mut r = SarifResult::builder()
        .rule_id(f.rule.id.clone())
        .level(level(f.rule.severity))
        .message(text(message))
        .locations(vec![location])
        .partial_fingerprints(partial)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    if let Some(i) = rule_index {
        r.rule_index = i64::try_from(i).ok();
    }
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    if baseline_in_use {
        r.baseline_state = Some(json!("new"));
    }
    if let Some(s) = suppression {
        let mut props = BTreeMap::new();
        props.insert("scope".to_string(), json!(s.scope.name()));
        if let Some(until) = s.until {
            props.insert("until".to_string(), json!(until.to_string()));
        }
        r.suppressions = Some(vec![
            Suppression::builder()
                .kind(json!("inSource"))
                .status(json!("accepted"))
                .justification(s.reason.clone())
                .location(
                    Location::builder()
                        .physical_location(physical_at(&s.file, s.line, 1, s.line, 1))
                        .build(),
                )
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build(),
        ]);
    }
    r
}

pub struct Context<'a> {
    pub rules: Vec<&'a RuleMeta>,
    /// Whether `--baseline` filtered the findings (results are then "new").
    pub baseline_in_use: bool,
}

/// The report, written to `out` as it is serialized: results are made one
/// by one from findings in memory or on disk, so a run with a million
/// findings never holds their SARIF form at once.
pub fn write(
    outcome: &Outcome,
    context: &Context<'_>,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let catalogue = Catalogue::builtin();
    let mut rules: Vec<&RuleMeta> = context.rules.clone();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules.dedup_by(|a, b| a.id == b.id);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut controls_2005 = BTreeSet::new();
    let mut controls_2022 = BTreeSet::new();
    for rule in &rules {
        controls_2005.extend(rule.controls_2005.iter().cloned());
        controls_2022.extend(rule.controls_2022.iter().cloned());
    }

    let mut notifications = Vec::new();
    for e in &outcome.errors {
        notifications.push(
            Notification::builder()
                .level(json!("error"))
                .message(text(e.message.clone()))
                .locations(vec![
                    Location::builder()
                        .physical_location(physical_at(&e.file, e.line, e.column, e.line, e.column))
                        .build(),
                ])
                .build(),
        );
    }
    for n in &outcome.suppression_notices {
        notifications.push(
            Notification::builder()
                .level(json!("warning"))
                .message(text(n.message.clone()))
                .locations(vec![
                    Location::builder()
                        .physical_location(physical_at(&n.file, n.line, 1, n.line, 1))
                        .build(),
                ])
                .build(),
        );
    }
    for w in outcome.warnings.iter().chain(&outcome.notices) {
        notifications.push(
            Notification::builder()
                .level(json!("note"))
                .message(text(w.clone()))
                .build(),
        );
    }
    let invocation = Invocation::builder()
        .execution_successful(outcome.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();

    let driver = ToolComponent::builder()
        .name("clause")
        .version(crate::VERSION)
        .semantic_version(crate::VERSION)
        .short_description(
            MultiformatMessageString::builder()
                .text("Policy-as-code linter for Terraform, Kubernetes and Ansible, mapped to ISO/IEC 27002")
                .build(),
        )
        .rules(rules.iter().map(|r| descriptor(r, catalogue)).collect::<Vec<_>>())
        .supported_taxonomies(vec![
            ToolComponentReference::builder().name(TAXONOMY_2005).build(),
            ToolComponentReference::builder().name(TAXONOMY_2022).build(),
        ])
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .taxonomies(vec![
            taxonomy(TAXONOMY_2005, &controls_2005, catalogue, true),
            taxonomy(TAXONOMY_2022, &controls_2022, catalogue, false),
        ])
        // A placeholder where the streamed results go, in their place
        // among the run's fields.
        .results(Vec::new())
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let sarif = Sarif::builder()
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut value: Value = serde_json::to_value(&sarif).unwrap_or(Value::Null);
    // The generated `Run` has no `originalUriBaseIds`; results name
    // `%SRCROOT%`, so say what it is: the folder clause ran in.
    if let (Some(run), Ok(cwd)) = (value.pointer_mut("/runs/0"), std::env::current_dir())
        && let Some(run) = run.as_object_mut()
    {
        let mut root = cwd.to_string_lossy().replace('\\', "/");
        if !root.ends_with('/') {
            root.push('/');
        }
        if !root.starts_with('/') {
            root.insert(0, '/');
        }
        run.insert(
            "originalUriBaseIds".into(),
            json!({"%SRCROOT%": {"uri": format!("file://{}", uri_absolute(&root))}}),
        );
    }
    let results = Results {
        outcome,
        index: &index,
        baseline_in_use: context.baseline_in_use,
    };
    serde_json::to_writer_pretty(
        &mut *out,
        &WithResults {
            value: &value,
            results: &results,
            depth: 0,
        },
    )?;
    out.write_all(b"\n")
}

/// The SARIF document with the first run's `results` streamed in place of
/// the placeholder.
struct WithResults<'a> {
    value: &'a Value,
    results: &'a Results<'a>,
    /// 0 for the document, 1 for `runs`, 2 for the first run.
    depth: u8,
}

impl serde::Serialize for WithResults<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match (self.depth, self.value) {
            (0 | 2, Value::Object(fields)) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    match (self.depth, key.as_str()) {
                        (0, "runs") => map.serialize_entry(
                            key,
                            &WithResults {
                                value,
                                results: self.results,
                                depth: 1,
                            },
                        )?,
                        (2, "results") => map.serialize_entry(key, self.results)?,
                        _ => map.serialize_entry(key, value)?,
                    }
                }
                map.end()
            }
            (1, Value::Array(runs)) => {
                let mut seq = serializer.serialize_seq(Some(runs.len()))?;
                for (i, run) in runs.iter().enumerate() {
                    if i == 0 {
                        seq.serialize_element(&WithResults {
                            value: run,
                            results: self.results,
                            depth: 2,
                        })?;
                    } else {
                        seq.serialize_element(run)?;
                    }
                }
                seq.end()
            }
            (_, value) => value.serialize(serializer),
        }
    }
}

/// The results: every finding, then the suppressed ones.
struct Results<'a> {
    outcome: &'a Outcome,
    index: &'a BTreeMap<&'a str, usize>,
    baseline_in_use: bool,
}

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let outcome = self.outcome;
        let mut seq = serializer.serialize_seq(None)?;
        let mut fingerprinter = Fingerprinter::new(None);
        for f in outcome.all_findings() {
            let print = fingerprinter.next(&f);
            seq.serialize_element(&result(
                &f,
                self.index.get(f.rule.id.as_str()).copied(),
                print,
                None,
                self.baseline_in_use,
            ))?;
        }
        let prints = fingerprints(outcome.suppressed.iter().map(|s| &s.finding), None);
        for (s, print) in outcome.suppressed.iter().zip(prints) {
            seq.serialize_element(&result(
                &s.finding,
                self.index.get(s.finding.rule.id.as_str()).copied(),
                print,
                Some(&s.by),
                false,
            ))?;
        }
        seq.end()
    }
}

fn uri_absolute(path: &str) -> String {
    path.split('/').map(uri).collect::<Vec<_>>().join("/")
}
