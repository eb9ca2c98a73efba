//! Fingerprints that survive edits, and baselines built on them.
//!
//! A finding's fingerprint is its rule, its file, the resource and the path
//! into the input the rule returned, never a line number: adding a comment
//! above a resource does not make an accepted finding new again. Findings
//! that share all four (two open ports in one rule) are told apart by their
//! order within that group, which moving lines does not change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::document::Seg;
use crate::finding::Finding;

/// FNV-1a, 64 bits: small, stable across platforms and releases, which is
/// all a fingerprint needs (it is not a security boundary).
pub fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The file as the fingerprint names it: relative to `root` with `/`
/// separators, so the same tree checked from elsewhere matches.
pub fn relative_file(path: &Path, display: &str, root: Option<&Path>) -> String {
    let relative = root.and_then(|root| {
        let normalize = crate::parse::terraform::module::normalize;
        let absolute = normalize(&std::path::absolute(path).ok()?);
        let root = normalize(&std::path::absolute(root).ok()?);
        Some(absolute.strip_prefix(&root).ok()?.to_path_buf())
    });
    let text = match relative {
        Some(p) => p.to_string_lossy().to_string(),
        None => display.to_string(),
    };
    let text = text.replace('\\', "/");
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

fn identity(f: &Finding, root: Option<&Path>) -> String {
    let path: Vec<String> = f
        .path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect();
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        f.rule.id,
        relative_file(&f.file.path, &f.file.display, root),
        f.resource.as_deref().unwrap_or(""),
        path.join("\u{1e}")
    )
}

/// Fingerprints findings one at a time, in report order: a finding's
/// identity, numbered among the findings before it with the same identity
/// (two identical findings in one file stay apart).
pub struct Fingerprinter {
    root: Option<PathBuf>,
    seen: BTreeMap<String, usize>,
    file: String,
}

impl Fingerprinter {
    pub fn new(root: Option<&Path>) -> Self {
        Fingerprinter {
            root: root.map(Path::to_path_buf),
            seen: BTreeMap::new(),
            file: String::new(),
        }
    }

    pub fn next(&mut self, f: &Finding) -> String {
        // Identities name their file and findings come sorted by file, so
        // the count restarts with each file and never grows with the run.
        if f.file.display != self.file {
            self.seen.clear();
            self.file.clone_from(&f.file.display);
        }
        let id = identity(f, self.root.as_deref());
        let n = self.seen.entry(id.clone()).or_default();
        let print = format!("{:016x}", fnv1a(&format!("{id}\u{1f}{n}")));
        *n += 1;
        print
    }
}

/// One fingerprint per finding, in the same order.
pub fn fingerprints<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    root: Option<&Path>,
) -> Vec<String> {
    let mut fingerprinter = Fingerprinter::new(root);
    findings
        .into_iter()
        .map(|f| fingerprinter.next(f))
        .collect()
}

/// The file `clause baseline write` produces. Lines and messages are kept
/// for people reading it; only fingerprints are matched.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub tool: String,
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    pub file: String,
    pub line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub message: String,
}

pub const FORMAT_VERSION: u32 = 1;

impl Baseline {
    pub fn of<F: std::borrow::Borrow<Finding>>(
        findings: impl IntoIterator<Item = F>,
        root: &Path,
    ) -> Baseline {
        let mut fingerprinter = Fingerprinter::new(Some(root));
        Baseline {
            tool: "clause".into(),
            version: FORMAT_VERSION,
            findings: findings
                .into_iter()
                .map(|f| {
                    let f = f.borrow();
                    Entry {
                        fingerprint: fingerprinter.next(f),
                        rule_id: f.rule.id.clone(),
                        file: relative_file(&f.file.path, &f.file.display, Some(root)),
                        line: f.start.line,
                        resource: f.resource.clone(),
                        message: f.message.clone(),
                    }
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a clause baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if baseline.version != FORMAT_VERSION {
            return Err(format!(
                "{}: baseline format version {} is not {FORMAT_VERSION}; write it again with `clause baseline write`",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Where a baseline's paths are relative to: the folder holding it.
pub fn root_of(baseline_file: &Path) -> PathBuf {
    match baseline_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Tells, finding by finding in report order, which ones a baseline
/// records; what is left over at the end are its stale entries (fixed, or
/// the code moved on).
pub struct Matcher<'a> {
    fingerprinter: Fingerprinter,
    remaining: BTreeMap<&'a str, &'a Entry>,
}

impl<'a> Matcher<'a> {
    pub fn new(baseline: &'a Baseline, root: &Path) -> Self {
        Matcher {
            fingerprinter: Fingerprinter::new(Some(root)),
            remaining: baseline
                .findings
                .iter()
                .map(|e| (e.fingerprint.as_str(), e))
                .collect(),
        }
    }

    pub fn is_known(&mut self, f: &Finding) -> bool {
        let print = self.fingerprinter.next(f);
        self.remaining.remove(print.as_str()).is_some()
    }

    /// The entries nothing matched. `checked` lists the files this run
    /// read: entries for files outside the run are not stale.
    pub fn stale(self, root: &Path, checked: &std::collections::BTreeSet<PathBuf>) -> Vec<Entry> {
        let checked: std::collections::BTreeSet<String> = checked
            .iter()
            .map(|p| relative_file(p, &p.to_string_lossy(), Some(root)))
            .collect();
        self.remaining
            .into_values()
            .filter(|e| checked.contains(&e.file))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn relative_files_drop_dot_and_backslashes() {
        let p = Path::new("./infra/main.tf");
        assert_eq!(relative_file(p, "./infra/main.tf", None), "infra/main.tf");
    }
}
