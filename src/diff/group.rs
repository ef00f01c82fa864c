//! How changes are put before a reader: clusters in natural order (`c2` before `c10`), and one
//! change made the same way in many clusters shown once, with the list of those clusters.

use super::{Change, ChangeKind, Origin};
use std::cmp::Ordering;
use std::collections::HashMap;

/// `a` against `b` with runs of digits compared as numbers: `c2` < `c10`, `cluster-9` <
/// `cluster-10`. Equal numbers with different zero padding, and anything else, fall back to
/// plain byte order so that the order stays total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while let (Some(&p), Some(&q)) = (x.first(), y.first()) {
        if p.is_ascii_digit() && q.is_ascii_digit() {
            let (m, rest_x) = split_digits(x);
            let (n, rest_y) = split_digits(y);
            let (m_trim, n_trim) = (trim_zeros(m), trim_zeros(n));
            let by_value = m_trim.len().cmp(&n_trim.len()).then(m_trim.cmp(n_trim));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (x, y) = (rest_x, rest_y);
        } else if p != q {
            return p.cmp(&q);
        } else {
            (x, y) = (&x[1..], &y[1..]);
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

/// The lines of a unified diff after its `---` / `+++` file header: what changed, without where.
pub fn hunks(diff: &str) -> &str {
    let mut rest = diff;
    for prefix in ["--- ", "+++ "] {
        if rest.starts_with(prefix) {
            rest = rest.split_once('\n').map_or("", |(_, tail)| tail);
        }
    }
    rest
}

/// One change to one object, made identically in each of `changes` (one per cluster, clusters
/// in natural order).
pub struct Group<'a> {
    pub changes: Vec<&'a Change>,
}

impl<'a> Group<'a> {
    pub fn first(&self) -> &'a Change {
        self.changes[0]
    }

    pub fn clusters(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.changes.iter().map(|c| c.cluster.as_str())
    }

    /// The hunks shared by every cluster of the group (`None` with `--stat`).
    pub fn hunks(&self) -> Option<&'a str> {
        self.first().diff.as_deref().map(hunks)
    }
}

/// What makes two changes "the same": the object's kind, namespace and name, the kind of change,
/// the Gloo object behind it, and the lines that change.
type Key<'a> = (
    &'a str,
    &'a str,
    &'a str,
    ChangeKind,
    Option<&'a Origin>,
    Option<&'a str>,
);

/// `changes` grouped by identical change, ordered by namespace, kind and name, then by the first
/// cluster of each group in natural order.
pub fn groups(changes: &[Change]) -> Vec<Group<'_>> {
    let mut index: HashMap<Key<'_>, usize> = HashMap::new();
    let mut out: Vec<Group<'_>> = Vec::new();
    for change in changes {
        let key = (
            change.kind.as_str(),
            change.namespace.as_str(),
            change.name.as_str(),
            change.change,
            change.origin.as_ref(),
            change.diff.as_deref().map(hunks),
        );
        match index.get(&key) {
            Some(&i) => out[i].changes.push(change),
            None => {
                index.insert(key, out.len());
                out.push(Group {
                    changes: vec![change],
                });
            }
        }
    }
    for group in &mut out {
        group
            .changes
            .sort_by(|a, b| natural_cmp(&a.cluster, &b.cluster));
    }
    out.sort_by(|a, b| {
        let (x, y) = (a.first(), b.first());
        (&x.namespace, &x.kind, &x.name)
            .cmp(&(&y.namespace, &y.kind, &y.name))
            .then_with(|| natural_cmp(&x.cluster, &y.cluster))
            .then_with(|| (x.change as u8).cmp(&(y.change as u8)))
    });
    out
}

/// Changes per Gloo object: which clusters each touches, and how many objects it adds, changes
/// and removes there. Objects without provenance labels (not written by vdc) come last, under
/// `None`.
pub fn by_origin(changes: &[Change]) -> Vec<(Option<&Origin>, Vec<&str>, [usize; 3])> {
    let mut index: HashMap<Option<&Origin>, usize> = HashMap::new();
    let mut out: Vec<(Option<&Origin>, Vec<&str>, [usize; 3])> = Vec::new();
    for change in changes {
        let origin = change.origin.as_ref();
        let i = *index.entry(origin).or_insert_with(|| {
            out.push((origin, Vec::new(), [0; 3]));
            out.len() - 1
        });
        let (_, clusters, counts) = &mut out[i];
        if !clusters.contains(&change.cluster.as_str()) {
            clusters.push(&change.cluster);
        }
        counts[change.change as usize] += 1;
    }
    for (_, clusters, _) in &mut out {
        clusters.sort_by(|a, b| natural_cmp(a, b));
    }
    out.sort_by(|(a, ..), (b, ..)| match (a, b) {
        (Some(a), Some(b)) => (&a.kind, &a.namespace, &a.name, &a.cluster).cmp(&(
            &b.kind,
            &b.namespace,
            &b.name,
            &b.cluster,
        )),
        (a, b) => a.is_none().cmp(&b.is_none()),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_names_sort_by_value() {
        let mut names = vec!["c10", "c2", "c1", "c0", "c11", "c9", "b", "c02", "c"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["b", "c", "c0", "c1", "c02", "c2", "c9", "c10", "c11"]
        );
    }

    #[test]
    fn the_file_header_is_not_part_of_the_hunks() {
        let diff = "--- a/c1/x.yaml\n+++ b/c1/x.yaml\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(hunks(diff), "@@ -1 +1 @@\n-a\n+b\n");
        assert_eq!(hunks("@@ -1 +1 @@\n"), "@@ -1 +1 @@\n");
    }
}
