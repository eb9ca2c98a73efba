//! Evidence per control: for every control of the list (not only those with
//! findings), what was checked, on which resources, with which outcome.
//!
//! The unit of evidence is a check: one rule on one resource it examined
//! (or on a whole document, for rules that look at no particular kind).
//! Passes are counted from what rules examined (`Evaluation::examined`),
//! never inferred from the absence of findings. A control's counts are over
//! the distinct resources its rules examined; a resource any rule failed is
//! failed, else suppressed if a finding on it was suppressed, else
//! inconclusive if a check could not be decided, else passed.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::check::Outcome;
use crate::controls::{Catalogue, Evidence as Iac};
use crate::document::Format;
use crate::finding::{Finding, Inconclusive};
use crate::rules::RuleMeta;
use crate::suppress::Suppressed;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Edition {
    #[serde(rename = "2005")]
    E2005,
    #[serde(rename = "2022")]
    E2022,
}

impl Edition {
    pub fn name(self) -> &'static str {
        match self {
            Edition::E2005 => "2005",
            Edition::E2022 => "2022",
        }
    }
}

/// Where a control stands after the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its rules examined resources and every check failed none.
    Passing,
    /// At least one resource fails a rule evidencing it.
    Failing,
    /// Checked and not failing, but configuration shows only part of the
    /// control, or some checks could not be decided.
    Partial,
    /// Its rules ran but found nothing in the scanned code to examine.
    NotExamined,
    /// No rule evidences it although configuration could.
    NoRule,
    /// An organisational control: configuration cannot evidence it.
    Organisational,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Failing,
        Status::Partial,
        Status::Passing,
        Status::NotExamined,
        Status::NoRule,
        Status::Organisational,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Passing => "evidenced and passing",
            Status::Failing => "failing",
            Status::Partial => "partially evidenced",
            Status::NotExamined => "not evidenced: nothing to examine",
            Status::NoRule => "not evidenced by any rule",
            Status::Organisational => "organisational: configuration cannot evidence it",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::Passing => "passing",
            Status::Failing => "failing",
            Status::Partial => "partial",
            Status::NotExamined => "not_examined",
            Status::NoRule => "no_rule",
            Status::Organisational => "organisational",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub examined: usize,
    pub passed: usize,
    pub failed: usize,
    pub suppressed: usize,
    pub inconclusive: usize,
}

/// How a check came out; the order is precedence when several checks of
/// one resource disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    Passed,
    Inconclusive,
    Suppressed,
    Failed,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.examined += other.examined;
        self.passed += other.passed;
        self.failed += other.failed;
        self.suppressed += other.suppressed;
        self.inconclusive += other.inconclusive;
    }
}

/// A check's subject: (document, resource or `None` for the document).
type Subject<'a> = (&'a str, Option<&'a str>);

fn tally(verdicts: &HashMap<Subject<'_>, Verdict>) -> Counts {
    let mut c = Counts {
        examined: verdicts.len(),
        ..Counts::default()
    };
    for v in verdicts.values() {
        match v {
            Verdict::Passed => c.passed += 1,
            Verdict::Inconclusive => c.inconclusive += 1,
            Verdict::Suppressed => c.suppressed += 1,
            Verdict::Failed => c.failed += 1,
        }
    }
    c
}

fn mark<'a>(verdicts: &mut HashMap<Subject<'a>, Verdict>, subject: Subject<'a>, verdict: Verdict) {
    let slot = verdicts.entry(subject).or_insert(verdict);
    if verdict > *slot {
        *slot = verdict;
    }
}

/// The checks of a run, counted per rule and per control of each edition.
///
/// A subject never spans documents, so the counts are folded as each unit
/// is done (`Checks::add`) and a run keeps no list of what its rules
/// examined: on 10k generated documents that list and the map of subjects
/// built from it at the end were most of the evidence report's 706 MB.
/// One consequence: a task that two playbooks reach and fail is failed
/// under each, although its finding is reported once.
#[derive(Debug, Default)]
pub struct Checks {
    rules: HashMap<String, Counts>,
    controls_2005: HashMap<String, Counts>,
    controls_2022: HashMap<String, Counts>,
}

