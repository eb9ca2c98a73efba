//! Which rules ran on each document: JUnit's test cases. A run records
//! one entry per document it evaluated, so they are gathered sorted by
//! document with `src/sorted.rs`, on disk past a budget, and JUnit reads
//! them back beside the findings, document by document.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use crate::rules::RuleMeta;
use crate::sorted::{Sorted, Sorter};

/// About how many bytes of rule runs a run holds before they wait on disk.
const IN_MEMORY: usize = 8 << 20;

/// The rules run on one document, sorted by code.
#[derive(Debug)]
pub struct RulesRun {
    pub unit: Arc<str>,
    pub rules: Vec<Arc<RuleMeta>>,
}

impl RulesRun {
    /// The runs of a part, grouped by document (the engine records a
    /// document's runs together).
    pub fn of(evaluations: Vec<crate::engine::Evaluation>) -> Vec<RulesRun> {
        let mut runs: Vec<RulesRun> = Vec::new();
        for e in evaluations {
            match runs.last_mut() {
                Some(last) if last.unit == e.unit => last.rules.push(e.rule),
                _ => runs.push(RulesRun {
                    unit: e.unit,
                    rules: vec![e.rule],
                }),
            }
        }
        runs
    }
}

/// A document and the codes of the rules run on it.
type Record = (String, Vec<String>);

/// The rule runs of a whole run, gathered unit by unit.
pub struct Gathering {
    sorter: Sorter<Record>,
    rules: HashMap<String, Arc<RuleMeta>>,
    error: Option<io::Error>,
}

impl Default for Gathering {
    fn default() -> Self {
        Gathering::within(IN_MEMORY)
    }
}

impl Gathering {
    pub fn within(budget: usize) -> Self {
        Gathering {
            sorter: Sorter::new(budget),
            rules: HashMap::new(),
            error: None,
        }
    }

    pub fn add(&mut self, runs: Vec<RulesRun>) {
        for run in runs {
            let ids: Vec<String> = run.rules.iter().map(|r| r.id.clone()).collect();
            let size = run.unit.len() + ids.iter().map(|id| id.len() + 24).sum::<usize>() + 48;
            for rule in run.rules {
                if !self.rules.contains_key(&rule.id) {
                    self.rules.insert(rule.id.clone(), rule);
                }
            }
            if let Err(e) = self.sorter.push((run.unit.to_string(), ids), size) {
                self.error.get_or_insert(e);
            }
        }
    }

    /// The runs, sorted by document; or why some could not be kept.
    pub fn finish(self) -> io::Result<RulesRuns> {
        if let Some(e) = self.error {
            return Err(e);
        }
        Ok(RulesRuns {
            sorted: Some(self.sorter.finish()?),
            rules: self.rules,
        })
    }
}

/// Which rules ran on each document of a run (`CheckConfig::
/// record_evaluations`), in memory or on disk.
#[derive(Default)]
pub struct RulesRuns {
    sorted: Option<Sorted<Record>>,
    rules: HashMap<String, Arc<RuleMeta>>,
}

impl std::fmt::Debug for RulesRuns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RulesRuns")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl RulesRuns {
    /// One entry per document, in document order, each rule once and by
    /// code. A record that cannot be read back ends them with its error.
    pub fn iter(&self) -> io::Result<impl Iterator<Item = io::Result<RulesRun>> + '_> {
        let mut records = match &self.sorted {
            Some(sorted) => sorted.iter()?,
            None => Box::new(std::iter::empty()),
        }
        .peekable();
        Ok(std::iter::from_fn(move || {
            let (unit, mut ids) = match records.next()? {
                Ok(record) => record,
                Err(e) => return Some(Err(e)),
            };
            // A document evaluated from two units (a task file several
            // playbooks run) has a record from each.
            while let Some(Ok((_, more))) =
                records.next_if(|r| matches!(r, Ok((u, _)) if *u == unit))
            {
                ids.extend(more);
            }
            ids.sort();
            ids.dedup();
            let rules = ids
                .iter()
                .filter_map(|id| self.rules.get(id).cloned())
                .collect();
            Some(Ok(RulesRun {
                unit: unit.into(),
                rules,
            }))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> Arc<RuleMeta> {
        Arc::new(RuleMeta {
            id: id.into(),
            title: String::new(),
            description: String::new(),
            severity: crate::rules::Severity::Low,
            targets: Vec::new(),
            provider: None,
            controls_2005: Vec::new(),
            controls_2022: Vec::new(),
            remediation: String::new(),
            applies_to: Vec::new(),
            mentions: Vec::new(),
            help_uri: None,
        })
    }

    fn run(unit: &str, ids: &[&str]) -> RulesRun {
        RulesRun {
            unit: unit.into(),
            rules: ids.iter().map(|id| rule(id)).collect(),
        }
    }

    /// Parts arrive in any order, a document may come from two of them;
    /// the runs come back one per document, in order, each rule once, the
    /// same from memory and from disk.
    #[test]
    fn runs_come_back_by_document_from_memory_or_disk() {
        let parts = || {
            (0..500).map(|n| {
                let unit = format!("unit-{:03}", (n * 7) % 250);
                vec![
                    run(&unit, &["CL-2", "CL-1"]),
                    run("shared.yml", &["CL-3", "CL-1"]),
                ]
            })
        };
        let read = |budget| {
            let mut gathering = Gathering::within(budget);
            for part in parts() {
                gathering.add(part);
            }
            let runs = gathering.finish().unwrap();
            let listed: Vec<String> = runs
                .iter()
                .unwrap()
                .map(|r| {
                    let r = r.unwrap();
                    let ids: Vec<&str> = r.rules.iter().map(|m| m.id.as_str()).collect();
                    format!("{} {}", r.unit, ids.join(","))
                })
                .collect();
            listed
        };
        let in_memory = read(usize::MAX);
        assert_eq!(in_memory.len(), 251);
        assert_eq!(in_memory[0], "shared.yml CL-1,CL-3");
        assert_eq!(in_memory[1], "unit-000 CL-1,CL-2");
        assert_eq!(read(1), in_memory);
    }
}
