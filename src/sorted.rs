//! Records sorted with a bounded memory: past a budget, each full buffer is
//! sorted and written to an unnamed temporary file, and the files are merged
//! into one that can be read in order as often as needed. For reports that
//! need a run's findings in another order than the one `spill` keeps them in
//! (JUnit lists them by document and rule).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// How many files one merge reads at once (each with an open descriptor
/// and a buffer), as `spill` does.
const MERGE_FAN_IN: usize = 32;

pub struct Sorter<T> {
    budget: usize,
    held: usize,
    buffer: Vec<T>,
    runs: Vec<File>,
}

/// The records in order: in memory when they fit the budget, else in one
/// temporary file.
pub enum Sorted<T> {
    Memory(Vec<T>),
    Disk(File, PhantomData<T>),
}

impl<T: Ord + Serialize + DeserializeOwned> Sorter<T> {
    /// `budget`: about how many bytes of records to hold before writing
    /// them to disk.
    pub fn new(budget: usize) -> Self {
        Sorter {
            budget: budget.max(1),
            held: 0,
            buffer: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// `size`: about how many bytes `record` holds.
    pub fn push(&mut self, record: T, size: usize) -> io::Result<()> {
        self.buffer.push(record);
        self.held += size;
        if self.held >= self.budget {
            self.write_run()?;
        }
        Ok(())
    }

    fn write_run(&mut self) -> io::Result<()> {
        self.buffer.sort();
        let run = match to_file(self.buffer.iter().map(Ok)) {
            Ok(run) => run,
            // No temporary file can be written (a read-only /tmp): the
            // records stay in memory, as findings do in `spill`. Once some
            // are on disk, those cannot come back, and the error stands.
            Err(_) if self.runs.is_empty() => {
                self.budget = usize::MAX;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        self.buffer.clear();
        self.runs.push(run);
        self.held = 0;
        // The merged file is merged again with the next 31 runs: with the
        // 8 MB of JUnit's lines per run, that begins past 256 MB of lines.
        if self.runs.len() >= MERGE_FAN_IN {
            let runs = std::mem::take(&mut self.runs);
            self.runs.push(merge::<T>(runs)?);
        }
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<Sorted<T>> {
        if self.runs.is_empty() {
            self.buffer.sort();
            return Ok(Sorted::Memory(self.buffer));
        }
        if !self.buffer.is_empty() {
            self.write_run()?;
        }
        let file = match self.runs.len() {
            1 => self.runs.remove(0),
            _ => merge::<T>(std::mem::take(&mut self.runs))?,
        };
        Ok(Sorted::Disk(file, PhantomData))
    }
}

impl<T: DeserializeOwned + Clone> Sorted<T> {
    /// The records from the first, however many times it is called.
    pub fn iter(&self) -> io::Result<Box<dyn Iterator<Item = io::Result<T>> + '_>> {
        match self {
            Sorted::Memory(records) => Ok(Box::new(records.iter().cloned().map(Ok))),
            Sorted::Disk(file, _) => Ok(Box::new(read(file)?)),
        }
    }
}

fn to_file<T: Serialize>(records: impl Iterator<Item = io::Result<T>>) -> io::Result<File> {
    let file = tempfile::tempfile()?;
    {
        let mut out = BufWriter::with_capacity(64 * 1024, &file);
        for record in records {
            serde_json::to_writer(&mut out, &record?)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    Ok(file)
}

fn read<'a, T: DeserializeOwned + 'a>(
    file: &'a File,
) -> io::Result<impl Iterator<Item = io::Result<T>> + 'a> {
    let mut reader = file;
    reader.seek(SeekFrom::Start(0))?;
    Ok(
        serde_json::Deserializer::from_reader(BufReader::with_capacity(64 * 1024, reader))
            .into_iter::<T>()
            .map(|record| record.map_err(io::Error::other)),
    )
}

/// Merges sorted files into one; equal records keep the order of their
/// files.
fn merge<T: Ord + Serialize + DeserializeOwned>(runs: Vec<File>) -> io::Result<File> {
    let readers = runs.iter().map(read::<T>).collect::<io::Result<Vec<_>>>()?;
    to_file(merged(readers)?)
}

/// The records of sorted sequences in one sorted sequence; equal records
/// keep the order of their sequences.
pub(crate) fn merged<T: Ord>(
    mut readers: Vec<impl Iterator<Item = io::Result<T>>>,
) -> io::Result<impl Iterator<Item = io::Result<T>>> {
    let mut heap = BinaryHeap::new();
    for (index, reader) in readers.iter_mut().enumerate() {
        if let Some(record) = reader.next() {
            heap.push(Reverse((record?, index)));
        }
    }
    Ok(std::iter::from_fn(move || {
        let Reverse((record, index)) = heap.pop()?;
        match readers[index].next() {
            Some(Ok(next)) => heap.push(Reverse((next, index))),
            Some(Err(e)) => return Some(Err(e)),
            None => {}
        }
        Some(Ok(record))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the budget, the records come back sorted, all of them, and
    /// as many times as they are read.
    #[test]
    fn records_come_back_sorted_from_memory_or_disk() {
        let records: Vec<(String, u64)> = (0..5_000u64)
            .map(|n| (format!("unit-{}", (n * 7919) % 613), n))
            .collect();
        let mut expected = records.clone();
        expected.sort();
        // 1 byte: a file per record, merged 32 at a time as they pile up.
        for budget in [usize::MAX, 4_000, 1] {
            let mut sorter = Sorter::new(budget);
            for record in records.iter().cloned() {
                sorter.push(record, 10).unwrap();
            }
            let sorted = sorter.finish().unwrap();
            assert_eq!(
                matches!(sorted, Sorted::Disk(..)),
                budget != usize::MAX,
                "{budget}"
            );
            for _ in 0..2 {
                let back: Vec<(String, u64)> = sorted.iter().unwrap().map(Result::unwrap).collect();
                assert_eq!(back, expected, "{budget}");
            }
        }
    }
}
