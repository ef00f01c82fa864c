//! A fast path for `.json` files: JSON → [`Node`] trees, positions included.
//!
//! `kubectl get -o json` dumps are a large share of real input, and the YAML parser reads JSON
//! (which is YAML) many times slower than a parser that knows it is JSON. This reader only ever
//! answers when the whole text is plain JSON that it reads completely; anything else — a syntax
//! error, a duplicate key, nesting past the limit, YAML in a `.json` file — returns `None`, and
//! the file goes to the YAML parser, which reads it (or reports it) exactly as before. So the
//! trees are the ones the YAML parser builds: a test compares the two on every JSON input.

use super::node::MAX_DEPTH;
use super::node::{Key, Node, Pos, Value};
use super::tree_cost::{MAP_SLOT, SEQ_SLOT, collection_overhead, heap};

/// The document of a JSON text, or `None` when the YAML parser should read it instead.
#[cfg(test)]
pub fn parse(text: &str) -> Option<Vec<Node>> {
    parse_within(text, super::tree_cost::tree_budget(text.len()))
}

/// [`parse`] with the tree allowed `budget` bytes (see [`super::tree_cost`]).
pub fn parse_within(text: &str, budget: usize) -> Option<Vec<Node>> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        line_start: 0,
        counted: std::cell::Cell::new((0, 0)),
        memory_left: budget,
        spent: 0,
    };
    reader.skip_space();
    if reader.at == reader.bytes.len() {
        return None;
    }
    let node = reader.value(0, SEQ_SLOT)?;
    reader.skip_space();
    (reader.at == reader.bytes.len()).then(|| vec![node])
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    line: u32,
    /// Byte offset where the current line starts.
    line_start: usize,
    /// The last position asked for, as (byte offset, characters since the line start): the
    /// next column is counted from there, so a file on one line costs one pass, not one per node.
    counted: std::cell::Cell<(usize, usize)>,
    /// What the tree may still take, counted as the YAML parser counts it (see
    /// [`super::tree_cost`]): past that, the YAML parser is left to refuse the file with its
    /// message.
    memory_left: usize,
    /// What the tree built so far takes.
    spent: usize,
}

