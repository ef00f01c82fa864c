//! The input's files as diagnostics quote them. A file read from disk keeps its text only while
//! its documents are parsed and decoded; after that it keeps where it is and the digest of its
//! bytes, and a diagnostic printed later reads its line back, only from a file that still has
//! those bytes. A large input's text is then never held for the whole run.

use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The SHA-256 of a file's bytes as vdc read them.
pub type FileDigest = [u8; 32];

/// The digest of `bytes`.
pub fn digest(bytes: &[u8]) -> FileDigest {
    Sha256::digest(bytes).into()
}

/// One source file, kept so diagnostics can quote the offending line.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to INPUT, `/`-separated on every platform.
    pub path: Arc<str>,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// The text itself: while the file is decoded, and for files given as bytes.
    Text {
        text: String,
        /// Where some lines start, built the first time a line is asked for (see
        /// [`LineIndex`]): quoting the lines of tens of thousands of diagnostics then costs one
        /// pass over the file, not one per line.
        line_index: OnceLock<LineIndex>,
    },
    /// The text was let go of once the documents were decoded (see [`SourceFile::forget_text`]).
    OnDisk {
        location: PathBuf,
        /// The number of bytes read: a file read back is read no further than that.
        len: u64,
        digest: FileDigest,
    },
}

/// What reading a file back for a diagnostic found.
#[derive(Debug)]
pub enum Reread {
    /// The file as vdc read it, with its text.
    Same(SourceFile),
    /// The file is gone or no longer has the bytes vdc read: its lines cannot be quoted.
    Changed,
}

impl SourceFile {
    pub fn new(path: Arc<str>, text: String) -> Self {
        SourceFile {
            path,
            body: Body::Text {
                text,
                line_index: OnceLock::new(),
            },
        }
    }

    /// This file without its text: it is at `location` and had `len` bytes of `digest`.
    pub fn forget_text(&self, location: PathBuf, len: u64, digest: FileDigest) -> Self {
        SourceFile {
            path: self.path.clone(),
            body: Body::OnDisk {
                location,
                len,
                digest,
            },
        }
    }

    /// The text, unless it was let go of.
    pub fn text(&self) -> Option<&str> {
        match &self.body {
            Body::Text { text, .. } => Some(text),
            Body::OnDisk { .. } => None,
        }
    }

    /// The digest of the bytes read, for a file whose text was let go of.
    pub fn digest(&self) -> Option<&FileDigest> {
        match &self.body {
            Body::Text { .. } => None,
            Body::OnDisk { digest, .. } => Some(digest),
        }
    }

    /// Whether the text was let go of, so lines must be [`Self::reread`].
    pub fn is_on_disk(&self) -> bool {
        matches!(self.body, Body::OnDisk { .. })
    }

    /// Reads a file whose text was let go of back from disk, if it still has the same bytes. A
    /// file that kept its text cannot be read back: it is quoted from its text.
    pub fn reread(&self) -> Reread {
        let Body::OnDisk {
            location,
            len,
            digest: was,
        } = &self.body
        else {
            return Reread::Changed;
        };
        work::count(&work::REREADS, 1);
        // A file now longer than what was read is refused unread: it cannot have those bytes.
        let bytes = match crate::fsio::read_capped(location, *len, true) {
            Ok(bytes) if digest(&bytes) == *was => bytes,
            _ => return Reread::Changed,
        };
        // The same bytes, decoded as they were when read; not text (a binary file, reported as
        // such), it has no line to quote, as when it was read.
        let text = super::text::into_text(bytes).unwrap_or_default();
        Reread::Same(SourceFile::new(self.path.clone(), text))
    }

    /// Line `line` (1-based) without its line ending, as `str::lines` would give it; `None`
    /// when the text was let go of (see [`Self::reread`]).
    pub fn line(&self, line: u32) -> Option<&str> {
        self.line_within(line, usize::MAX)
    }

