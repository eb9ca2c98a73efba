//! Files into documents. Each format has its own module; this one decides
//! which format a YAML file is (content first, then location) and carries
//! the error type every parser reports with.

pub mod ansible;
pub mod kubernetes;
pub mod terraform;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use crate::document::{Document, Format, Node, NodeData};
use crate::source::SourceFile;
use yaml::{Dialect, YamlDoc};

/// Bounds on reading one file, from `[limits]` in `.clause.toml`: files
/// larger than `max_file_bytes` are not read, and collections nested deeper
/// than `max_depth` (YAML, JSON and HCL alike) end in an error for the file
/// rather than exhausting the stack. See `docs/limits.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    pub max_file_bytes: u64,
    pub max_depth: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_file_bytes: crate::check::DEFAULT_MAX_FILE_BYTES,
            max_depth: yaml::DEFAULT_MAX_DEPTH,
        }
    }
}

impl ParseLimits {
    /// The YAML parser's limits with this nesting depth.
    pub fn yaml(&self) -> yaml::Limits {
        yaml::Limits::with_depth(self.max_depth)
    }
}

/// A file that could not be read or parsed, located for the user.
#[derive(Debug, Clone)]
pub struct FileError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Byte offset of the problem, with the text to show it in.
    pub offset: usize,
    pub source: Option<Arc<SourceFile>>,
}

impl FileError {
    pub fn at(file: &Arc<SourceFile>, offset: usize, message: String) -> Self {
        let pos = file.line_col(offset);
        FileError {
            file: file.display.clone(),
            line: pos.line,
            column: pos.column,
            message,
            offset: offset.min(file.text.len()),
            source: Some(Arc::clone(file)),
        }
    }

    /// An error about a file as a whole (unreadable, not text).
    pub fn whole_file(display: &str, message: String) -> Self {
        FileError {
            file: display.to_string(),
            line: 1,
            column: 1,
            message,
            offset: 0,
            source: None,
        }
    }
}

/// What a YAML file turned out to be.
pub enum YamlOutcome {
    Documents(Format, Vec<Document>),
    /// A playbook or task file, with what following it found.
    Ansible(Box<ansible::AnsibleOutcome>),
    /// Valid YAML that is none of the formats clause reads.
    NotIac,
    /// YAML with a syntax error and no sign of being a format clause reads
    /// (a CI config, a Helm values file): skipped, not an error, but said so.
    InvalidNotIac,
    Error(FileError),
}

/// Parses a YAML file and builds the documents of whichever format it is.
/// `forced` skips detection (stdin, config overrides).
pub fn parse_yaml_file(file: &Arc<SourceFile>, forced: Option<Format>) -> YamlOutcome {
    parse_yaml_file_with(file, forced, ParseLimits::default())
}

/// [`parse_yaml_file`] within the given limits.
pub fn parse_yaml_file_with(
    file: &Arc<SourceFile>,
    forced: Option<Format>,
    limits: ParseLimits,
) -> YamlOutcome {
    let docs = match yaml::parse_stream(&file.text, 0, Dialect::Yaml11, limits.yaml()) {
        Ok(docs) => docs,
        Err(e) => {
            let candidate = forced.is_some() || looks_like_iac(&file.path, &file.text);
            return if candidate {
                YamlOutcome::Error(FileError::at(
                    file,
                    e.offset,
                    format!("YAML syntax error: {}", e.message),
                ))
            } else {
                YamlOutcome::InvalidNotIac
            };
        }
    };
    let format = forced.or_else(|| classify(&file.path, &docs));
    match format {
        Some(Format::Kubernetes) => {
            YamlOutcome::Documents(Format::Kubernetes, kubernetes::documents(file, docs))
        }
        Some(Format::Ansible) => {
            YamlOutcome::Ansible(Box::new(ansible::document_with(file, docs, limits)))
        }
        _ => YamlOutcome::NotIac,
    }
}

/// Content wins: manifests by `apiVersion` and `kind`, playbooks by their play
/// keys; a list of tasks counts when it sits in a role's `tasks/` or
/// `handlers/` folder or names modules clause knows.
pub fn classify(path: &Path, docs: &[YamlDoc]) -> Option<Format> {
    let roots: Vec<&Node> = docs.iter().filter_map(|d| d.root.as_ref()).collect();
    if roots.iter().any(|r| kubernetes::is_manifest(r)) {
        return Some(Format::Kubernetes);
    }
    let [root] = roots.as_slice() else {
        return None;
    };
    let NodeData::Seq(items) = &root.data else {
        return None;
    };
    if items.is_empty() || !items.iter().all(Node::is_map) {
        return None;
    }
    if items.iter().any(ansible::is_play) {
        return Some(Format::Ansible);
    }
    if in_task_folder(path) || items.iter().any(ansible::looks_like_task) {
        return Some(Format::Ansible);
    }
    None
}

/// `roles/x/tasks/main.yml`, `handlers/main.yml`, `playbooks/tasks/setup.yml`.
pub fn in_task_folder(path: &Path) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .is_some_and(|name| name == "tasks" || name == "handlers")
}

/// Keys only Ansible uses: a broken task file outside a role's `tasks/`
/// shows itself by them.
const ANSIBLE_ONLY_KEYS: [&str; 7] = [
    "hosts:",
    "import_playbook:",
    "import_tasks:",
    "include_tasks:",
    "import_role:",
    "include_role:",
    "become:",
];

/// Whether an unparseable file was meant to be IaC, so its syntax error is
/// worth reporting; other broken YAML (CI configs, chart values) is skipped.
fn looks_like_iac(path: &Path, text: &str) -> bool {
    if in_task_folder(path) {
        return true;
    }
    // Indented too, since a bad indent is often the syntax error itself
    // (` kind: Pod` under `apiVersion: v1`).
    let mut api_version = false;
    let mut kind = false;
    let mut ansible = false;
    for line in text.lines() {
        let line = line.trim_start().trim_start_matches("- ").trim_start();
        api_version |= line.starts_with("apiVersion:");
        kind |= line.starts_with("kind:");
        ansible |= ANSIBLE_ONLY_KEYS.iter().any(|key| line.starts_with(key))
            || line.starts_with("ansible.builtin.");
    }
    (api_version && kind) || ansible
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(name: &str, text: &str) -> YamlOutcome {
        let file = SourceFile::shared(name.into(), name.into(), text.into());
        parse_yaml_file(&file, None)
    }

    #[test]
    fn invalid_yaml_is_an_error_when_it_looks_like_iac() {
        // The bad indent that breaks the file also hides `kind` from a
        // check that wants it at the start of a line.
        for (name, text) in [
            ("pod.yaml", "apiVersion: v1\n kind: Pod\n"),
            (
                "tab.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
            ),
            ("site.yml", "- hosts: all\n  tasks: [\n"),
            ("roles/web/tasks/main.yml", "- apt: [\n"),
            ("setup.yml", "- name: x\n  ansible.builtin.apt: [\n"),
            ("more.yml", "- include_tasks: x.yml\n  when: [\n"),
        ] {
            match outcome(name, text) {
                YamlOutcome::Error(e) => assert!(e.message.contains("YAML syntax error"), "{name}"),
                _ => panic!("{name}: not reported as an error"),
            }
        }
        for (name, text) in [
            ("ci.yml", "steps: [\n"),
            ("values.yaml", "image:\n\ttag: 1\n"),
        ] {
            assert!(
                matches!(outcome(name, text), YamlOutcome::InvalidNotIac),
                "{name}"
            );
        }
    }
}
