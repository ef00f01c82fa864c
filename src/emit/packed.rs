//! A cluster's stream of objects, held compressed until it may be written. `render` to stdout
//! serialises each cluster's objects while they are generated for the checks, so that they are
//! generated once, not twice; but nothing reaches stdout before every cluster passed them, so
//! the whole fleet's text waits in memory. At Solo's 2,000-cluster benchmark shape that text is
//! several gigabytes; LZ4 keeps it at about a fourteenth, and undoes it faster than stdout takes
//! it.

use super::{Format, write_stream};
use crate::translate::Output;
use anyhow::{Context, Result};
use std::io::Write;

/// The text [`write_stream`] makes of some objects, compressed.
pub struct Packed {
    /// The length of the text, which the block format does not record.
    len: usize,
    block: Vec<u8>,
}

impl Packed {
    /// The stream of `outputs` in `format`, as [`write_stream`] writes it.
    pub fn stream(outputs: &[&Output], format: Format) -> Result<Self> {
        let mut text = Vec::new();
        write_stream(outputs, format, &mut text)?;
        Ok(Self::of(&text))
    }

    fn of(text: &[u8]) -> Self {
        Packed {
            len: text.len(),
            block: lz4_flex::block::compress(text),
        }
    }

    /// Writes the text to `out`.
    pub fn write_to(&self, out: &mut impl Write) -> Result<()> {
        let text = lz4_flex::block::decompress(&self.block, self.len)
            .context("unpacking a cluster's objects held for stdout")?;
        out.write_all(&text)?;
        Ok(())
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
    fn an_empty_stream_packs_to_nothing_written() {
        let mut out = Vec::new();
        Packed::of(b"").write_to(&mut out).unwrap();
        assert!(out.is_empty());
    }
}
