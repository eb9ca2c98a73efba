//! Findings past what a run should hold in memory go to disk: each full
//! buffer is sorted and written as a run, and the runs are merged (dropping
//! duplicates) into one file the reports read back in order. A repository's
//! findings then cost disk space, and the run's memory follows its largest
//! unit instead of the number of findings (a million of them took 1.8 GB).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::document::Seg;
use crate::finding::{self, Finding, Related};
use crate::rules::RuleMeta;
use crate::source::{LineCol, SourceFile, Span};

/// How many findings a run holds in memory before it writes them to disk
/// (`[limits] findings_in_memory`). About 30 MB of findings; most
/// repositories never reach it, and their runs never touch the disk.
pub const DEFAULT_FINDINGS_IN_MEMORY: usize = 20_000;

/// Where a finding came from in the order units were planned: of findings
/// that say the same thing (one task reached from several playbooks) a run
/// keeps the first in that order, whichever worker finished first.
pub type Order = (u64, u32);

/// How many runs one merge reads at once. Each holds a file open and a
/// 64 KB buffer while it is read, so a run that spilled thousands of times
/// (a small `findings_in_memory`) merged them all at once ran out of file
/// descriptors, or spent its memory on buffers: runs are merged 32 at a
/// time as they pile up, each finding rewritten once per level.
const MERGE_FAN_IN: usize = 32;

/// Gathers a run's findings, unit by unit, in any order.
pub struct Collector {
    limit: usize,
    buffer: Vec<(Order, Finding)>,
    /// Sorted runs on disk, each with how many merges built it: a run is
    /// merged with others of its level only, so each finding is rewritten
    /// about log32(findings / limit) times.
    runs: Vec<(u32, File)>,
    rules: HashMap<String, Arc<RuleMeta>>,
    warning: Option<String>,
}

/// A run's findings, sorted and without duplicates.
pub struct Sorted {
    pub kept: Vec<Finding>,
    pub spilled: Option<Spilled>,
    /// Why findings stayed in memory although they were over the limit.
    pub warning: Option<String>,
    /// Why findings written to disk could not be read back.
    pub error: Option<String>,
}

impl Collector {
    pub fn new(limit: usize) -> Self {
        Collector {
            limit: limit.max(1),
            buffer: Vec::new(),
            runs: Vec::new(),
            rules: HashMap::new(),
            warning: None,
        }
    }

    /// Adds one unit's findings; `unit` is the unit's place in the plan.
    pub fn add(&mut self, unit: u64, findings: Vec<Finding>) {
        for (position, f) in findings.into_iter().enumerate() {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            self.buffer.push(((unit, position), f));
        }
        if self.buffer.len() >= self.limit {
            self.spill();
        }
    }

    fn spill(&mut self) {
        sort_and_dedup(&mut self.buffer);
        for (_, f) in &self.buffer {
            self.rules
                .entry(f.rule.id.clone())
                .or_insert_with(|| Arc::clone(&f.rule));
        }
        let written = write_run(self.buffer.iter().map(|(order, f)| Record::of(*order, f)));
        match written {
            Ok((file, _)) => {
                self.runs.push((0, file));
                self.buffer.clear();
                self.merge_full_levels();
            }
            Err(e) => {
                // Nothing is lost: the findings stay in memory, and so do
                // the rest.
                self.warning = Some(format!(
                    "cannot write findings to a temporary file ({e}); keeping them all in memory"
                ));
                self.limit = usize::MAX;
            }
        }
    }

    /// Merges the last `MERGE_FAN_IN` runs while they share a level. A merge
    /// that fails leaves its runs as they were; `finish` tries again.
    fn merge_full_levels(&mut self) {
        while self.runs.len() >= MERGE_FAN_IN {
            let group = &self.runs[self.runs.len() - MERGE_FAN_IN..];
            let level = group[0].0;
            if group.iter().any(|(l, _)| *l != level) {
                return;
            }
            if self.merge_last(level + 1).is_err() {
                return;
            }
        }
    }

    /// Replaces the last `MERGE_FAN_IN` runs with their merge, at `level`.
    fn merge_last(&mut self, level: u32) -> std::io::Result<()> {
        let group = self.runs.len().saturating_sub(MERGE_FAN_IN);
        let files: Vec<&File> = self.runs[group..].iter().map(|(_, f)| f).collect();
        let (file, _) = merge(&files, Vec::new())?;
        self.runs.truncate(group);
        self.runs.push((level, file));
        Ok(())
    }

