//! Source files as read once from disk, with what every later stage needs to
//! turn byte offsets into the lines and columns users see.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file's text, kept alive only as long as a document or finding needs it.
#[derive(Debug)]
pub struct SourceFile {
    /// Where the file is on disk (or `-` for stdin).
    pub path: PathBuf,
    /// The path as the user would type it: relative to the working directory,
    /// or as given on the command line.
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A byte range inside one of a document's files.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// Index into the owning document's `files`.
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: u32, start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// 1-based line and column; columns count characters, so a tab or an `é` is one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            path,
            display,
            text,
            line_starts,
        }
    }

    pub fn shared(path: PathBuf, display: String, text: String) -> Arc<Self> {
        Arc::new(Self::new(path, display, text))
    }

    /// The same file without its text: enough to name it, not to show it.
    pub fn detached(&self) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            display: self.display.clone(),
            text: String::new(),
            line_starts: vec![0],
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The position of a byte offset, clamped to the text.
    pub fn line_col(&self, byte: usize) -> LineCol {
        let byte = floor_char_boundary(&self.text, byte.min(self.text.len()));
        let line_index = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = self.text[line_start..byte].chars().count() + 1;
        LineCol {
            line: line_index + 1,
            column,
        }
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of a 1-based line and 0-based character column.
    pub fn byte_at(&self, line: usize, char_col: usize) -> usize {
        let start = self.line_start(line);
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(char_col)
            .map(|(i, _)| start + i)
            .unwrap_or(self.text.len())
    }

    pub fn slice(&self, span: Span) -> &str {
        let start = floor_char_boundary(&self.text, span.start as usize);
        let end = floor_char_boundary(&self.text, (span.end as usize).max(start));
        &self.text[start..end]
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Converts character indexes (as the YAML scanner counts) into byte offsets,
/// with a fast path for the common all-ASCII file.
pub struct CharToByte<'a> {
    text: &'a str,
    offsets: Option<Vec<u32>>,
}

impl<'a> CharToByte<'a> {
    pub fn new(text: &'a str) -> Self {
        let offsets = (!text.is_ascii()).then(|| {
            let mut v: Vec<u32> = text
                .char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .collect();
            v.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            v
        });
        CharToByte { text, offsets }
    }

    pub fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.text.len()),
            Some(v) => v
                .get(char_index)
                .map(|&b| b as usize)
                .unwrap_or(self.text.len()),
        }
    }
}

/// The path a user would type for `path`: relative to the working directory
/// when it lies beneath it, otherwise as given, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    // Read once: asking the system for every file of a large tree was a
    // sixth of discovery, and clause never changes its working directory.
    static WORKING_DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let mut shown = path.to_path_buf();
    if path.is_absolute()
        && let Some(cwd) = WORKING_DIR.get_or_init(|| std::env::current_dir().ok())
        && let Ok(rel) = path.strip_prefix(cwd)
    {
        shown = if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel.to_path_buf()
        };
    }
    let text = shown.to_string_lossy().replace('\\', "/");
    let mut text = text.as_str();
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    if text.is_empty() {
        ".".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("x".into(), "x".into(), "a: é\nbé: 1\n".into());
        let at = f.text.find("1").unwrap();
        assert_eq!(f.line_col(at), LineCol { line: 2, column: 5 });
    }

    #[test]
    fn char_index_maps_to_byte_offset() {
        let text = "é€a";
        let map = CharToByte::new(text);
        assert_eq!(map.byte(2), 5);
        assert_eq!(map.byte(3), 6);
    }

    #[test]
    fn display_strips_dot_prefix() {
        assert_eq!(display_path(Path::new("./a/b.tf")), "a/b.tf");
        assert_eq!(display_path(Path::new(".")), ".");
    }
}
