//! The plan of a run: every unit it will read, in order. A plan grows with
//! the repository (on the 100k generated tree, nearly 400,000 files to
//! read; held in memory, with each folder stored once, it was the largest
//! thing such a run kept), so past a few megabytes it goes to an unnamed
//! temporary file and is read back as workers ask for units. A run's memory
//! then follows its largest unit, not the number of files; a small plan (a
//! pre-commit hook's, most repositories') never touches the disk.

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::discover::{Unit, UnitKind};
use crate::spill::ReadAt;

/// About how many bytes of units a plan holds in memory before it goes to
/// disk: some 30,000 files.
pub const IN_MEMORY: usize = 4 << 20;

/// How many units are written to disk at once.
const BATCH: usize = 256;

/// A path as the plan's file stores it: text when it is UTF-8, as nearly
/// every path is, and the platform's own form otherwise, so no name is
/// lost or changed on the way through the disk.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(untagged)]
pub enum PathText {
    Text(String),
    Os(OsString),
}

impl PathText {
    pub fn of(path: &OsStr) -> PathText {
        match path.to_str() {
            Some(text) => PathText::Text(text.to_owned()),
            None => PathText::Os(path.to_owned()),
        }
    }

    pub fn as_path(&self) -> &Path {
        match self {
            PathText::Text(text) => Path::new(text),
            PathText::Os(os) => Path::new(os),
        }
    }

    fn into_path(self) -> PathBuf {
        match self {
            PathText::Text(text) => text.into(),
            PathText::Os(os) => os.into(),
        }
    }
}

/// A unit as the plan's file holds it.
#[derive(Serialize, Deserialize)]
struct Stored {
    kind: UnitKind,
    paths: Vec<PathText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    focus: Option<BTreeSet<String>>,
}

impl Stored {
    fn of(unit: &Unit) -> Stored {
        Stored {
            kind: unit.kind.clone(),
            paths: unit
                .paths
                .iter()
                .map(|p| PathText::of(p.as_os_str()))
                .collect(),
            focus: unit.focus.as_deref().cloned(),
        }
    }

    fn into_unit(self) -> Unit {
        Unit {
            kind: self.kind,
            paths: self.paths.into_iter().map(PathText::into_path).collect(),
            focus: self.focus.map(Box::new),
        }
    }
}

/// Where a unit is in the plan, to read it again (an Ansible unit waiting
/// for every playbook's reach).
#[derive(Clone, Copy, Debug)]
pub enum UnitAt {
    Memory(usize),
    Disk(u64),
}

/// The units of a run, in the order they were planned.
#[derive(Debug, Default)]
pub struct Units {
    /// When the plan went to disk: the file and how many units it holds,
    /// the first of the plan.
    disk: Option<(File, usize)>,
    /// Where each block of `BLOCK` units starts in the file.
    marks: Vec<u64>,
    /// The units after those on disk: all of a small plan.
    memory: Vec<Unit>,
}

/// A unit of the plan, with its place in the order and where to read it
/// again.
pub type Planned = (usize, UnitAt, Unit);

/// How many units a block holds: workers take the plan block by block,
/// each from its own place, as they would take parts of a list. Two
/// workers going through the plan side by side from its start each built
/// the engines of every kind of rule at once (60 MB more on the shared
/// corpus); starting apart, each first needs only the rules of its part.
const BLOCK: usize = 256;

impl Units {
    pub fn len(&self) -> usize {
        self.on_disk() + self.memory.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many of the units are on disk.
    pub(crate) fn on_disk(&self) -> usize {
        self.disk.as_ref().map_or(0, |(_, count)| *count)
    }

    pub fn blocks(&self) -> usize {
        self.len().div_ceil(BLOCK)
    }

    /// Every unit, in order.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<Planned>> + Send + '_ {
        (0..self.blocks()).flat_map(|block| self.block(block))
    }