    /// Sorts and drops duplicates. `keep_source_text` says whether findings
    /// read back from disk get their file's text again (for snippets).
    pub fn finish(mut self, keep_source_text: bool) -> Sorted {
        if self.runs.is_empty() {
            sort_and_dedup(&mut self.buffer);
            return Sorted {
                kept: self.buffer.into_iter().map(|(_, f)| f).collect(),
                spilled: None,
                warning: self.warning,
                error: None,
            };
        }
        if !self.buffer.is_empty() {
            self.spill();
        }
        let mut sorted = Sorted {
            kept: Vec::new(),
            spilled: None,
            warning: self.warning.take(),
            error: None,
        };
        // A failed spill leaves its findings in the buffer: merge them with
        // the runs already written.
        let leftover = std::mem::take(&mut self.buffer);
        while self.runs.len() > MERGE_FAN_IN {
            if let Err(e) = self.merge_last(0) {
                sorted.error = Some(format!(
                    "cannot merge the findings written to temporary files: {e}"
                ));
                return sorted;
            }
        }
        let files: Vec<&File> = self.runs.iter().map(|(_, f)| f).collect();
        match merge(&files, leftover) {
            Ok((file, len)) => {
                sorted.spilled = Some(Spilled {
                    file,
                    len,
                    rules: self.rules,
                    keep_source_text,
                    failure: Mutex::new(None),
                });
            }
            Err(e) => {
                sorted.error = Some(format!(
                    "cannot merge the findings written to temporary files: {e}"
                ));
            }
        }
        sorted
    }
}

fn sort_and_dedup(findings: &mut Vec<(Order, Finding)>) {
    findings.sort_by(|(oa, a), (ob, b)| finding::compare(a, b).then(oa.cmp(ob)));
    findings.dedup_by(|(_, a), (_, b)| finding::same(a, b));
}

/// Findings on disk, sorted, read back one at a time.
pub struct Spilled {
    file: File,
    len: usize,
    rules: HashMap<String, Arc<RuleMeta>>,
    keep_source_text: bool,
    failure: Mutex<Option<String>>,
}

impl std::fmt::Debug for Spilled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spilled")
            .field("file", &self.file)
            .field("len", &self.len)
            .finish()
    }
}

impl Spilled {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The findings in order. A read that fails ends the iteration early;
    /// `failure` then says why, so the run can fail instead of reporting
    /// fewer findings than it found.
    pub fn iter(&self) -> SpilledIter<'_> {
        let records = Some(
            serde_json::Deserializer::from_reader(BufReader::with_capacity(
                1 << 16,
                ReadAt::start(&self.file),
            ))
            .into_iter::<Record>(),
        );
        SpilledIter {
            owner: self,
            records,
            files: FileCache::new(self.keep_source_text),
        }
    }

    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }

    fn fail(&self, message: String) {
        if let Ok(mut failure) = self.failure.lock() {
            failure.get_or_insert(message);
        }
    }

    /// Splits off the findings `take` picks (the baseline's, which a
    /// baseline file already lists, so they are few enough to hold) from
    /// the rest, which stay on disk.
    pub fn split_off(self, mut take: impl FnMut(&Finding) -> bool) -> (Spilled, Vec<Finding>) {
        let mut taken = Vec::new();
        let written = write_run(self.iter().filter_map(|f| {
            if take(&f) {
                taken.push(f);
                None
            } else {
                Some(Record::of((0, 0), &f))
            }
        }));
        match written {
            Ok((file, len)) => {
                let failure = Mutex::new(self.failure());
                let rest = Spilled {
                    file,
                    len,
                    rules: self.rules,
                    keep_source_text: self.keep_source_text,
                    failure,
                };
                (rest, taken)
            }
            Err(e) => {
                // Every finding is reported as new, and the run fails,
                // rather than some being lost.
                self.fail(format!("cannot write findings to a temporary file: {e}"));
                (self, Vec::new())
            }
        }
    }
}

pub struct SpilledIter<'a> {
    owner: &'a Spilled,
    records: Option<
        serde_json::StreamDeserializer<
            'static,
            serde_json::de::IoRead<BufReader<ReadAt<'a>>>,
            Record,
        >,
    >,
    files: FileCache,
}