    /// [`Self::line`], or `None` when the line is longer than `max` bytes: a caller that would
    /// not use a long line need not pay for finding its end.
    pub fn line_within(&self, line: u32, max: usize) -> Option<&str> {
        let Body::Text { text, line_index } = &self.body else {
            return None;
        };
        let index = line_index.get_or_init(|| LineIndex::new(text));
        let start = index.start(text, line.checked_sub(1)?)?;
        let rest = &text.as_bytes()[start..];
        let window = &rest[..rest.len().min(max.saturating_add(2))];
        let found = window.iter().position(|b| *b == b'\n');
        work::count(&work::SCANNED, found.map_or(window.len(), |at| at + 1));
        let len = match found {
            Some(len) => len,
            None if window.len() == rest.len() => rest.len(),
            None => return None,
        };
        let text = &text[start..start + len];
        let text = text.strip_suffix('\r').unwrap_or(text);
        (text.len() <= max).then_some(text)
    }
}

/// Every [`LineIndex::EVERY`]-th line start, and the first line start past each
/// [`LineIndex::SPAN`] bytes: any line is found by scanning a bounded stretch from the nearest
/// checkpoint, and the index takes a small fraction of the text (a full index of a file of
/// empty lines would take 8 times the text).
#[derive(Debug, Default)]
struct LineIndex {
    /// (0-based line, byte offset of its start), ascending.
    checkpoints: Vec<(u32, u32)>,
}

impl LineIndex {
    const EVERY: u32 = 32;
    const SPAN: usize = 2048;

    fn new(text: &str) -> Self {
        let mut checkpoints = vec![(0, 0)];
        let (mut line, mut last) = (0u32, (0u32, 0usize));
        for (at, _) in text.bytes().enumerate().filter(|(_, b)| *b == b'\n') {
            line = line.saturating_add(1);
            let start = at + 1;
            if line - last.0 >= Self::EVERY || start - last.1 >= Self::SPAN {
                last = (line, start);
                checkpoints.push((line, u32::try_from(start).unwrap_or(u32::MAX)));
            }
        }
        LineIndex { checkpoints }
    }

    /// The byte offset where 0-based `line` starts.
    fn start(&self, text: &str, line: u32) -> Option<usize> {
        let at = self.checkpoints.partition_point(|(l, _)| *l <= line);
        let (mut current, offset) = *self.checkpoints.get(at.checked_sub(1)?)?;
        let mut offset = offset as usize;
        let bytes = text.as_bytes();
        while current < line {
            let step = bytes.get(offset..)?.iter().position(|b| *b == b'\n');
            work::count(
                &work::SCANNED,
                step.map_or(bytes.len() - offset, |at| at + 1),
            );
            offset += step? + 1;
            current += 1;
        }
        (offset < text.len()).then_some(offset)
    }
}

/// The work of quoting lines, counted on each thread, so that tests hold it to a bound by
/// counting rather than by the clock.
pub mod work {
    use std::cell::Cell;
    use std::thread::LocalKey;

    thread_local! {
        pub(super) static SCANNED: Cell<u64> = const { Cell::new(0) };
        pub(super) static REREADS: Cell<u64> = const { Cell::new(0) };
    }

    pub(super) fn count(counter: &'static LocalKey<Cell<u64>>, n: usize) {
        counter.with(|c| c.set(c.get().saturating_add(n as u64)));
    }

    /// Bytes of text this thread has scanned to find the lines it quoted.
    pub fn scanned() -> u64 {
        SCANNED.with(Cell::get)
    }

    /// Files this thread has read back from disk to quote their lines.
    pub fn rereads() -> u64 {
        REREADS.with(Cell::get)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_what_str_lines_gives() {
        let long = "x".repeat(5000);
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&match i % 7 {
                0 => String::new(),
                1 => long.clone(),
                2 => "a\r".to_owned(),
                _ => format!("line {i}"),
            });
            text.push('\n');
        }
        text.push_str("last");
        let file = SourceFile::new(Arc::from("f"), text.clone());
        let expected: Vec<&str> = text.lines().collect();
        for (i, line) in expected.iter().enumerate() {
            assert_eq!(file.line(i as u32 + 1), Some(*line), "line {}", i + 1);
        }
        assert_eq!(file.line(expected.len() as u32 + 1), None);
        assert_eq!(file.line(0), None);
        assert_eq!(file.line_within(2, 100), None);
        assert_eq!(file.line_within(4, 100), Some("line 3"));
        assert_eq!(SourceFile::new(Arc::from("e"), String::new()).line(1), None);
        let ends = SourceFile::new(Arc::from("n"), "a\n".to_owned());
        assert_eq!((ends.line(1), ends.line(2)), (Some("a"), None));
    }
}
