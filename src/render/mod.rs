//! Renderings of an outcome. Every format shows the same sorted findings.

pub mod evidence;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod library;
pub mod sarif;

/// A rule's 2005 controls as a finding's message cites them in SARIF and
/// GitLab: `ISO/IEC 27002:2005 10.6.1, ISO/IEC 27002:2005 11.4.6`.
fn cited_controls(rule: &crate::rules::RuleMeta) -> String {
    rule.controls_2005
        .iter()
        .map(|c| format!("ISO/IEC 27002:2005 {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
