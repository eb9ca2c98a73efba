//! The `# METADATA` block above a rule's package, in OPA's annotation format.
//! regorus ignores comments, so clause reads and validates the block itself:
//! a rule with missing or malformed metadata, or naming a control that is not
//! in the control list, does not load.

use std::fmt;

use serde_json::Value;

use crate::controls::Catalogue;
use crate::document::Format;
use crate::parse::yaml::{self, Dialect, Limits};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a rule declares about itself.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub targets: Vec<Format>,
    /// Cloud provider of a Terraform rule (`aws`, `azure`, `google`).
    pub provider: Option<String>,
    pub controls_2005: Vec<String>,
    pub controls_2022: Vec<String>,
    pub remediation: String,
    /// The resource types, manifest kinds or modules the rule examines; the
    /// engine runs it only on documents holding one of them, and the
    /// evidence report counts them as examined. Empty means every document.
    pub applies_to: Vec<String>,
    /// Words one of which the input of any document the rule reports on
    /// holds, in an object key or a string value (`custom.mentions`),
    /// lowercased: the engine skips documents mentioning none of them.
    /// Empty means the rule runs on every document it applies to.
    #[serde(skip)]
    pub mentions: Vec<String>,
    /// The first web page in `related_resources`: the rule's documentation.
    pub help_uri: Option<String>,
}

/// A metadata problem, located in the `.rego` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError {
    pub line: usize,
    pub message: String,
}

const KNOWN_TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "custom",
    "scope",
    "authors",
    "organizations",
    "related_resources",
    "schemas",
    "entrypoint",
];
const KNOWN_CUSTOM_KEYS: &[&str] = &[
    "id",
    "severity",
    "targets",
    "provider",
    "controls",
    "remediation",
    "applies_to",
    "mentions",
];

/// Finds the `# METADATA` block and returns its YAML text with the line of
/// its first key; `None` when the file has no such block.
pub fn extract(rego: &str) -> Option<(String, usize)> {
    let lines: Vec<&str> = rego.lines().collect();
    let start = lines.iter().position(|l| l.trim() == "# METADATA")?;
    let mut yaml = String::new();
    for line in &lines[start + 1..] {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        yaml.push_str(comment.strip_prefix(' ').unwrap_or(comment));
        yaml.push('\n');
    }
    Some((yaml, start + 2))
}