impl Iterator for SpilledIter<'_> {
    type Item = Finding;

    fn next(&mut self) -> Option<Finding> {
        let record = match self.records.as_mut()?.next()? {
            Ok(record) => record,
            Err(e) => {
                self.owner
                    .fail(format!("cannot read the findings written to disk: {e}"));
                self.records = None;
                return None;
            }
        };
        let Some(rule) = self.owner.rules.get(&record.rule) else {
            self.owner.fail(format!(
                "the findings written to disk name rule {}, which this run did not load",
                record.rule
            ));
            self.records = None;
            return None;
        };
        Some(record.into_finding(Arc::clone(rule), &mut self.files))
    }
}

/// A finding as written to disk: its rule by id and its files by name.
#[derive(Serialize, Deserialize)]
struct Record {
    order: Order,
    rule: String,
    message: String,
    label: Option<String>,
    at: Place,
    resource: Option<String>,
    unit: String,
    path: Vec<Seg>,
    related: Vec<(Place, String)>,
}

#[derive(Serialize, Deserialize)]
struct Place {
    path: PathBuf,
    display: String,
    span: Span,
    start: LineCol,
    end: LineCol,
}

impl Place {
    fn of(file: &SourceFile, span: Span, start: LineCol, end: LineCol) -> Self {
        Place {
            path: file.path.clone(),
            display: file.display.clone(),
            span,
            start,
            end,
        }
    }
}

impl Record {
    fn of(order: Order, f: &Finding) -> Self {
        Record {
            order,
            rule: f.rule.id.clone(),
            message: f.message.clone(),
            label: f.label.clone(),
            at: Place::of(&f.file, f.span, f.start, f.end),
            resource: f.resource.clone(),
            unit: f.unit.clone(),
            path: f.path.clone(),
            related: f
                .related
                .iter()
                .map(|r| {
                    (
                        Place::of(&r.file, r.span, r.start, r.end),
                        r.message.clone(),
                    )
                })
                .collect(),
        }
    }

    /// The order of `Finding::sort_key`, then the plan's.
    fn cmp_key(&self, other: &Record) -> Ordering {
        (
            self.at.display.as_str(),
            self.at.start,
            self.rule.as_str(),
            self.at.end,
            self.message.as_str(),
            self.order,
        )
            .cmp(&(
                other.at.display.as_str(),
                other.at.start,
                other.rule.as_str(),
                other.at.end,
                other.message.as_str(),
                other.order,
            ))
    }

    fn into_finding(self, rule: Arc<RuleMeta>, files: &mut FileCache) -> Finding {
        let file = files.get(&self.at);
        let related = self
            .related
            .into_iter()
            .map(|(place, message)| Related {
                file: files.get(&place),
                span: place.span,
                start: place.start,
                end: place.end,
                message,
            })
            .collect();
        Finding {
            rule,
            message: self.message,
            label: self.label,
            span: self.at.span,
            start: self.at.start,
            end: self.at.end,
            file,
            resource: self.resource,
            unit: self.unit,
            path: self.path,
            related,
        }
    }
}

/// Writes records, one JSON object per line, to a new temporary file.
fn write_run(records: impl Iterator<Item = Record>) -> std::io::Result<(File, usize)> {
    // Without a name: the system deletes it when clause exits, however it
    // exits (an interrupted run left `clause-findings-*` files behind).
    let file = tempfile::tempfile()?;
    let mut out = BufWriter::with_capacity(1 << 16, &file);
    let mut len = 0;
    for record in records {
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
        len += 1;
    }
    out.flush()?;
    drop(out);
    Ok((file, len))
}

/// The head of one sorted run, ordered for a min-heap.
struct Head {
    record: Record,
    run: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        other.record.cmp_key(&self.record)
    }
}

type Records<'a> =
    serde_json::StreamDeserializer<'static, serde_json::de::IoRead<BufReader<ReadAt<'a>>>, Record>;

/// Reads a file from an offset through a cursor of its own. The temporary
/// files have no name to open again, and the findings file may be read
/// more than once (a baseline, then the report), or from several threads
/// (the plan).
pub(crate) struct ReadAt<'a> {
    file: &'a File,
    at: u64,
}