    /// The units of one block, in order, read from disk as they are asked
    /// for. A file that cannot be read back gives one error for the units
    /// of the block it still held.
    pub fn block(&self, block: usize) -> impl Iterator<Item = io::Result<Planned>> + Send + '_ {
        let first = block * BLOCK;
        let end = (first + BLOCK).min(self.len());
        let on_disk = self.on_disk();
        let from_disk =
            self.disk
                .iter()
                .filter(move |_| first < on_disk)
                .flat_map(move |(file, _)| {
                    let start = self.marks.get(block).copied().unwrap_or(u64::MAX);
                    let mut stream = serde_json::Deserializer::from_reader(
                        BufReader::with_capacity(1 << 14, ReadAt::from(file, start)),
                    )
                    .into_iter::<Stored>();
                    let last = end.min(on_disk);
                    let mut index = first;
                    std::iter::from_fn(move || {
                        if index >= last {
                            return None;
                        }
                        let at = start + stream.byte_offset() as u64;
                        let read = stream.next();
                        let left = last - index;
                        index += 1;
                        match read {
                            Some(Ok(stored)) => {
                                Some(Ok((index - 1, UnitAt::Disk(at), stored.into_unit())))
                            }
                            failed => {
                                index = last;
                                let cause = match failed {
                                    Some(Err(e)) => e.to_string(),
                                    _ => "the file ended early".into(),
                                };
                                Some(Err(io::Error::other(format!(
                                    "cannot read back the list of files to check ({left} units \
                                 left unread): {cause}"
                                ))))
                            }
                        }
                    })
                });
        let from_memory = (first.max(on_disk)..end).filter_map(move |index| {
            let n = index - on_disk;
            let unit = self.memory.get(n)?;
            Some(Ok((index, UnitAt::Memory(n), unit.clone())))
        });
        from_disk.chain(from_memory)
    }

    /// The unit `iter` gave at `at`.
    pub fn at(&self, at: UnitAt) -> io::Result<Unit> {
        match (at, &self.disk) {
            (UnitAt::Memory(n), _) => self
                .memory
                .get(n)
                .cloned()
                .ok_or_else(|| io::Error::other("no such unit in the plan")),
            (UnitAt::Disk(offset), Some((file, _))) => {
                let reader = BufReader::with_capacity(4096, ReadAt::from(file, offset));
                match serde_json::Deserializer::from_reader(reader)
                    .into_iter::<Stored>()
                    .next()
                {
                    Some(Ok(stored)) => Ok(stored.into_unit()),
                    Some(Err(e)) => Err(io::Error::other(format!(
                        "cannot read back the list of files to check: {e}"
                    ))),
                    None => Err(io::Error::other(
                        "cannot read back the list of files to check: the file ended early",
                    )),
                }
            }
            (UnitAt::Disk(_), None) => Err(io::Error::other("no such unit in the plan")),
        }
    }
}

/// Builds a plan unit by unit.
pub struct Writer {
    /// About how many bytes of units to hold before going to disk.
    budget: usize,
    /// Bytes of `memory`, about.
    held: usize,
    disk: Option<Disk>,
    /// Units not on disk: waiting to be written, or all of them when the
    /// plan fits in memory or the disk refused it.
    memory: Vec<Unit>,
    /// The temporary folder cannot be written: the plan stays in memory,
    /// as it did before plans went to disk.
    memory_only: bool,
}

struct Disk {
    file: File,
    units: usize,
    bytes: u64,
    marks: Vec<u64>,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::within(IN_MEMORY)
    }
}

impl Writer {
    pub fn within(budget: usize) -> Self {
        Writer {
            budget,
            held: 0,
            disk: None,
            memory: Vec::new(),
            memory_only: false,
        }
    }

    pub fn push(&mut self, unit: Unit) {
        self.held += unit
            .paths
            .iter()
            .map(|p| p.as_os_str().len() + 32)
            .sum::<usize>()
            + 64;
        self.memory.push(unit);
        if self.memory_only {
            return;
        }
        match &self.disk {
            None if self.held > self.budget => match tempfile::tempfile() {
                Ok(file) => {
                    self.disk = Some(Disk {
                        file,
                        units: 0,
                        bytes: 0,
                        marks: Vec::new(),
                    });
                    self.write();
                }
                Err(_) => self.memory_only = true,
            },
            Some(_) if self.memory.len() >= BATCH => self.write(),
            _ => {}
        }
    }