impl Checks {
    /// Counts one unit's part: the resources its rules examined
    /// (`evaluations`), and its findings, suppressed findings and
    /// inconclusive checks.
    pub fn add(&mut self, evaluations: &[crate::engine::Evaluation], part: &Outcome) {
        let mut per_rule: HashMap<&str, (&RuleMeta, HashMap<Subject<'_>, Verdict>)> =
            HashMap::new();
        for e in evaluations {
            let (_, verdicts) = per_rule
                .entry(e.rule.id.as_str())
                .or_insert_with(|| (&*e.rule, HashMap::new()));
            if e.examined.is_empty() {
                mark(verdicts, (&*e.unit, None), Verdict::Passed);
            }
            for r in &e.examined {
                mark(verdicts, (&*e.unit, Some(r.as_str())), Verdict::Passed);
            }
        }
        let judged = part
            .inconclusive
            .iter()
            .map(|i| {
                (
                    &*i.rule,
                    (i.unit.as_str(), i.resource.as_deref()),
                    Verdict::Inconclusive,
                )
            })
            .chain(part.suppressed.iter().map(|s| {
                let f = &s.finding;
                (
                    &*f.rule,
                    (f.unit.as_str(), f.resource.as_deref()),
                    Verdict::Suppressed,
                )
            }))
            .chain(part.findings.iter().chain(&part.baselined).map(|f| {
                (
                    &*f.rule,
                    (f.unit.as_str(), f.resource.as_deref()),
                    Verdict::Failed,
                )
            }));
        for (meta, subject, verdict) in judged {
            let (_, verdicts) = per_rule
                .entry(meta.id.as_str())
                .or_insert_with(|| (meta, HashMap::new()));
            mark(verdicts, subject, verdict);
        }
        let mut controls_2005: HashMap<&str, HashMap<Subject<'_>, Verdict>> = HashMap::new();
        let mut controls_2022: HashMap<&str, HashMap<Subject<'_>, Verdict>> = HashMap::new();
        for (id, (meta, verdicts)) in &per_rule {
            *self.rules.entry(id.to_string()).or_default() += tally(verdicts);
            let editions = [
                (&meta.controls_2005, &mut controls_2005),
                (&meta.controls_2022, &mut controls_2022),
            ];
            for (tags, controls) in editions {
                for control in tags {
                    let merged = controls.entry(control.as_str()).or_default();
                    for (subject, verdict) in verdicts {
                        mark(merged, *subject, *verdict);
                    }
                }
            }
        }
        for (control, verdicts) in controls_2005 {
            *self.controls_2005.entry(control.to_string()).or_default() += tally(&verdicts);
        }
        for (control, verdicts) in controls_2022 {
            *self.controls_2022.entry(control.to_string()).or_default() += tally(&verdicts);
        }
    }

    pub fn merge(&mut self, other: Checks) {
        let pairs = [
            (&mut self.rules, other.rules),
            (&mut self.controls_2005, other.controls_2005),
            (&mut self.controls_2022, other.controls_2022),
        ];
        for (mine, theirs) in pairs {
            for (key, counts) in theirs {
                *mine.entry(key).or_default() += counts;
            }
        }
    }

    pub fn rule(&self, id: &str) -> Counts {
        self.rules.get(id).copied().unwrap_or_default()
    }

    pub fn control(&self, edition: Edition, id: &str) -> Counts {
        let controls = match edition {
            Edition::E2005 => &self.controls_2005,
            Edition::E2022 => &self.controls_2022,
        };
        controls.get(id).copied().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleEvidence<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub targets: Vec<Format>,
    pub provider: Option<&'a str>,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counterpart {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct ControlEvidence<'a> {
    pub id: String,
    pub title: String,
    /// The same control in the other edition (several 2005 controls may
    /// share one 2022 control).
    pub counterparts: Vec<Counterpart>,
    /// Whether configuration can evidence it: yes, partial or no.
    pub configuration_evidence: Iac,
    /// What configuration shows for it, where it can.
    pub configuration_shows: String,
    pub status: Status,
    pub counts: Counts,
    pub rules: Vec<RuleEvidence<'a>>,
    /// Formats the control applies to, present in the scan, with no rule
    /// for it that ran.
    pub formats_without_rule: Vec<Format>,
    #[serde(skip)]
    pub failures: Listing,
    #[serde(skip)]
    pub suppressed: Vec<&'a Suppressed>,
    #[serde(skip)]
    pub inconclusive: Vec<&'a Inconclusive>,
}

#[derive(Debug, Serialize)]
pub struct Section<'a> {
    pub number: String,
    pub title: &'static str,
    pub controls: Vec<ControlEvidence<'a>>,
}

/// What makes the evidence reproducible.
#[derive(Debug, Clone, Serialize)]
pub struct ScanFacts {
    pub tool: &'static str,
    pub tool_version: &'static str,
    pub rule_set_digest: String,
    pub rules: usize,
    /// UTC, RFC 3339.
    pub scan_time: String,
    pub paths: Vec<String>,
    pub files: BTreeMap<Format, usize>,
    pub documents: BTreeMap<Format, usize>,
}

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub edition: Edition,
    pub scan: ScanFacts,
    pub status_counts: BTreeMap<&'static str, usize>,
    pub sections: Vec<Section<'a>>,
}

const SECTIONS_2005: &[(&str, &str)] = &[
    ("5", "Security policy"),
    ("6", "Organization of information security"),
    ("7", "Asset management"),
    ("8", "Human resources security"),
    ("9", "Physical and environmental security"),
    ("10", "Communications and operations management"),
    ("11", "Access control"),
    (
        "12",
        "Information systems acquisition, development and maintenance",
    ),
    ("13", "Information security incident management"),
    ("14", "Business continuity management"),
    ("15", "Compliance"),
];

const SECTIONS_2022: &[(&str, &str)] = &[
    ("5", "Organizational controls"),
    ("6", "People controls"),
    ("7", "Physical controls"),
    ("8", "Technological controls"),
];

/// Numeric order of dotted control numbers (`10.10.1` after `10.9.1`).
fn numeric(id: &str) -> Vec<u32> {
    id.split('.').filter_map(|p| p.parse().ok()).collect()
}

/// RFC 3339 UTC time of now.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let date = crate::suppress::Date::from_days(days);
    let rest = secs % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

pub struct Inputs<'a> {
    pub outcome: &'a Outcome,
    pub rules: Vec<&'a RuleMeta>,
    pub rule_set_digest: &'a str,
    pub paths: Vec<String>,
    pub scan_time: String,
}

