//! A set of name keys that a run builds from keys given in any order and
//! then asks about, in a bounded memory: past a budget, sorted runs of keys
//! go to unnamed temporary files and are merged into one, of fixed 16-byte
//! records, beside an index of every `BLOCK`th key. A lookup then reads one
//! block of it (4 KB, from the page cache on any machine that has the
//! memory). For what a run must know about every file of a kind once all
//! are read (which Ansible files some playbook runs), so that a repository
//! of a million task files costs disk, not memory.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};

use crate::name_key::NameKey;
use crate::spill::ReadAt;

const KEY_BYTES: usize = 16;

/// Keys per block of the merged file: the index holds one key for each,
/// 1/256 of the set.
const BLOCK: usize = 256;

/// How many runs one merge reads at once, each through its own buffer.
const MERGE_FAN_IN: usize = 32;

/// Each run's read buffer in a merge: 32 of them are 512 KB.
const MERGE_BUFFER: usize = 16 << 10;

pub struct KeySetBuilder {
    /// How many keys to hold before sorting them to disk.
    budget: usize,
    keys: Vec<NameKey>,
    runs: Vec<File>,
}

/// The keys, sorted, each once.
pub enum KeySet {
    Memory(Vec<NameKey>),
    Disk {
        file: File,
        len: usize,
        /// The first key of each block.
        index: Vec<NameKey>,
    },
}

impl Default for KeySet {
    fn default() -> Self {
        KeySet::Memory(Vec::new())
    }
}

impl KeySetBuilder {
    /// `budget`: about how many bytes of keys to hold in memory.
    pub fn new(budget: usize) -> Self {
        KeySetBuilder {
            budget: (budget / KEY_BYTES).max(1),
            keys: Vec::new(),
            runs: Vec::new(),
        }
    }

    pub fn extend(&mut self, keys: &[NameKey]) -> io::Result<()> {
        for &key in keys {
            self.push(key)?;
        }
        Ok(())
    }

    pub fn push(&mut self, key: NameKey) -> io::Result<()> {
        if self.keys.len() >= self.budget {
            // The same task file comes once for each playbook running it:
            // duplicates go before anything is written, and a run is
            // written only when over half of what is held is distinct.
            self.keys.sort_unstable();
            self.keys.dedup();
            if self.keys.len() > self.budget / 2 {
                self.write_run()?;
            }
        }
        if self.keys.capacity() == self.keys.len() {
            let room = self.keys.len().max(64).min(self.budget - self.keys.len());
            self.keys.reserve_exact(room.max(1));
        }
        self.keys.push(key);
        Ok(())
    }

    fn write_run(&mut self) -> io::Result<()> {
        let run = match to_file(self.keys.iter().map(|&k| Ok(k)), false) {
            Ok(((run, _), _)) => run,
            // No temporary file can be written (a read-only /tmp): the keys
            // stay in memory, as findings do in `spill`. Once some are on
            // disk, the error stands.
            Err(_) if self.runs.is_empty() => {
                self.budget = usize::MAX;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        self.keys.clear();
        self.runs.push(run);
        if self.runs.len() >= MERGE_FAN_IN {
            let runs = std::mem::take(&mut self.runs);
            let (merged, _) = merge(&runs, false)?;
            self.runs.push(merged.0);
        }
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<KeySet> {
        self.keys.sort_unstable();
        self.keys.dedup();
        if self.runs.is_empty() {
            self.keys.shrink_to_fit();
            return Ok(KeySet::Memory(self.keys));
        }
        if !self.keys.is_empty() {
            self.write_run()?;
        }
        let runs = std::mem::take(&mut self.runs);
        let ((file, len), index) = merge(&runs, true)?;
        Ok(KeySet::Disk { file, len, index })
    }
}

impl KeySet {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        match self {
            KeySet::Memory(keys) => keys.len(),
            KeySet::Disk { len, .. } => *len,
        }
    }

    pub fn on_disk(&self) -> bool {
        matches!(self, KeySet::Disk { .. })
    }

    pub fn contains(&self, key: &NameKey) -> io::Result<bool> {
        match self {
            KeySet::Memory(keys) => Ok(keys.binary_search(key).is_ok()),
            KeySet::Disk { file, len, index } => {
                let block = match index.partition_point(|first| first <= key) {
                    0 => return Ok(false),
                    after => after - 1,
                };
                let start = block * BLOCK;
                let count = BLOCK.min(len - start);
                let mut block = [0u8; BLOCK * KEY_BYTES];
                let block = &mut block[..count * KEY_BYTES];
                ReadAt::from(file, (start * KEY_BYTES) as u64).read_exact(block)?;
                let at = |i: usize| key_of(&block[i * KEY_BYTES..(i + 1) * KEY_BYTES]);
                let (mut low, mut high) = (0, count);
                while low < high {
                    let middle = low + (high - low) / 2;
                    match at(middle).cmp(key) {
                        std::cmp::Ordering::Less => low = middle + 1,
                        std::cmp::Ordering::Greater => high = middle,
                        std::cmp::Ordering::Equal => return Ok(true),
                    }
                }
                Ok(false)
            }
        }
    }

    /// The keys in order, for tests and for callers that walk the set.
    pub fn iter(&self) -> io::Result<Box<dyn Iterator<Item = io::Result<NameKey>> + '_>> {
        match self {
            KeySet::Memory(keys) => Ok(Box::new(keys.iter().map(|&k| Ok(k)))),
            KeySet::Disk { file, .. } => Ok(Box::new(read(file))),
        }
    }
}

fn key_of(bytes: &[u8]) -> NameKey {
    let mut key = [0u8; KEY_BYTES];
    key.copy_from_slice(bytes);
    NameKey::from_bytes(key)
}

fn read(file: &File) -> impl Iterator<Item = io::Result<NameKey>> + '_ {
    let mut reader = BufReader::with_capacity(MERGE_BUFFER, ReadAt::start(file));
    std::iter::from_fn(move || {
        let mut key = [0u8; KEY_BYTES];
        match reader.read_exact(&mut key) {
            Ok(()) => Some(Ok(NameKey::from_bytes(key))),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => None,
            Err(e) => Some(Err(e)),
        }
    })
}

