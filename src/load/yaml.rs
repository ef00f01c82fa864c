//! YAML (and JSON, which is YAML) text → [`Node`] trees, built straight from the parser's events.
//!
//! vdc reads every input byte through here, so this is the parse floor of a run. Building the tree
//! from granit-parser's event stream (the parser serde-saphyr itself runs on) skips serde's
//! generic visitor and span-wrapper layers, which cost more than the scanning itself.
//!
//! What a document means is kept as vdc has always read it:
//! - quoted and block scalars are strings; `!!str`-tagged ones too;
//! - a plain scalar is null (`~`, `null`, empty), a boolean (`true`/`false` and the YAML 1.1 words
//!   `yes`/`no`/`on`/`off`/`y`/`n`, so `model` can warn that Kubernetes would read them so), an
//!   integer (decimal, `0x`, `0o`), a float (YAML 1.2 forms, `.inf`, `.nan`), else a string;
//! - a duplicate mapping key is an error (Kubernetes' strict decoding refuses them too);
//! - `<<` merge keys merge, aliases expand.
//!
//! Budgets keep hostile input bounded: nesting depth is capped, and alias expansion may not make
//! the tree much larger than the file (an alias bomb is refused before it is expanded).

use super::node::{Key, MAX_DEPTH, Node, Pos, SyntaxError, Value};
use super::tree_cost::{
    ANCHOR_SLOT, MAP_SLOT, SEQ_SLOT, allowance_at, collection_overhead, heap, owned, tree_budget,
};
pub use super::tree_cost::{TREE_FACTOR, TREE_SLACK, tree_budget_message, tree_cost};
use granit_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The memory anchors (their copies, held until the document ends) and alias expansion may add
/// to a file's trees: as much as the file's size, and at least this (as
/// [`tree_cost`](super::tree_cost) counts it). Dumps from `kubectl` have neither;
/// hand-written YAML uses a few. A file of anchors or aliases alone is refused once they take
/// this, long before the tree budget would stop it.
const MIN_EXPANSION_BUDGET: usize = 16 << 20;

/// Parses a stream of documents into one node per document.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, SyntaxError> {
    parse_stream_within(text, tree_budget(text.len()))
}

/// [`parse_stream`] with the trees allowed `budget` bytes (see [`tree_cost`]) rather than the
/// file's budget.
pub fn parse_stream_within(text: &str, budget: usize) -> Result<Vec<Node>, SyntaxError> {
    let mut builder = Builder::new(text.len(), budget);
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(scan_error)?;
        builder.event(event, span)?;
    }
    Ok(builder.documents)
}

fn scan_error(err: ScanError) -> SyntaxError {
    let mark = err.marker();
    SyntaxError {
        pos: Pos::new(mark.line() as u32, mark.col() as u32 + 1),
        message: err.info().lines().next().unwrap_or_default().to_owned(),
    }
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(span.start.line() as u32, span.start.col() as u32 + 1)
}

enum Frame {
    Seq {
        items: Vec<Node>,
        pos: Pos,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        /// The key read, waiting for its value.
        key: Option<Node>,
        /// Key names seen, once the mapping is large enough for a linear search to hurt.
        seen: Option<HashSet<String>>,
        /// `<<` values, merged in when the mapping ends.
        merges: Vec<Node>,
        /// The key read is a plain `<<`: its value is merged, not stored. (A quoted `"<<"` is
        /// an ordinary key.)
        merging: bool,
        pos: Pos,
        anchor: usize,
    },
}

struct Builder {
    documents: Vec<Node>,
    stack: Vec<Frame>,
    /// Anchored nodes with the heap memory each holds (see [`owned`]), by the parser's anchor id.
    anchors: HashMap<usize, (Node, usize)>,
    /// The memory that alias expansion may still add (see [`MIN_EXPANSION_BUDGET`]).
    alias_memory_left: usize,
    /// What the trees built so far may still take (see [`tree_budget`]).
    memory_left: usize,
    /// What the trees built so far take.
    spent: usize,
    /// The byte offset the parser has reached (see [`allowance_at`]).
    offset: usize,
    text_len: usize,
}

