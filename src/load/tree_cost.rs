//! What a file's syntax trees cost in memory, and what they may cost.
//!
//! Both readers (YAML, and the JSON fast path) count the same cost as they build a tree, event by
//! event, and stop at the budget: an input is judged by the memory its tree would really take,
//! not by how many nodes it has or what shape it is. The model follows the allocator: a node's
//! slot in its parent (a list item, or a mapping entry with its key), and one heap block for
//! each non-empty string and each non-empty collection, with the allocator's header and rounding
//! as glibc's malloc does them (8 bytes, 16-byte steps, 32 at least): about what mimalloc, the
//! binary's allocator, takes for blocks past 64 bytes, and more than it takes for small ones.
//! `tests/tree_memory.rs` checks the model against what the allocator is really asked for.

use super::node::{Key, Node, Value};

/// A list item's slot, and a document's.
pub const SEQ_SLOT: usize = std::mem::size_of::<Node>();
/// A mapping entry's slot: its key and its value.
pub const MAP_SLOT: usize = std::mem::size_of::<(Key, Node)>();

/// What an anchor's entry in the table of anchors costs while its document is read (the node's
/// copy aside): the entry, and as much again for the table's room to grow.
pub const ANCHOR_SLOT: usize = 2 * (std::mem::size_of::<(usize, (Node, usize))>() + 1);

/// The memory a heap block of `bytes` takes, header and rounding included.
pub const fn heap(bytes: usize) -> usize {
    if bytes == 0 {
        return 0;
    }
    let rounded = bytes.saturating_add(8 + 15) & !15;
    if rounded < 32 { 32 } else { rounded }
}

/// What a collection of `len` slots of `slot` bytes adds to the slots themselves: the block's
/// header and rounding (the slots are paid for as each item is placed).
pub const fn collection_overhead(len: usize, slot: usize) -> usize {
    let bytes = len.saturating_mul(slot);
    heap(bytes) - bytes
}

/// The memory `node` holds on the heap, below its own slot: its text, or its collection and
/// everything in it.
pub fn owned(node: &Node) -> usize {
    match &node.value {
        Value::Str(s) => heap(s.len()),
        Value::Seq(items) => items
            .iter()
            .fold(heap(items.len().saturating_mul(SEQ_SLOT)), |sum, item| {
                sum.saturating_add(owned(item))
            }),
        Value::Map(entries) => entries.iter().fold(
            heap(entries.len().saturating_mul(MAP_SLOT)),
            |sum, (key, value)| {
                sum.saturating_add(heap(key.name.len()))
                    .saturating_add(owned(value))
            },
        ),
        _ => 0,
    }
}

/// The memory of a file's documents as the readers count it: each document's slot and what it
/// holds.
pub fn tree_cost(documents: &[Node]) -> usize {
    documents.iter().fold(0, |sum, doc| {
        sum.saturating_add(SEQ_SLOT).saturating_add(owned(doc))
    })
}

/// The memory a file's trees may take: this many times the file's size, plus [`TREE_SLACK`].
/// Dumps as `kubectl` writes them take up to 10.3 x their text (a YAML `List` of small
/// ConfigMaps: every short key and value is a slot and a heap block of its own), so that is
/// what the factor must let through; see docs/performance.md for the measured shapes.
pub const TREE_FACTOR: usize = 12;
/// What any file's trees may take whatever its size, so that small files are never judged by
/// their ratio alone.
pub const TREE_SLACK: usize = 64 << 20;

/// The tree budget of a file of `text_len` bytes (see [`TREE_FACTOR`]).
pub fn tree_budget(text_len: usize) -> usize {
    text_len
        .saturating_mul(TREE_FACTOR)
        .saturating_add(TREE_SLACK)
}

/// What the trees may have taken once the readers are `offset` bytes into the text: the budget
/// of the text read so far. A dump takes as much memory per byte all along, so this holds it
/// back no more than the file's budget does; a file built to take memory is refused once it
/// has taken about the slack, rather than once it has taken the budget of its whole size.
pub fn allowance_at(offset: usize) -> usize {
    tree_budget(offset)
}

/// The message of a breached tree budget.
pub fn tree_budget_message(text_len: usize) -> String {
    format!(
        "the document tree would take more than {TREE_FACTOR} x the file's text in memory ({text_len} bytes, + {} MiB): far more than any Kubernetes dump takes (millions of tiny collections, scalars or anchors?); vdc refuses to build it",
        TREE_SLACK >> 20
    )
}