/// How a report lists a failing finding: `index` is its place in its
/// control's list.
pub type ListFailure<'f> = &'f dyn Fn(usize, &Finding, &mut String);

/// A control's failing findings, written as the report lists them into a
/// buffer that moves to an unnamed temporary file past 64 KB. A report may
/// list a million findings; holding them (read back from disk past
/// `findings_in_memory`) for each control their rule evidences made the
/// evidence report's memory follow the findings.
pub struct Listing {
    pub count: usize,
    text: tempfile::SpooledTempFile,
    /// The entries, once no temporary file could be made for them (a
    /// read-only /tmp): kept in memory, as findings are in `spill`.
    in_memory: Option<Vec<u8>>,
    entry: String,
    error: Option<std::io::Error>,
}

impl Default for Listing {
    fn default() -> Self {
        Listing {
            count: 0,
            text: tempfile::spooled_tempfile(64 * 1024),
            in_memory: None,
            entry: String::new(),
            error: None,
        }
    }
}

impl std::fmt::Debug for Listing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listing")
            .field("count", &self.count)
            .finish()
    }
}

impl Listing {
    fn push(&mut self, finding: &Finding, list: ListFailure<'_>) {
        use std::io::{Read, Seek, Write};
        self.entry.clear();
        list(self.count, finding, &mut self.entry);
        self.count += 1;
        if let Some(kept) = &mut self.in_memory {
            kept.extend_from_slice(self.entry.as_bytes());
            return;
        }
        if self.error.is_some() {
            return;
        }
        // While the buffer is in memory, a write fails only when it cannot
        // move to a file, before any of the entry is written; a write to
        // the file that fails may have written part of it, and stands.
        let in_memory = !self.text.is_rolled();
        if let Err(e) = self.text.write_all(self.entry.as_bytes()) {
            if !in_memory {
                self.error = Some(e);
                return;
            }
            let mut kept = Vec::new();
            let read = self
                .text
                .seek(std::io::SeekFrom::Start(0))
                .and_then(|_| self.text.read_to_end(&mut kept));
            match read {
                Ok(_) => {
                    kept.extend_from_slice(self.entry.as_bytes());
                    self.in_memory = Some(kept);
                }
                Err(_) => self.error = Some(e),
            }
        }
    }