impl Builder {
    fn new(text_len: usize, budget: usize) -> Self {
        let allowance = text_len.max(MIN_EXPANSION_BUDGET);
        Builder {
            documents: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_memory_left: allowance,
            memory_left: budget,
            spent: 0,
            offset: 0,
            text_len,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        let pos = pos_of(&span);
        self.offset = span.end.byte_offset().unwrap_or(span.end.index());
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(..) => Ok(()),
            Event::DocumentEnd => {
                self.anchors.clear();
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                // A key is its text: `y:` names a field `y`, not `true`.
                let value = if let Some(Frame::Map {
                    key: None, merging, ..
                }) = self.stack.last_mut()
                {
                    *merging = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                    Value::Str(text.into_owned())
                } else {
                    resolve(text, style, tag.as_deref())
                };
                let text = match &value {
                    Value::Str(s) => heap(s.len()),
                    _ => 0,
                };
                self.complete(Node::new(value, pos), anchor, text)
            }
            Event::SequenceStart(_, anchor, _) => self.open(
                Frame::Seq {
                    items: Vec::new(),
                    pos,
                    anchor,
                },
                pos,
            ),
            Event::MappingStart(_, anchor, _) => self.open(
                Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    seen: None,
                    merges: Vec::new(),
                    merging: false,
                    pos,
                    anchor,
                },
                pos,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Err(error(pos, "unbalanced end of a collection"));
                };
                // The items' slots were paid for as each was placed; the block holding them
                // adds its header and rounding.
                let (node, anchor, overhead) = match frame {
                    // Trimmed to their length: a vector grows by doubling, and a tree of
                    // many small collections would otherwise take twice what it holds.
                    Frame::Seq {
                        mut items,
                        pos,
                        anchor,
                    } => {
                        items.shrink_to_fit();
                        let overhead = collection_overhead(items.len(), SEQ_SLOT);
                        (Node::new(Value::Seq(items), pos), anchor, overhead)
                    }
                    Frame::Map {
                        mut entries,
                        merges,
                        pos,
                        anchor,
                        ..
                    } => {
                        merge_into(&mut entries, merges);
                        entries.shrink_to_fit();
                        let overhead = collection_overhead(entries.len(), MAP_SLOT);
                        (Node::new(Value::Map(entries), pos), anchor, overhead)
                    }
                };
                self.complete(node, anchor, overhead)
            }
            Event::Alias(id) => {
                let Some(&(_, cost)) = self.anchors.get(&id) else {
                    return Err(error(
                        pos,
                        "an alias refers to an anchor that is not defined",
                    ));
                };
                self.spend_on_aliases(cost, pos)?;
                let mut node = self.anchors[&id].0.clone();
                relocate(&mut node, pos);
                self.complete(node, 0, cost)
            }
            Event::UnresolvedAlias(name) => Err(error(
                pos,
                &format!("the alias `*{name}` refers to an anchor that is not defined"),
            )),
            // Anchor names and comments carry nothing vdc reads; `Event` is non-exhaustive.
            _ => Ok(()),
        }
    }

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                pos,
                &format!("the document nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn spend_on_aliases(&mut self, cost: usize, pos: Pos) -> Result<(), SyntaxError> {
        match self.alias_memory_left.checked_sub(cost) {
            Some(left) => {
                self.alias_memory_left = left;
                Ok(())
            }
            None => Err(error(
                pos,
                "anchors and aliases expand to far more data than the file holds (an alias bomb?); vdc refuses to expand them",
            )),
        }
    }

    fn spend(&mut self, cost: usize, pos: Pos) -> Result<(), SyntaxError> {
        self.spent = self.spent.saturating_add(cost);
        match self.memory_left.checked_sub(cost) {
            Some(left) if self.spent <= allowance_at(self.offset) => {
                self.memory_left = left;
                Ok(())
            }
            _ => Err(error(pos, &tree_budget_message(self.text_len))),
        }
    }

    /// A node is complete: remember it if anchored, then hand it to its parent. `cost` is the
    /// heap memory the node adds that is not paid for yet (its text, its collection's block,
    /// or, for an alias's copy, all of it); its slot in the parent is paid for here.
    fn complete(&mut self, node: Node, anchor: usize, cost: usize) -> Result<(), SyntaxError> {
        let slot = match self.stack.last() {
            Some(Frame::Map { key: None, .. }) => 0, // a key: its slot is its entry's
            Some(Frame::Map { .. }) => MAP_SLOT,
            _ => SEQ_SLOT,
        };
        self.spend(slot.saturating_add(cost), node.pos)?;
        if anchor != 0 {
            // The anchor keeps a copy of the node until the document ends: paid for too.
            let held = owned(&node);
            self.spend_on_aliases(ANCHOR_SLOT.saturating_add(held), node.pos)?;
            self.spend(ANCHOR_SLOT.saturating_add(held), node.pos)?;
            self.anchors.insert(anchor, (node.clone(), held));
        }
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                seen,
                merges,
                merging,
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if std::mem::take(merging) {
                        merges.push(node);
                        return Ok(());
                    }
                    // A key's text is moved out of its node, not copied: every key of every
                    // input document passes here.
                    let name = match k.value {
                        Value::Str(name) => name,
                        other => Node::new(other, k.pos).scalar_text().unwrap_or_default(),
                    };
                    if is_duplicate(entries, seen, &name) {
                        return Err(error(
                            k.pos,
                            &format!("duplicate key `{name}` in a mapping"),
                        ));
                    }
                    entries.push((Key { name, pos: k.pos }, node));
                }
            },
        }
        Ok(())
    }
}

