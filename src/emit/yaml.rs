//! A YAML writer for vdc's output (and for `diff`'s canonical text of any object): block style, two-space indent, sequences at their
//! key's column, `{}` and `[]` for empty collections, as serde-saphyr writes them, byte for byte
//! (`tests/yaml_writer.rs` holds the two to each other).
//!
//! It exists for speed: serialising tens of thousands of objects, serde-saphyr spends most of its
//! time deciding, string by string, whether a scalar needs quotes. Almost every string vdc writes
//! is a DNS name, a label or an enum value, which a byte scan can prove safe to leave plain; the
//! rare string it cannot prove safe is quoted exactly as serde-saphyr quotes it.
//!
//! Two deliberate differences: a string longer than 80 characters stays on one line, where
//! serde-saphyr folds it into a `>-` block scalar (a folded line moves whenever a word before it
//! changes, which makes GitOps diffs noisy for nothing), and a string with a line break is one
//! double-quoted line where serde-saphyr writes a `|` block.

use serde::ser::{self, Serialize};
use std::fmt::{self, Write as _};

/// `value` as one YAML document, ending in a newline (no `---`).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::with_capacity(2048);
    append_to(value, &mut out)?;
    Ok(out)
}

/// [`to_string`], appended to `out`: a stream of objects is written into one string, not a
/// string per object copied into it.
pub fn append_to<T: Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), Error> {
    let mut writer = Writer {
        out: std::mem::take(out),
        at: At::Top,
    };
    let written = value.serialize(&mut writer);
    *out = writer.out;
    written
}

/// Why a value could not be written: a type this writer does not support.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

fn unsupported(what: &str) -> Error {
    Error(format!("vdc's YAML writer does not write {what}"))
}

/// Where the next value goes.
#[derive(Debug, Clone, Copy)]
enum At {
    /// The document's root.
    Top,
    /// After `key:`, the key at this column.
    Key(usize),
    /// After `- `, the dash at this column.
    Dash(usize),
}

struct Writer {
    out: String,
    at: At,
}

impl Writer {
    fn indent(&mut self, column: usize) {
        self.out.extend(std::iter::repeat_n(' ', column));
    }

    /// A scalar in the current position, then the end of its line.
    fn scalar(&mut self, write: impl FnOnce(&mut String)) {
        if let At::Key(_) = self.at {
            self.out.push(' ');
        }
        write(&mut self.out);
        self.out.push('\n');
    }

    /// Starts a mapping (`sequence: false`) or a sequence in the current position.
    fn open(&mut self, sequence: bool) -> Compound<'_> {
        let parent = self.at;
        // A mapping's keys sit one step in from what holds it; a sequence's dashes sit at its
        // key's own column (`key:\n- item`), or one step in when it is an item itself.
        let column = match (parent, sequence) {
            (At::Top, _) => 0,
            (At::Key(key), false) => key + 2,
            (At::Key(key), true) => key,
            (At::Dash(dash), _) => dash + 2,
        };
        Compound {
            writer: self,
            parent,
            column,
            entries: 0,
        }
    }
}

/// An open mapping or sequence.
struct Compound<'w> {
    writer: &'w mut Writer,
    parent: At,
    column: usize,
    entries: usize,
}

impl Compound<'_> {
    /// Moves to where the next entry starts: the first entry of a mapping or sequence that is
    /// an item goes on the dash's line, every other one on a line of its own.
    fn next_line(&mut self) {
        let w = &mut *self.writer;
        match (self.entries, self.parent) {
            (0, At::Dash(_)) => {}
            (0, At::Key(_)) => {
                w.out.push('\n');
                w.indent(self.column);
            }
            _ => w.indent(self.column),
        }
        self.entries += 1;
    }

    fn key(&mut self, key: &str) {
        self.next_line();
        push_key(&mut self.writer.out, key);
        self.writer.out.push(':');
        self.writer.at = At::Key(self.column);
    }

    fn item(&mut self) {
        self.next_line();
        self.writer.out.push_str("- ");
        self.writer.at = At::Dash(self.column);
    }

    fn close(self, empty: &str) {
        if self.entries == 0 {
            self.writer.at = self.parent;
            self.writer.scalar(|out| out.push_str(empty));
        }
    }
}

