//! An append-only log of byte records: in memory up to a budget, then in
//! an unnamed temporary file, read back in order as often as needed. For
//! what a run must keep about every unit of one kind until all are read
//! (which files each Ansible unit reaches), so that it costs disk, not
//! memory.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};

use crate::spill::ReadAt;

pub struct Spool {
    budget: usize,
    /// Records not on disk: waiting to be written, or all of them when
    /// they fit the budget or the disk refused them.
    memory: Vec<u8>,
    /// The file and how many bytes of records it holds.
    disk: Option<(File, u64)>,
    /// The temporary folder cannot be written: records stay in memory.
    memory_only: bool,
}

/// The records of a finished spool.
pub struct Log {
    disk: Option<(File, u64)>,
    memory: Vec<u8>,
}

impl Spool {
    /// `budget`: about how many bytes of records to hold in memory.
    pub fn new(budget: usize) -> Self {
        Spool {
            budget,
            memory: Vec::new(),
            disk: None,
            memory_only: false,
        }
    }

    pub fn push(&mut self, record: &[u8]) {
        self.memory
            .extend_from_slice(&(record.len() as u64).to_le_bytes());
        self.memory.extend_from_slice(record);
        if !self.memory_only && self.memory.len() >= self.budget {
            self.write();
        }
    }

    /// Appends the records in memory to the file. When the disk refuses
    /// them, they and every later record stay in memory; what a failed
    /// write left in the file is never read, as only the bytes written
    /// whole are counted.
    fn write(&mut self) {
        if self.disk.is_none() {
            match tempfile::tempfile() {
                Ok(file) => self.disk = Some((file, 0)),
                Err(_) => {
                    self.memory_only = true;
                    return;
                }
            }
        }
        let Some((file, written)) = &mut self.disk else {
            return;
        };
        match file.write_all(&self.memory) {
            Ok(()) => {
                *written += self.memory.len() as u64;
                self.memory.clear();
            }
            Err(_) => self.memory_only = true,
        }
    }

    pub fn finish(self) -> Log {
        Log {
            disk: self.disk,
            memory: self.memory,
        }
    }
}

impl Log {
    /// Every record, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<Vec<u8>>> + Send + '_ {
        let from_disk = self.disk.iter().flat_map(|(file, written)| {
            records(BufReader::with_capacity(1 << 16, ReadAt::start(file)).take(*written))
        });
        from_disk.chain(records(self.memory.as_slice()))
    }
}

/// The records of a reader, until it ends; an error ends them too.
fn records<R: Read>(mut reader: R) -> impl Iterator<Item = io::Result<Vec<u8>>> {
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed {
            return None;
        }
        let mut len = [0u8; 8];
        match reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return None,
            Err(e) => {
                failed = true;
                return Some(Err(e));
            }
        }
        let len = usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX);
        let mut record = Vec::new();
        if let Err(e) = (&mut reader).take(len as u64).read_to_end(&mut record)
            && e.kind() != io::ErrorKind::UnexpectedEof
        {
            failed = true;
            return Some(Err(e));
        }
        if record.len() != len {
            failed = true;
            return Some(Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a record ends early",
            )));
        }
        Some(Ok(record))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_in_order_from_memory_or_disk() {
        let records: Vec<Vec<u8>> = (0..3_000u32)
            .map(|n| n.to_le_bytes().repeat((n % 17) as usize))
            .collect();
        for budget in [usize::MAX, 1_000, 1] {
            let mut spool = Spool::new(budget);
            for record in &records {
                spool.push(record);
            }
            let log = spool.finish();
            assert_eq!(log.disk.is_some(), budget != usize::MAX, "{budget}");
            for _ in 0..2 {
                let back: Vec<Vec<u8>> = log.iter().map(Result::unwrap).collect();
                assert_eq!(back, records, "{budget}");
            }
        }
    }
}