/// Past this many keys a mapping tracks its keys in a set, so huge mappings stay linear.
const LINEAR_KEY_SEARCH: usize = 32;

fn is_duplicate(entries: &[(Key, Node)], seen: &mut Option<HashSet<String>>, name: &str) -> bool {
    if entries.len() < LINEAR_KEY_SEARCH {
        return entries.iter().any(|(k, _)| k.name == name);
    }
    let seen = seen.get_or_insert_with(|| entries.iter().map(|(k, _)| k.name.clone()).collect());
    !seen.insert(name.to_owned())
}

/// `<<: *base` or `<<: [*a, *b]`: keys the mapping does not set itself come from the sources, the
/// earlier source winning.
fn merge_into(entries: &mut Vec<(Key, Node)>, merges: Vec<Node>) {
    for source in merges {
        let maps = match source.value {
            Value::Seq(items) => items,
            other => vec![Node::new(other, source.pos)],
        };
        for map in maps {
            if let Value::Map(extra) = map.value {
                for (key, value) in extra {
                    if !entries.iter().any(|(k, _)| k.name == key.name) {
                        entries.push((key, value));
                    }
                }
            }
        }
    }
}

/// An alias's copy stands where the alias is, so a diagnostic about it points into the object
/// that uses it rather than into the one that defined the anchor.
fn relocate(node: &mut Node, pos: Pos) {
    node.pos = pos;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| relocate(item, pos)),
        Value::Map(entries) => entries.iter_mut().for_each(|(key, value)| {
            key.pos = pos;
            relocate(value, pos);
        }),
        _ => {}
    }
}

fn error(pos: Pos, message: &str) -> SyntaxError {
    SyntaxError {
        pos,
        message: message.to_owned(),
    }
}

/// What a scalar means, by its style, tag and text (see the module doc).
fn resolve(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.and_then(Tag::core_suffix);
    match core {
        Some("str") => return Value::Str(text.into_owned()),
        Some("null") => return Value::Null,
        Some("bool") => return bool_of(&text).map_or(Value::Str(text.into_owned()), Value::Bool),
        Some("int") => return int_of(&text).unwrap_or(Value::Str(text.into_owned())),
        Some("float") => {
            return float_of(&text)
                .or_else(|| int_of(&text).map(to_float))
                .unwrap_or(Value::Str(text.into_owned()));
        }
        _ => {}
    }
    if style != ScalarStyle::Plain || (tag.is_some() && core.is_none()) {
        return Value::Str(text.into_owned());
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        _ => {}
    }
    if let Some(b) = bool_of(&text) {
        return Value::Bool(b);
    }
    int_of(&text)
        .or_else(|| float_of(&text))
        .unwrap_or_else(|| Value::Str(text.into_owned()))
}

fn to_float(value: Value) -> Value {
    match value {
        Value::Int(i) => Value::Float(i as f64),
        other => other,
    }
}

/// YAML 1.1's booleans, which Kubernetes still reads, in any case.
fn bool_of(text: &str) -> Option<bool> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if is("true") || is("yes") || is("on") || is("y") {
        Some(true)
    } else if is("false") || is("no") || is("off") || is("n") {
        Some(false)
    } else {
        None
    }
}

/// Decimal (optionally signed), `0x` hex or `0o` octal. Integers beyond i128 read as floats.
fn int_of(text: &str) -> Option<Value> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (digits, radix) = if let Some(hex) = body.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(oct) = body.strip_prefix("0o") {
        (oct, 8)
    } else {
        (body, 10)
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    match i128::from_str_radix(digits, radix) {
        Ok(n) => Some(Value::Int(if negative { -n } else { n })),
        Err(_) if radix == 10 => text.parse::<f64>().ok().map(Value::Float),
        Err(_) => None,
    }
}

/// YAML 1.2 core-schema floats: `1.5`, `-.5`, `6.02e23`, `1e400` (infinite), `.inf`, `.nan`.
fn float_of(text: &str) -> Option<Value> {
    let unsigned = text.trim_start_matches(['-', '+']);
    if text.len() - unsigned.len() > 1 {
        return None;
    }
    let negative = text.starts_with('-');
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            return Some(Value::Float(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }));
        }
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == text.len() => {
            return Some(Value::Float(f64::NAN));
        }
        _ => {}
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    text.parse::<f64>().ok().map(Value::Float)
}

#[cfg(test)]
mod tests;
