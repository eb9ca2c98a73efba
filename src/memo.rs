//! Rule results remembered for documents that are equal, so equal input is
//! evaluated once per run. Ansible repositories often run one set of plays
//! from several top-level playbooks (kubespray's `cluster.yml`,
//! `upgrade-cluster.yml`, ...): each playbook is a document of its own with
//! thousands of tasks, and a rule's result depends on nothing but the
//! document's input, so the copies are answered from the first.
//!
//! Only large documents are remembered, and only the last few: a small one
//! costs less to evaluate again than to keep.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest, Sha256};

use crate::document::Document;

/// Inputs smaller than this (as JSON) are evaluated every time.
pub const MIN_REMEMBERED_BYTES: usize = 32 * 1024;

/// How many inputs are remembered at once; the oldest is forgotten first.
/// Copies of one playbook sit side by side in a repository, so they meet
/// within this window, and memory stays bounded however large the run.
pub const MAX_REMEMBERED_INPUTS: usize = 64;

/// What one rule said about one input, independent of the document it came
/// from: the document's own spans turn it into findings.
#[derive(Debug, Clone)]
pub struct RuleRun {
    pub deny: Result<regorus::Value, String>,
    pub inconclusive: Option<Result<regorus::Value, String>>,
    pub prints: Vec<String>,
}

/// A document's identity for the memo: its format and the SHA-256 of its
/// input as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InputKey([u8; 32]);

/// The rule runs of the large inputs a run evaluated last (at most
/// `MAX_REMEMBERED_INPUTS`), by input and rule entry. Shared by the worker
/// threads.
#[derive(Default)]
pub struct Memo {
    runs: Mutex<Remembered>,
}

#[derive(Default)]
struct Remembered {
    by_input: HashMap<InputKey, HashMap<String, Arc<RuleRun>>>,
    /// Inputs in the order they were first remembered.
    order: VecDeque<InputKey>,
}

impl Memo {
    /// The key of a document worth remembering; `None` for small ones.
    pub fn key(doc: &Document) -> Option<InputKey> {
        let mut writer = HashWriter::default();
        writer.hasher.update([doc.format as u8]);
        serde_json::to_writer(&mut writer, &doc.input).ok()?;
        (writer.bytes >= MIN_REMEMBERED_BYTES).then(|| InputKey(writer.hasher.finalize().into()))
    }

    pub fn get(&self, key: InputKey, entry: &str) -> Option<Arc<RuleRun>> {
        let runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
        runs.by_input.get(&key)?.get(entry).cloned()
    }

    pub fn insert(&self, key: InputKey, entry: &str, run: Arc<RuleRun>) {
        let mut runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
        if !runs.by_input.contains_key(&key) {
            runs.order.push_back(key);
            if runs.order.len() > MAX_REMEMBERED_INPUTS
                && let Some(oldest) = runs.order.pop_front()
            {
                runs.by_input.remove(&oldest);
            }
        }
        runs.by_input
            .entry(key)
            .or_default()
            .insert(entry.to_string(), run);
    }
}

#[derive(Default)]
struct HashWriter {
    hasher: Sha256,
    bytes: usize,
}

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.bytes += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Format, SpanTree};
    use crate::source::Span;
    use serde_json::json;

    fn doc(format: Format, input: serde_json::Value) -> Document {
        Document {
            format,
            unit: "u".into(),
            files: Vec::new(),
            input,
            spans: SpanTree::leaf(Span::new(0, 0, 0)),
            resources: Vec::new(),
        }
    }

    fn large(text: &str) -> serde_json::Value {
        json!({"tasks": vec![json!({"name": text}); MIN_REMEMBERED_BYTES / 10]})
    }

    #[test]
    fn equal_large_inputs_share_a_key_and_small_ones_have_none() {
        let a = Memo::key(&doc(Format::Ansible, large("x")));
        assert!(a.is_some());
        assert_eq!(a, Memo::key(&doc(Format::Ansible, large("x"))));
        assert_ne!(a, Memo::key(&doc(Format::Ansible, large("y"))));
        assert_ne!(a, Memo::key(&doc(Format::Kubernetes, large("x"))));
        assert_eq!(Memo::key(&doc(Format::Ansible, json!({"tasks": []}))), None);
    }

    #[test]
    fn runs_are_found_by_input_and_rule() {
        let memo = Memo::default();
        let key = Memo::key(&doc(Format::Ansible, large("x"))).unwrap();
        let run = Arc::new(RuleRun {
            deny: Ok(regorus::Value::new_set()),
            inconclusive: None,
            prints: Vec::new(),
        });
        memo.insert(key, "data.a.deny", Arc::clone(&run));
        assert!(memo.get(key, "data.a.deny").is_some());
        assert!(memo.get(key, "data.b.deny").is_none());
        // The oldest input is forgotten once the window is full.
        for n in 0..MAX_REMEMBERED_INPUTS {
            let other = Memo::key(&doc(Format::Ansible, large(&n.to_string()))).unwrap();
            memo.insert(other, "data.a.deny", Arc::clone(&run));
        }
        assert!(memo.get(key, "data.a.deny").is_none());
    }
}