    /// Writes the units in memory after those on disk. When the disk
    /// refuses them, they and every later unit stay in memory; what a
    /// failed write left in the file is never read, as the file's units
    /// are counted.
    fn write(&mut self) {
        let Some(disk) = &mut self.disk else {
            return;
        };
        let mut text = Vec::new();
        let mut marks = Vec::new();
        for (n, unit) in self.memory.iter().enumerate() {
            if (disk.units + n).is_multiple_of(BLOCK) {
                marks.push(disk.bytes + text.len() as u64);
            }
            if serde_json::to_writer(&mut text, &Stored::of(unit)).is_err() {
                self.memory_only = true;
                return;
            }
            text.push(b'\n');
        }
        match disk.file.write_all(&text) {
            Ok(()) => {
                disk.units += self.memory.len();
                disk.bytes += text.len() as u64;
                disk.marks.append(&mut marks);
                self.memory.clear();
                self.held = 0;
            }
            Err(_) => self.memory_only = true,
        }
    }

    pub fn finish(mut self) -> Units {
        if !self.memory_only && !self.memory.is_empty() {
            self.write();
        }
        let (disk, marks) = match self.disk {
            Some(disk) => (Some((disk.file, disk.units)), disk.marks),
            None => (None, Vec::new()),
        };
        Units {
            disk,
            marks,
            memory: self.memory,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(n: usize) -> Unit {
        Unit {
            kind: if n.is_multiple_of(3) {
                UnitKind::TerraformModule
            } else {
                UnitKind::Yaml
            },
            paths: (0..1 + n % 4)
                .map(|f| PathBuf::from(format!("tree/{n:06}/file-{f}.yml")))
                .collect(),
            focus: n
                .is_multiple_of(7)
                .then(|| Box::new(BTreeSet::from([format!("tree/{n:06}")]))),
        }
    }

    fn describe(unit: &Unit) -> String {
        format!("{:?} {:?} {:?}", unit.kind, unit.paths, unit.focus)
    }

    /// A plan too large for memory comes back whole and in order, read in
    /// sequence or one unit at a time, as a small one does.
    #[test]
    fn units_come_back_in_order_from_memory_or_disk() {
        for count in [10, 60_000] {
            let mut writer = Writer::default();
            for n in 0..count {
                writer.push(unit(n));
            }
            let units = writer.finish();
            assert_eq!(units.len(), count);
            assert_eq!(units.disk.is_some(), count > 10, "{count}");
            let mut places = Vec::new();
            for (expected, read) in units.iter().enumerate() {
                let (index, at, read) = read.unwrap();
                assert_eq!(index, expected);
                assert_eq!(describe(&read), describe(&unit(expected)));
                places.push(at);
            }
            assert_eq!(places.len(), count);
            // Block by block, from the last: each starts where it should.
            let by_block: Vec<usize> = (0..units.blocks())
                .rev()
                .flat_map(|block| units.block(block))
                .map(|read| read.unwrap().0)
                .collect();
            let mut expected: Vec<usize> = (0..count).collect();
            expected.sort_by_key(|n| std::cmp::Reverse(n / BLOCK));
            assert_eq!(by_block, expected);
            for (n, at) in places.into_iter().enumerate().rev().step_by(997) {
                assert_eq!(describe(&units.at(at).unwrap()), describe(&unit(n)));
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_survive_the_disk() {
        use std::os::unix::ffi::OsStrExt;
        let odd = PathBuf::from(OsStr::from_bytes(b"tree/caf\xe9.yml"));
        let mut writer = Writer::default();
        for n in 0..40_000 {
            writer.push(unit(n));
        }
        writer.push(Unit {
            kind: UnitKind::Yaml,
            paths: Box::new([odd.clone()]),
            focus: None,
        });
        for n in 0..BATCH * 2 {
            writer.push(unit(n));
        }
        let units = writer.finish();
        assert!(units.disk.is_some());
        let read: Vec<Unit> = units.iter().map(|u| u.unwrap().2).collect();
        assert_eq!(read.len(), 40_001 + BATCH * 2);
        assert_eq!(&*read[40_000].paths, &[odd]);
    }
}