impl<'a> ReadAt<'a> {
    pub(crate) fn start(file: &'a File) -> Self {
        ReadAt::from(file, 0)
    }

    pub(crate) fn from(file: &'a File, at: u64) -> Self {
        ReadAt { file, at }
    }
}

impl std::io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let read = std::os::unix::fs::FileExt::read_at(self.file, buf, self.at)?;
        #[cfg(windows)]
        let read = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.at)?;
        self.at += read as u64;
        Ok(read)
    }
}

/// Merges sorted runs (and findings a failed spill left in memory) into one
/// sorted file without duplicates.
fn merge(runs: &[&File], leftover: Vec<(Order, Finding)>) -> std::io::Result<(File, usize)> {
    let mut readers: Vec<Box<dyn Iterator<Item = std::io::Result<Record>> + '_>> = Vec::new();
    for run in runs {
        let records: Records<'_> = serde_json::Deserializer::from_reader(BufReader::with_capacity(
            1 << 16,
            ReadAt::start(run),
        ))
        .into_iter();
        readers.push(Box::new(records.map(|r| r.map_err(std::io::Error::from))));
    }
    if !leftover.is_empty() {
        let mut leftover = leftover;
        sort_and_dedup(&mut leftover);
        readers.push(Box::new(
            leftover
                .into_iter()
                .map(|(order, f)| Ok(Record::of(order, &f))),
        ));
    }
    let mut heap = BinaryHeap::new();
    for (run, reader) in readers.iter_mut().enumerate() {
        if let Some(record) = reader.next() {
            heap.push(Head {
                record: record?,
                run,
            });
        }
    }
    let mut error = None;
    let mut last: Option<(String, String, (u32, u32), String)> = None;
    let merged = std::iter::from_fn(|| {
        loop {
            let Head { record, run } = heap.pop()?;
            match readers[run].next() {
                Some(Ok(next)) => heap.push(Head { record: next, run }),
                Some(Err(e)) => {
                    error = Some(e);
                    return None;
                }
                None => {}
            }
            // `finding::same`: duplicates are adjacent in this order, and
            // the first (in plan order) is the one kept.
            let key = (
                record.rule.clone(),
                record.at.display.clone(),
                (record.at.span.start, record.at.span.end),
                record.message.clone(),
            );
            if last.as_ref() == Some(&key) {
                continue;
            }
            last = Some(key);
            return Some(record);
        }
    });
    let written = write_run(merged);
    if let Some(e) = error {
        return Err(e);
    }
    written
}

/// The few files findings read back from disk point into. Findings come
/// sorted by file, so a handful of recent ones serve nearly every lookup.
struct FileCache {
    keep_source_text: bool,
    recent: Vec<Arc<SourceFile>>,
}

const RECENT_FILES: usize = 8;

impl FileCache {
    fn new(keep_source_text: bool) -> Self {
        FileCache {
            keep_source_text,
            recent: Vec::with_capacity(RECENT_FILES),
        }
    }

    fn get(&mut self, place: &Place) -> Arc<SourceFile> {
        if let Some(i) = self
            .recent
            .iter()
            .position(|f| f.path == place.path && f.display == place.display)
        {
            let file = self.recent.remove(i);
            self.recent.insert(0, Arc::clone(&file));
            return file;
        }
        let detached = || {
            Arc::new(SourceFile::new(
                place.path.clone(),
                place.display.clone(),
                String::new(),
            ))
        };
        let file = if self.keep_source_text {
            // Read again for its snippet; a file gone since is shown by name.
            crate::check::read_source(&place.path, u64::MAX)
                .ok()
                .map(|read| {
                    // The name as the finding was reported under, which
                    // depends on how the run was started.
                    let text = Arc::try_unwrap(read).map_or_else(|f| f.text.clone(), |f| f.text);
                    Arc::new(SourceFile::new(
                        place.path.clone(),
                        place.display.clone(),
                        text,
                    ))
                })
                .unwrap_or_else(detached)
        } else {
            detached()
        };
        self.recent.truncate(RECENT_FILES - 1);
        self.recent.insert(0, Arc::clone(&file));
        file
    }
}