    /// Copies the entries to `out`, or fails with why they could not all
    /// be kept: a report must not list fewer failures than it counts.
    pub fn write_to(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(std::io::Error::new(
                e.kind(),
                format!("cannot keep the failing findings to list: {e}"),
            ));
        }
        if let Some(kept) = &self.in_memory {
            return out.write_all(kept);
        }
        std::io::Seek::seek(&mut self.text, std::io::SeekFrom::Start(0))?;
        std::io::copy(&mut self.text, out)?;
        Ok(())
    }
}

/// `list` says how the report lists failing findings; without it (a
/// summary of counts), the findings are not read.
pub fn build<'a>(
    inputs: &Inputs<'a>,
    edition: Edition,
    list: Option<ListFailure<'_>>,
) -> Report<'a> {
    let catalogue = Catalogue::builtin();
    let outcome = inputs.outcome;
    let scanned_formats: BTreeSet<Format> = outcome
        .stats
        .files
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(f, _)| *f)
        .collect();

    // The controls of the edition, with what the other edition calls them.
    struct Entry {
        id: String,
        title: String,
        counterparts: Vec<Counterpart>,
        iac: Iac,
        shows: String,
        formats: BTreeSet<Format>,
    }
    let rank = |e: Iac| match e {
        Iac::Yes => 2,
        Iac::Partial => 1,
        Iac::No => 0,
    };
    let mut entries: Vec<Entry> = Vec::new();
    for c in catalogue.all() {
        let applicability = catalogue.applicability(&c.id_2005);
        let formats: BTreeSet<Format> = applicability
            .map(|a| a.formats.iter().copied().collect())
            .unwrap_or_default();
        let shows = applicability.map(|a| a.shows.clone()).unwrap_or_default();
        match edition {
            Edition::E2005 => entries.push(Entry {
                id: c.id_2005.clone(),
                title: c.title_2005.clone(),
                counterparts: (!c.id_2022.is_empty())
                    .then(|| Counterpart {
                        id: c.id_2022.clone(),
                        title: c.title_2022.clone(),
                    })
                    .into_iter()
                    .collect(),
                iac: c.iac,
                shows,
                formats,
            }),
            Edition::E2022 => {
                if c.id_2022.is_empty() {
                    continue;
                }
                let counterpart = Counterpart {
                    id: c.id_2005.clone(),
                    title: c.title_2005.clone(),
                };
                match entries.iter_mut().find(|e| e.id == c.id_2022) {
                    Some(e) => {
                        e.counterparts.push(counterpart);
                        if rank(c.iac) > rank(e.iac) {
                            e.iac = c.iac;
                        }
                        e.formats.extend(formats);
                        if !shows.is_empty() {
                            if !e.shows.is_empty() {
                                e.shows.push_str("; ");
                            }
                            e.shows.push_str(&shows);
                        }
                    }
                    None => entries.push(Entry {
                        id: c.id_2022.clone(),
                        title: c.title_2022.clone(),
                        counterparts: vec![counterpart],
                        iac: c.iac,
                        shows,
                        formats,
                    }),
                }
            }
        }
    }
    entries.sort_by_key(|e| numeric(&e.id));

    let tagged = |rule: &RuleMeta, id: &str| match edition {
        Edition::E2005 => rule.controls_2005.iter().any(|c| c == id),
        Edition::E2022 => rule.controls_2022.iter().any(|c| c == id),
    };
    let mut controls = Vec::new();
    for entry in entries {
        let rules: Vec<&RuleMeta> = inputs
            .rules
            .iter()
            .copied()
            .filter(|r| tagged(r, &entry.id))
            .collect();
        let rule_evidence: Vec<RuleEvidence<'_>> = rules
            .iter()
            .map(|rule| RuleEvidence {
                id: &rule.id,
                title: &rule.title,
                targets: rule.targets.clone(),
                provider: rule.provider.as_deref(),
                counts: outcome.checks.rule(&rule.id),
            })
            .collect();
        let counts = outcome.checks.control(edition, &entry.id);
        let covered_formats: BTreeSet<Format> = rules
            .iter()
            .flat_map(|r| r.targets.iter().copied())
            .collect();
        let formats_without_rule: Vec<Format> = entry
            .formats
            .iter()
            .copied()
            .filter(|f| scanned_formats.contains(f) && !covered_formats.contains(f))
            .collect();
        let status = if rules.is_empty() {
            if entry.iac == Iac::No {
                Status::Organisational
            } else {
                Status::NoRule
            }
        } else if counts.failed > 0 {
            Status::Failing
        } else if counts.examined == 0 {
            Status::NotExamined
        } else if entry.iac == Iac::Partial
            || counts.inconclusive > 0
            || !formats_without_rule.is_empty()
        {
            Status::Partial
        } else {
            Status::Passing
        };
        let ids: BTreeSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        controls.push(ControlEvidence {
            id: entry.id,
            title: entry.title,
            counterparts: entry.counterparts,
            configuration_evidence: entry.iac,
            configuration_shows: entry.shows,
            status,
            counts,
            rules: rule_evidence,
            formats_without_rule,
            failures: Listing::default(),
            suppressed: outcome
                .suppressed
                .iter()
                .filter(|s| ids.contains(s.finding.rule.id.as_str()))
                .collect(),
            inconclusive: outcome
                .inconclusive
                .iter()
                .filter(|i| ids.contains(i.rule.id.as_str()))
                .collect(),
        });
    }

    // One pass over the findings, which may wait on disk: reading them all
    // again for each control took a third of the report's time on 96k.
    if let Some(list) = list {
        let mut places: HashMap<&str, Vec<usize>> = HashMap::new();
        for (place, control) in controls.iter().enumerate() {
            for rule in &control.rules {
                places.entry(rule.id).or_default().push(place);
            }
        }
        let findings = outcome
            .all_findings()
            .chain(outcome.baselined.iter().map(Cow::Borrowed));
        for finding in findings {
            for &place in places.get(finding.rule.id.as_str()).into_iter().flatten() {
                controls[place].failures.push(&finding, list);
            }
        }
    }

    let section_list = match edition {
        Edition::E2005 => SECTIONS_2005,
        Edition::E2022 => SECTIONS_2022,
    };
    let mut sections: Vec<Section<'a>> = section_list
        .iter()
        .map(|(number, title)| Section {
            number: number.to_string(),
            title,
            controls: Vec::new(),
        })
        .collect();
    for control in controls {
        let head = control.id.split('.').next().unwrap_or("").to_string();
        match sections.iter_mut().find(|s| s.number == head) {
            Some(section) => section.controls.push(control),
            None => sections.push(Section {
                number: head,
                title: "Other controls",
                controls: vec![control],
            }),
        }
    }
    let mut status_counts: BTreeMap<&'static str, usize> =
        Status::ALL.iter().map(|s| (s.key(), 0)).collect();
    for c in sections.iter().flat_map(|s| &s.controls) {
        *status_counts.entry(c.status.key()).or_default() += 1;
    }
    Report {
        edition,
        scan: ScanFacts {
            tool: "clause",
            tool_version: crate::VERSION,
            rule_set_digest: inputs.rule_set_digest.to_string(),
            rules: inputs.rules.len(),
            scan_time: inputs.scan_time.clone(),
            paths: inputs.paths.clone(),
            files: outcome.stats.files.clone(),
            documents: outcome.stats.documents.clone(),
        },
        status_counts,
        sections,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::document::Seg;
    use crate::source::{LineCol, SourceFile, Span};

    /// Past 64 KB a listing moves to a temporary file; it must give back
    /// every entry, in order, and can be written more than once.
    #[test]
    fn a_long_listing_gives_back_every_entry() {
        let rules = crate::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        let file = SourceFile::shared("a.tf".into(), "a.tf".into(), String::new());
        let finding = |line: usize| Finding {
            rule: Arc::clone(&rules.rules[0].meta),
            message: format!("finding {line} {}", "x".repeat(40)),
            label: None,
            file: Arc::clone(&file),
            span: Span::new(0, line, line + 1),
            start: LineCol { line, column: 1 },
            end: LineCol { line, column: 2 },
            resource: None,
            unit: "u".into(),
            path: vec![Seg::Index(line)],
            related: Vec::new(),
        };
        let list = |index: usize, f: &Finding, out: &mut String| {
            out.push_str(&format!("{index}: {}\n", f.message));
        };
        let mut listing = Listing::default();
        let mut expected = String::new();
        for n in 0..5_000 {
            let f = finding(n);
            list(n, &f, &mut expected);
            listing.push(&f, &list);
        }
        assert!(expected.len() > 64 * 1024);
        assert_eq!(listing.count, 5_000);
        for _ in 0..2 {
            let mut out = Vec::new();
            listing.write_to(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