/// `s` as a value: plain when a byte scan proves that safe, else as serde-saphyr quotes it.
fn push_value(out: &mut String, s: &str) {
    if is_plain(s, true) {
        out.push_str(s);
    } else if is_dotted_digits(s) {
        // Digits and dots (IP addresses above all): YAML 1.1 reads `1.2.3.4` as a float, and
        // serde-saphyr double-quotes every such string, so this skips asking it.
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        push_quoted(out, s, false);
    }
}

fn push_key(out: &mut String, s: &str) {
    if is_plain(s, false) {
        out.push_str(s);
    } else {
        push_quoted(out, s, true);
    }
}

/// Whether `s` reads back as the same string under YAML 1.1 and 1.2 when written plain: it
/// starts with a letter (so it is no number, date or indicator), holds only characters that are
/// never special in block style, and is none of the words either version reads as a bool, null
/// or float. `:` is allowed inside values (`spiffe://…`), never in keys, as serde-saphyr does.
fn is_plain(s: &str, value: bool) -> bool {
    let bytes = s.as_bytes();
    let Some(first) = bytes.first() else {
        return false;
    };
    first.is_ascii_alphabetic()
        && bytes.iter().all(|&b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'.' | b'_' | b'/')
                || (value && b == b':')
        })
        && bytes.last() != Some(&b':')
        && !is_reserved_word(s)
}

/// The plain words that YAML 1.1 or 1.2 reads as something other than a string.
fn is_reserved_word(s: &str) -> bool {
    s.len() <= 5
        && [
            "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf",
        ]
        .iter()
        .any(|word| s.eq_ignore_ascii_case(word))
}

fn is_dotted_digits(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// The rare string the scan cannot prove plain-safe, quoted exactly as serde-saphyr would. A
/// string serde-saphyr would spread over several lines (a block scalar) is written as a JSON
/// string instead: a double-quoted YAML scalar that holds any text on one line.
fn push_quoted(out: &mut String, s: &str, key: bool) {
    let single_line = if key {
        serde_saphyr::to_string(&std::collections::BTreeMap::from([(s, 0u8)]))
            .ok()
            .and_then(|text| text.strip_suffix(": 0\n").map(str::to_owned))
            .filter(|text| !text.starts_with("? "))
    } else {
        serde_saphyr::to_string(&[s])
            .ok()
            .and_then(|text| {
                text.strip_prefix("- ")
                    .and_then(|t| t.strip_suffix('\n'))
                    .map(str::to_owned)
            })
            .filter(|text| !text.starts_with(['|', '>']))
    };
    match single_line.filter(|text| !text.contains('\n')) {
        Some(text) => out.push_str(&text),
        None => {
            #[allow(clippy::expect_used, reason = "a string always serialises as JSON")]
            let json = serde_json::to_string(s).expect("a string is always valid JSON");
            out.push_str(&json);
        }
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.scalar(|out| out.push_str(if v { "true" } else { "false" }));
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.scalar(|out| {
            let _ = write!(out, "{v}");
        });
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.scalar(|out| {
            let _ = write!(out, "{v}");
        });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }

    /// vdc generates no floats, but `diff` re-writes objects read from files, which may hold
    /// them: they are spelt as serde-saphyr spells them (`.inf`, `1.0e+100`, …).
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        let text = serde_saphyr::to_string(&v).map_err(|err| Error(err.to_string()))?;
        self.scalar(|out| out.push_str(text.trim_end()));
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.scalar(|out| push_value(out, v));
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(unsupported("bytes"))
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.scalar(|out| out.push_str("null"));
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    /// `{variant: value}`, as serde's externally tagged enums are written.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut map = self.open(false);
        map.key(variant);
        value.serialize(&mut *map.writer)?;
        map.close("{}");
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(true))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(unsupported("tuples"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(unsupported("tuples"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported("tuple enum variants"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(false))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        Ok(self.open(false))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported("struct enum variants"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item();
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close("[]");
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.next_line();
        key.serialize(KeyWriter(&mut self.writer.out))?;
        self.writer.out.push(':');
        self.writer.at = At::Key(self.column);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close("{}");
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close("{}");
        Ok(())
    }
}

/// Writes a mapping key. vdc's maps are keyed by strings; anything else is refused.
struct KeyWriter<'a>(&'a mut String);

/// The [`ser::Serializer`] methods a key writer refuses.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, Error> {
            Err(unsupported("mapping keys other than strings"))
        })*
    };
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        push_key(self.0, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(unsupported("mapping keys other than strings"))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(unsupported("mapping keys other than strings"))
    }

    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}