/// Parses and validates a rule's metadata.
pub fn parse(rego: &str, catalogue: &Catalogue) -> Result<RuleMeta, MetadataError> {
    let Some((yaml_text, first_line)) = extract(rego) else {
        return Err(MetadataError {
            line: 1,
            message: "rule has no `# METADATA` block above its package".into(),
        });
    };
    let block_line = first_line - 1;
    let err = |message: String| MetadataError {
        line: block_line,
        message,
    };
    let docs =
        yaml::parse_stream(&yaml_text, 0, Dialect::Core, Limits::default()).map_err(|e| {
            let line = yaml_text[..e.offset.min(yaml_text.len())]
                .matches('\n')
                .count();
            MetadataError {
                line: first_line + line,
                message: format!("METADATA is not valid YAML: {}", e.message),
            }
        })?;
    let root = docs
        .into_iter()
        .find_map(|d| d.root)
        .map(|n| n.into_parts().0)
        .unwrap_or(Value::Null);
    let Value::Object(top) = &root else {
        return Err(err("METADATA must be a mapping".into()));
    };
    let line_of = |key: &str| {
        yaml_text
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map(|i| first_line + i)
            .unwrap_or(block_line)
    };
    let at = |key: &str, message: String| MetadataError {
        line: line_of(key),
        message,
    };
    for key in top.keys() {
        if !KNOWN_TOP_KEYS.contains(&key.as_str()) {
            return Err(at(key, format!("unknown METADATA key `{key}`")));
        }
    }
    let text = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };
    let title = text(top.get("title"));
    if title.is_empty() {
        return Err(err("METADATA needs a `title`".into()));
    }
    let description = text(top.get("description"));
    if description.is_empty() {
        return Err(err(
            "METADATA needs a `description` that says why the rule matters".into(),
        ));
    }
    let Some(Value::Object(custom)) = top.get("custom") else {
        return Err(err("METADATA needs a `custom:` section with id, severity, targets, controls and remediation".into()));
    };
    for key in custom.keys() {
        if !KNOWN_CUSTOM_KEYS.contains(&key.as_str()) {
            return Err(at(
                key,
                format!(
                    "unknown key `custom.{key}` (expected one of: {})",
                    KNOWN_CUSTOM_KEYS.join(", ")
                ),
            ));
        }
    }
    let id = text(custom.get("id"));
    if id.is_empty() {
        return Err(at(
            "custom",
            "METADATA needs `custom.id`, the rule's stable code".into(),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(at(
            "id",
            format!("rule id `{id}` may only hold letters, digits, `-` and `_`"),
        ));
    }
    let severity_text = text(custom.get("severity"));
    let severity = Severity::parse(&severity_text).ok_or_else(|| {
        at(
            "severity",
            format!(
                "unknown severity `{severity_text}` (expected critical, high, medium, low or info)"
            ),
        )
    })?;
    let targets = string_list(custom.get("targets"))
        .ok_or_else(|| {
            at(
                "targets",
                "`custom.targets` must be a list of formats".into(),
            )
        })?
        .iter()
        .map(|t| {
            Format::parse(t).ok_or_else(|| {
                at(
                    "targets",
                    format!("unknown target `{t}` (expected terraform, kubernetes or ansible)"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if targets.is_empty() {
        return Err(at(
            "targets",
            "`custom.targets` must name at least one format".into(),
        ));
    }
    let provider = custom
        .get("provider")
        .and_then(Value::as_str)
        .map(str::to_string);
    let Some(Value::Object(controls)) = custom.get("controls") else {
        return Err(at(
            "custom",
            "METADATA needs `custom.controls` with `iso27002:2005` and `iso27002:2022` lists"
                .into(),
        ));
    };
    let controls_2005 = string_list(controls.get("iso27002:2005")).unwrap_or_default();
    let controls_2022 = string_list(controls.get("iso27002:2022")).unwrap_or_default();
    if controls_2005.is_empty() || controls_2022.is_empty() {
        return Err(at(
            "controls",
            "`custom.controls` needs non-empty `iso27002:2005` and `iso27002:2022` lists".into(),
        ));
    }
    for c in &controls_2005 {
        if catalogue.by_2005(c).is_none() {
            return Err(at(
                "iso27002:2005",
                format!("control `{c}` is not in the ISO/IEC 27002:2005 control list"),
            ));
        }
    }
    for c in &controls_2022 {
        if !catalogue.has_2022(c) {
            return Err(at(
                "iso27002:2022",
                format!("control `{c}` is not in the ISO/IEC 27002:2022 control list"),
            ));
        }
    }
    let remediation = text(custom.get("remediation"));
    if remediation.is_empty() {
        return Err(at(
            "custom",
            "METADATA needs `custom.remediation`, how to fix a finding".into(),
        ));
    }
    let applies_to = match custom.get("applies_to") {
        None => Vec::new(),
        Some(v) => string_list(Some(v)).ok_or_else(|| {
            at(
                "applies_to",
                "`custom.applies_to` must be a list of strings".into(),
            )
        })?,
    };
    let mentions = match custom.get("mentions") {
        None => Vec::new(),
        Some(v) => string_list(Some(v))
            .filter(|words| !words.is_empty() && words.iter().all(|w| !w.is_empty()))
            .ok_or_else(|| {
                at(
                    "mentions",
                    "`custom.mentions` must be a non-empty list of non-empty strings".into(),
                )
            })?
            .iter()
            .map(|word| word.to_lowercase())
            .collect(),
    };
    Ok(RuleMeta {
        id,
        title,
        description,
        severity,
        targets,
        provider,
        controls_2005,
        controls_2022,
        remediation,
        applies_to,
        mentions,
        help_uri: help_uri(top.get("related_resources")),
    })
}

/// `related_resources` as OPA writes it: `[{ref: URL, description}]` or
/// plain URLs.
fn help_uri(resources: Option<&Value>) -> Option<String> {
    let Some(Value::Array(items)) = resources else {
        return None;
    };
    items.iter().find_map(|item| {
        let url = match item {
            Value::String(s) => s.as_str(),
            Value::Object(o) => o.get("ref")?.as_str()?,
            _ => return None,
        };
        (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_string())
    })
}

fn string_list(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Value::String(s) => Some(vec![s.clone()]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# METADATA
# title: Something is open
# description: Open things let attackers in.
# custom:
#   id: ACME-001
#   severity: high
#   targets: [terraform]
#   controls:
#     iso27002:2005: ["10.6.1"]
#     iso27002:2022: ["8.20"]
#   remediation: close it
package acme.open
"#;

    #[test]
    fn a_complete_block_parses() {
        let meta = parse(GOOD, Catalogue::builtin()).unwrap();
        assert_eq!(meta.id, "ACME-001");
        assert_eq!(meta.severity, Severity::High);
        assert_eq!(meta.targets, vec![Format::Terraform]);
        assert_eq!(meta.controls_2005, vec!["10.6.1"]);
    }

    #[test]
    fn unknown_controls_are_rejected_at_their_line() {
        let bad = GOOD.replace("\"10.6.1\"", "\"10.6.9\"");
        let e = parse(&bad, Catalogue::builtin()).unwrap_err();
        assert_eq!(e.line, 9);
        assert!(e.message.contains("10.6.9"), "{}", e.message);
    }

    #[test]
    fn unknown_severity_and_missing_id_are_rejected() {
        let e = parse(&GOOD.replace("high", "urgent"), Catalogue::builtin()).unwrap_err();
        assert!(e.message.contains("urgent"));
        assert_eq!(e.line, 6);
        let e = parse(
            &GOOD.replace("#   id: ACME-001\n", ""),
            Catalogue::builtin(),
        )
        .unwrap_err();
        assert!(e.message.contains("custom.id"));
    }

    #[test]
    fn mentions_are_lowercased_and_must_name_words() {
        let with = |words: &str| {
            GOOD.replace(
                "#   remediation: close it\n",
                &format!("#   remediation: close it\n#   mentions: {words}\n"),
            )
        };
        let meta = parse(&with("[Password, \"${\"]"), Catalogue::builtin()).unwrap();
        assert_eq!(meta.mentions, vec!["password", "${"]);
        assert!(
            parse(GOOD, Catalogue::builtin())
                .unwrap()
                .mentions
                .is_empty()
        );
        for bad in ["[]", "[\"\"]", "{a: b}"] {
            let e = parse(&with(bad), Catalogue::builtin()).unwrap_err();
            assert!(
                e.message.contains("custom.mentions"),
                "{bad}: {}",
                e.message
            );
        }
    }
}