impl Reader<'_> {
    /// Position of the current byte: 1-based line, 1-based column in characters.
    fn pos(&self) -> Pos {
        let (mut from, mut column) = self.counted.get();
        if from < self.line_start || from > self.at {
            (from, column) = (self.line_start, 0);
        }
        let between = &self.text[from..self.at];
        column += if between.is_ascii() {
            between.len()
        } else {
            between.chars().count()
        };
        self.counted.set((self.at, column));
        Pos::new(self.line, u32::try_from(column + 1).unwrap_or(u32::MAX))
    }

    /// Takes `cost` from what the tree may still take; `None` past it, or past what the text
    /// read so far allows (see [`super::tree_cost::allowance_at`]).
    fn spend(&mut self, cost: usize) -> Option<()> {
        self.memory_left = self.memory_left.checked_sub(cost)?;
        self.spent = self.spent.saturating_add(cost);
        (self.spent <= super::tree_cost::allowance_at(self.at)).then_some(())
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                _ => break,
            }
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// The value at the current byte, which takes a slot of `slot` bytes in its parent.
    fn value(&mut self, depth: usize, slot: usize) -> Option<Node> {
        self.spend(slot)?;
        self.skip_space();
        let pos = self.pos();
        let value = match *self.bytes.get(self.at)? {
            b'{' if depth < MAX_DEPTH => self.object(depth)?,
            b'[' if depth < MAX_DEPTH => self.array(depth)?,
            b'"' => Value::Str(self.string()?),
            b't' => self.word("true", Value::Bool(true))?,
            b'f' => self.word("false", Value::Bool(false))?,
            b'n' => self.word("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        };
        Some(Node::new(value, pos))
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut entries: Vec<(Key, Node)> = Vec::new();
        if self.eat(b'}') {
            return Some(Value::Map(entries));
        }
        loop {
            self.skip_space();
            if self.bytes.get(self.at) != Some(&b'"') {
                return None;
            }
            let pos = self.pos();
            let name = self.string()?;
            // Duplicates are the YAML parser's to judge and report. (A JSON key is quoted, so
            // `"<<"` is an ordinary key to both readers, never a merge.)
            if entries.iter().any(|(k, _)| k.name == name) {
                return None;
            }
            if !self.eat(b':') {
                return None;
            }
            let value = self.value(depth + 1, MAP_SLOT)?;
            entries.push((Key { name, pos }, value));
            if self.eat(b'}') {
                entries.shrink_to_fit();
                self.spend(collection_overhead(entries.len(), MAP_SLOT))?;
                return Some(Value::Map(entries));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(Value::Seq(items));
        }
        loop {
            items.push(self.value(depth + 1, SEQ_SLOT)?);
            if self.eat(b']') {
                items.shrink_to_fit();
                self.spend(collection_overhead(items.len(), SEQ_SLOT))?;
                return Some(Value::Seq(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Option<Value> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            value
        })
    }

    /// A JSON number, read as the YAML reader resolves the same text.
    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        while let Some(b) = self.bytes.get(self.at) {
            match b {
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9' => self.at += 1,
                _ => break,
            }
        }
        let text = &self.text[start..self.at];
        if !is_json_number(text) {
            return None;
        }
        if let Ok(n) = text.parse::<i128>() {
            return Some(Value::Int(n));
        }
        text.parse::<f64>().ok().map(Value::Float)
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let start = self.at;
        // The common case: no escapes, so the string is a slice of the text.
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'"' => {
                    self.spend(heap(self.at - start))?;
                    let s = self.text[start..self.at].to_owned();
                    self.at += 1;
                    return Some(s);
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let mut out = self.text[start..self.at].to_owned();
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    self.spend(heap(out.len()))?;
                    return Some(out);
                }
                b'\\' => {
                    let escaped = *self.bytes.get(self.at + 1)?;
                    self.at += 2;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // Copy up to the next quote or escape in one go.
                    let from = self.at;
                    while let Some(&b) = self.bytes.get(self.at) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.at += 1;
                    }
                    out.push_str(&self.text[from..self.at]);
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining surrogate pairs.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.bytes.get(self.at..self.at + 2)? != b"\\u" {
            return None;
        }
        self.at += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        Some(value)
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let whole = i;
    match digits(&mut i) {
        0 => return false,
        n if n > 1 && b[whole] == b'0' => return false,
        _ => {}
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON reader must build exactly the tree the YAML parser builds, or decline; and
    /// count its memory as the YAML parser does, so a file is judged alike by either.
    fn same_as_yaml(text: &str) {
        use super::super::yaml::{parse_stream_within, tree_cost};
        let yaml = super::super::yaml::parse_stream(text).expect("valid YAML");
        assert_eq!(parse(text).as_ref(), Some(&yaml), "{text}");
        let cost = tree_cost(&yaml);
        assert_eq!(parse_within(text, cost).as_ref(), Some(&yaml), "{text}");
        assert!(parse_stream_within(text, cost).is_ok(), "{text}");
        assert_eq!(parse_within(text, cost - 1), None, "{text}");
        assert!(parse_stream_within(text, cost - 1).is_err(), "{text}");
    }

    #[test]
    fn builds_the_yaml_parsers_tree() {
        same_as_yaml(r#"{"a": 1, "b": [true, false, null, -2, 3.5, 1e3, "x"], "c": {}}"#);
        same_as_yaml("{\n  \"kind\": \"List\",\n  \"items\": [\n    {\"n\": 9080}\n  ]\n}\n");
        same_as_yaml(r#"{"esc": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "yes": "no"}"#);
        same_as_yaml("{\"é\": \"ü\", \"k\": \"ÿ\"}");
        same_as_yaml("[]");
        same_as_yaml("{\"<<\": {\"a\": 1}, \"b\": 2}");
        same_as_yaml("{\"big\": 123456789012345678901234567890}");
        same_as_yaml("{\"neg\": -0, \"exp\": 2E-3}");
    }

    #[test]
    fn every_json_file_of_the_testdata_reads_as_the_yaml_parser_reads_it() {
        let mut read = 0;
        for entry in walkdir::WalkDir::new("testdata") {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                same_as_yaml(&text);
                read += 1;
            }
        }
        assert!(read >= 4, "the testdata has JSON dumps: {read}");
    }

    #[test]
    fn declines_what_the_yaml_parser_must_judge() {
        for text in [
            "",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": 1,}",
            "{a: 1}",
            "[01]",
            "[1.]",
            "{\"a\": \"\\x\"}",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": 1} {}",
            "{\"a\": [1, 2}",
            "# comment\n{}",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), None);
    }
}