/// The findings of an outcome, whether held in memory or read back.
pub fn all<'a>(
    kept: &'a [Finding],
    spilled: Option<&'a Spilled>,
) -> impl Iterator<Item = Cow<'a, Finding>> + 'a {
    kept.iter()
        .map(Cow::Borrowed)
        .chain(spilled.into_iter().flat_map(|s| s.iter().map(Cow::Owned)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &Arc<RuleMeta>, file: &Arc<SourceFile>, line: usize, unit: &str) -> Finding {
        let at = LineCol { line, column: 1 };
        Finding {
            rule: Arc::clone(rule),
            message: "m".into(),
            label: None,
            file: Arc::clone(file),
            span: Span::new(0, line * 10, line * 10 + 5),
            start: at,
            end: LineCol { line, column: 6 },
            resource: None,
            unit: unit.into(),
            path: vec![Seg::Key("k".into()), Seg::Index(line)],
            related: Vec::new(),
        }
    }

    #[test]
    fn runs_on_disk_merge_into_the_order_memory_gives() {
        let rules = crate::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        let rule = Arc::clone(&rules.rules[0].meta);
        let file = SourceFile::shared("a.tf".into(), "a.tf".into(), String::new());
        let f = |line, unit| finding(&rule, &file, line, unit);
        // A limit of two writes a run on every add. Unit 1 comes before
        // unit 5 in the plan although it finishes later, so its copy of the
        // finding both report (line 1) is the one kept.
        let mut on_disk = Collector::new(2);
        let mut in_memory = Collector::new(usize::MAX);
        for collector in [&mut on_disk, &mut in_memory] {
            collector.add(5, vec![f(3, "u5"), f(1, "u5")]);
            collector.add(1, vec![f(1, "u1"), f(2, "u1")]);
        }
        let (on_disk, in_memory) = (on_disk.finish(false), in_memory.finish(false));
        let spilled = on_disk.spilled.expect("written to disk");
        assert!(on_disk.kept.is_empty() && in_memory.spilled.is_none());
        assert_eq!(spilled.len(), 3);
        let seen = |f: &Finding| (f.start.line, f.unit.clone(), f.path.clone());
        let read: Vec<_> = spilled.iter().map(|f| seen(&f)).collect();
        let held: Vec<_> = in_memory.kept.iter().map(seen).collect();
        assert_eq!(read, held);
        let order: Vec<(usize, &str)> = read.iter().map(|(l, u, _)| (*l, u.as_str())).collect();
        assert_eq!(order, [(1, "u1"), (2, "u1"), (3, "u5")]);
        assert_eq!(spilled.failure(), None);
        // Splitting off a baseline's findings keeps the rest on disk.
        let (rest, taken) = spilled.split_off(|f| f.start.line == 2);
        assert_eq!(taken.len(), 1);
        let left: Vec<usize> = rest.iter().map(|f| f.start.line).collect();
        assert_eq!((rest.len(), left), (2, vec![1, 3]));
    }

    #[test]
    fn thousands_of_runs_merge_a_few_at_a_time() {
        let rules = crate::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        let rule = Arc::clone(&rules.rules[0].meta);
        let file = SourceFile::shared("a.tf".into(), "a.tf".into(), String::new());
        // 3,000 runs of one finding each, every line reported by two units:
        // merged all at once they needed 3,000 open files.
        let mut on_disk = Collector::new(1);
        let mut in_memory = Collector::new(usize::MAX);
        for unit in (0..2u64).rev() {
            for line in (0..1500).rev() {
                for collector in [&mut on_disk, &mut in_memory] {
                    collector.add(unit, vec![finding(&rule, &file, line, &format!("u{unit}"))]);
                }
                assert!(
                    on_disk.runs.len() < 2 * MERGE_FAN_IN,
                    "{}",
                    on_disk.runs.len()
                );
            }
        }
        let (on_disk, in_memory) = (on_disk.finish(false), in_memory.finish(false));
        assert_eq!(on_disk.error, None);
        let spilled = on_disk.spilled.expect("written to disk");
        let seen = |f: &Finding| (f.start.line, f.unit.clone());
        let read: Vec<_> = spilled.iter().map(|f| seen(&f)).collect();
        let held: Vec<_> = in_memory.kept.iter().map(seen).collect();
        assert_eq!(read.len(), 1500);
        assert_eq!(read, held);
        assert!(read.iter().all(|(_, unit)| unit == "u0"));
    }
}