/// Writes sorted keys, each once, to a temporary file: with the first key
/// of each block when `indexed`.
fn to_file(
    keys: impl Iterator<Item = io::Result<NameKey>>,
    indexed: bool,
) -> io::Result<((File, usize), Vec<NameKey>)> {
    let file = tempfile::tempfile()?;
    let mut index = Vec::new();
    let mut len = 0;
    {
        let mut out = BufWriter::with_capacity(64 << 10, &file);
        let mut last = None;
        for key in keys {
            let key = key?;
            if last == Some(key) {
                continue;
            }
            if indexed && len % BLOCK == 0 {
                index.push(key);
            }
            out.write_all(&key.to_bytes())?;
            last = Some(key);
            len += 1;
        }
        out.flush()?;
    }
    index.shrink_to_fit();
    Ok(((file, len), index))
}

fn merge(runs: &[File], indexed: bool) -> io::Result<((File, usize), Vec<NameKey>)> {
    to_file(
        crate::sorted::merged(runs.iter().map(read).collect())?,
        indexed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> Vec<NameKey> {
        (0..n)
            .map(|i| NameKey::of(format!("tasks/{i}.yml").as_bytes()))
            .collect()
    }

    fn sorted(set: &KeySet) -> Vec<NameKey> {
        set.iter().unwrap().map(Result::unwrap).collect()
    }

    /// Keys pushed with repeats, in any order, come out sorted and once
    /// each, the same in memory as on disk through several merges.
    #[test]
    fn disk_and_memory_hold_the_same_keys() {
        let all = keys(5_000);
        let build = |budget: usize| {
            let mut builder = KeySetBuilder::new(budget);
            // Every key three times, the second and third from the end.
            for round in 0..3 {
                for (i, key) in all.iter().enumerate() {
                    if round == 0 || i % 2 == 0 {
                        builder.push(*key).unwrap();
                    } else {
                        builder.push(all[all.len() - 1 - i]).unwrap();
                    }
                }
            }
            builder.finish().unwrap()
        };
        let memory = build(usize::MAX);
        // 16 keys a run: past 32 runs, merges of merges.
        let disk = build(16 * KEY_BYTES);
        assert!(!memory.on_disk());
        assert!(disk.on_disk());
        let mut expected = all.clone();
        expected.sort();
        assert_eq!(sorted(&memory), expected);
        assert_eq!(sorted(&disk), expected);
        assert_eq!(disk.len(), 5_000);
        for key in &all {
            assert!(memory.contains(key).unwrap());
            assert!(disk.contains(key).unwrap());
        }
        // Absent keys, below the first, between and past the last.
        for absent in keys(5_300).iter().skip(5_000) {
            assert!(!disk.contains(absent).unwrap());
            assert!(!memory.contains(absent).unwrap());
        }
        assert!(!disk.contains(&NameKey::from_bytes([0; 16])).unwrap());
        assert!(!disk.contains(&NameKey::from_bytes([0xff; 16])).unwrap());
    }

    /// The memory a builder holds stays at its budget however many keys it
    /// is given.
    #[test]
    fn a_builder_holds_no_more_than_its_budget() {
        let mut builder = KeySetBuilder::new(1024 * KEY_BYTES);
        for key in keys(20_000) {
            builder.push(key).unwrap();
            assert!(builder.keys.capacity() <= 1024);
        }
        let set = builder.finish().unwrap();
        assert_eq!(set.len(), 20_000);
        let KeySet::Disk { index, .. } = &set else {
            panic!("20,000 keys past a budget of 1,024 stay in memory");
        };
        assert_eq!(index.len(), 20_000usize.div_ceil(BLOCK));
    }
}
