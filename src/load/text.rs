//! A file's bytes as text: what the loader reads, and what a diagnostic reads back to quote a
//! line, decoded the same way.

use super::node::Pos;

/// A file's bytes as text: UTF-8, or UTF-16 with a byte-order mark (YAML 1.2 asks both of a
/// reader, and go-yaml, which kubectl reads with, takes both: PowerShell 5 writes
/// `kubectl get -o yaml > file` as UTF-16). Binary and other files are refused, with the reason
/// and the position of the first offending byte.
pub(crate) fn into_text(bytes: Vec<u8>) -> Result<String, (String, Pos)> {
    let text = match utf16_with_bom(&bytes) {
        Some(decoded) => decoded?,
        None => {
            if let Some(at) = bytes.iter().position(|b| *b == 0) {
                return Err((nul_reason(&bytes).to_owned(), byte_pos(&bytes, at)));
            }
            return String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                (
                    format!("it is not UTF-8 (invalid byte at offset {at})"),
                    byte_pos(e.as_bytes(), at),
                )
            });
        }
    };
    match text.find('\0') {
        Some(at) => Err((nul_reason(b"").to_owned(), byte_pos(text.as_bytes(), at))),
        None => Ok(text),
    }
}

/// Why a file with a NUL byte is refused: UTF-16 written without its byte-order mark has a NUL
/// beside every ASCII character, anything else is binary.
fn nul_reason(bytes: &[u8]) -> &'static str {
    let pairs = bytes.chunks_exact(2).take(64);
    let ascii_in_utf16 = pairs.len() >= 2
        && (pairs.clone().all(|p| p[0] != 0 && p[1] == 0)
            || pairs.clone().all(|p| p[0] == 0 && p[1] != 0));
    if ascii_in_utf16 {
        "it looks like UTF-16 without a byte-order mark (a NUL byte beside every character); save it as UTF-8, or as UTF-16 with its byte-order mark"
    } else {
        "it is binary (it holds NUL bytes), not YAML or JSON"
    }
}

/// The text of UTF-16 bytes that start with a byte-order mark (`FF FE` little-endian, `FE FF`
/// big-endian), or why they are not UTF-16; `None` without such a mark.
fn utf16_with_bom(bytes: &[u8]) -> Option<Result<String, (String, Pos)>> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut offset = 2;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                text.push(c);
                offset += 2 * c.len_utf16();
            }
            Err(_) => {
                let message = format!(
                    "it is UTF-16 by its byte-order mark, but holds a lone surrogate at byte offset {offset}"
                );
                return Some(Err((message, byte_pos(text.as_bytes(), text.len()))));
            }
        }
    }
    if body.len() % 2 == 1 {
        let message = format!(
            "it is UTF-16 by its byte-order mark, but ends in half a character (byte offset {offset})"
        );
        return Some(Err((message, byte_pos(text.as_bytes(), text.len()))));
    }
    Some(Ok(text))
}

/// The line and column (in characters) of byte `at`.
fn byte_pos(bytes: &[u8], at: usize) -> Pos {
    let before = &bytes[..at.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::{Pos, into_text};

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    }

    #[test]
    fn utf16_with_a_byte_order_mark_reads_as_its_text() {
        let text = "apiVersion: v1\nkind: Namespace # Café, 🚀\n";
        for little_endian in [true, false] {
            assert_eq!(into_text(utf16(text, little_endian)), Ok(text.to_owned()));
        }
    }

    #[test]
    fn broken_utf16_and_utf16_without_its_mark_are_named_as_such() {
        let mut lone = utf16("a: 1\nb: ", true);
        lone.extend([0x00, 0xD8, b'x', 0x00]);
        let (message, pos) = into_text(lone).unwrap_err();
        assert!(
            message.contains("lone surrogate at byte offset 18"),
            "{message}"
        );
        assert_eq!(pos, Pos::new(2, 4));
        let mut odd = utf16("a: 1\n", true);
        odd.push(b'x');
        let (message, _) = into_text(odd).unwrap_err();
        assert!(message.contains("half a character"), "{message}");
        let no_mark = utf16("apiVersion: v1\n", true)[2..].to_vec();
        let (message, _) = into_text(no_mark).unwrap_err();
        assert!(
            message.contains("UTF-16 without a byte-order mark"),
            "{message}"
        );
        let nul_in_utf16 = utf16("a: \u{0}\n", false);
        let (message, pos) = into_text(nul_in_utf16).unwrap_err();
        assert!(message.contains("binary"), "{message}");
        assert_eq!(pos, Pos::new(1, 4));
    }
}
