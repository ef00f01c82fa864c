//! A cluster's objects as text, held compressed until they may be written. `render` serialises
//! each cluster's objects while they are generated for the checks, so that they are generated
//! once, not twice; but nothing is written before every cluster passed them, so the whole
//! fleet's text waits in memory. At Solo's 2,000-cluster benchmark shape that text is several
//! gigabytes; LZ4 keeps it at about a fourteenth, and undoes it faster than it is written.

use super::{Format, cluster_files, write_stream};
use crate::translate::Output;
use anyhow::{Context, Result};
use std::io::Write;

/// Text, compressed: the stream [`write_stream`] makes of some objects, or the files of a tree.
pub struct Packed {
    /// The length of the text, which the block format does not record.
    len: usize,
    block: Vec<u8>,
}

impl Packed {
    /// The YAML stream of `outputs`, as [`write_stream`] writes it. YAML only: the streams of
    /// several clusters are joined, and JSON's `List`s cannot be.
    pub fn yaml_stream(outputs: &[&Output]) -> Result<Self> {
        let mut text = Vec::new();
        write_stream(outputs, Format::Yaml, &mut text)?;
        Ok(Self::of(&text))
    }

    fn of(text: &[u8]) -> Self {
        Packed {
            len: text.len(),
            block: lz4_flex::block::compress(text),
        }
    }

    fn unpack(&self) -> Result<Vec<u8>> {
        lz4_flex::block::decompress(&self.block, self.len)
            .context("internal error: unpacking a cluster's objects held until the checks passed")
    }

    /// Writes the text to `out`.
    pub fn write_to(&self, out: &mut impl Write) -> Result<()> {
        out.write_all(&self.unpack()?)?;
        Ok(())
    }
}

/// One cluster's files of the `--out` tree, as [`cluster_files`] makes them, packed.
pub struct PackedFiles {
    /// How many objects the files hold (the `kustomization.yaml` is not one).
    pub objects: usize,
    /// The length of each file's path and of its text, in order; the packed text is the
    /// concatenation of every path and text.
    lengths: Vec<(u32, u32)>,
    text: Packed,
}

impl PackedFiles {
    /// The files of `outputs`, all of one cluster's, in `format`.
    pub fn of(outputs: &[&Output], format: Format) -> Result<Self> {
        Self::pack(&cluster_files(outputs, format)?, outputs.len())
    }

    fn pack(files: &[(String, String)], objects: usize) -> Result<Self> {
        let size = files.iter().map(|(path, text)| path.len() + text.len());
        let mut joined = Vec::with_capacity(size.sum());
        let mut lengths = Vec::with_capacity(files.len());
        for (path, text) in files {
            let length = |s: &String| {
                u32::try_from(s.len()).context("internal error: a generated file of 4 GiB or more")
            };
            lengths.push((length(path)?, length(text)?));
            joined.extend_from_slice(path.as_bytes());
            joined.extend_from_slice(text.as_bytes());
        }
        Ok(PackedFiles {
            objects,
            lengths,
            text: Packed::of(&joined),
        })
    }

    /// The files, sorted by path, as [`cluster_files`] made them.
    pub fn unpack(&self) -> Result<Vec<(String, String)>> {
        let joined = self.text.unpack()?;
        let mut rest = joined.as_slice();
        let mut take = |len: u32| -> Result<String> {
            let (part, after) = rest
                .split_at_checked(len as usize)
                .context("internal error: packed files shorter than their lengths")?;
            rest = after;
            String::from_utf8(part.to_vec()).context("internal error: packed files not UTF-8")
        };
        self.lengths
            .iter()
            .map(|&(path, text)| Ok((take(path)?, take(text)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_back_the_text_it_packed() {
        let text = "---\n# Source: c/ns/serviceentry-a.yaml\nkind: ServiceEntry\n".repeat(500);
        let packed = Packed::of(text.as_bytes());
        assert!(
            packed.block.len() < text.len() / 4,
            "repeated YAML packs small"
        );
        let mut out = Vec::new();
        packed.write_to(&mut out).unwrap();
        assert_eq!(out, text.as_bytes());
    }

    #[test]
    fn files_unpack_to_the_paths_and_texts_packed() {
        let files = vec![
            (
                "c/ns/serviceentry-a.yaml".to_owned(),
                "kind: ServiceEntry\n".to_owned(),
            ),
            ("c/kustomization.yaml".to_owned(), String::new()),
            (
                "c/ns/destinationrule-é.yaml".to_owned(),
                "name: é\n".repeat(40),
            ),
        ];
        let packed = PackedFiles::pack(&files, 2).unwrap();
        assert_eq!(packed.objects, 2);
        assert_eq!(packed.unpack().unwrap(), files);
    }

    #[test]
    fn an_empty_stream_packs_to_nothing_written() {
        let mut out = Vec::new();
        Packed::of(b"").write_to(&mut out).unwrap();
        assert!(out.is_empty());
    }
}
