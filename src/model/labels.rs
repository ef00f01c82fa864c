//! Label sets, compact and shared.
//!
//! A fleet's dumps hold a few label sets many times over: a Deployment's labels, its pod
//! template's and its Service's selector are usually one set, and the same apps run in every
//! cluster. A [`Labels`] is a sorted slice of shared strings behind one `Arc`, and [`Names`]
//! hands out one copy of each string and each set while a run reads its input, so the world
//! costs what its distinct labels cost, not what its dumps repeat.

use serde::de::{MapAccess, Visitor};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::{Arc, Mutex};

/// One label key or value.
pub type Name = Arc<str>;

/// A label set: keys sorted and unique, as in a `BTreeMap`, with the same order, equality and
/// lookups. The empty set allocates nothing.
#[derive(Clone, Default)]
pub struct Labels(Option<Arc<[(Name, Name)]>>);

impl Labels {
    pub fn new() -> Self {
        Labels(None)
    }

    /// The set of `pairs`; a key given twice keeps its last value, as a map's `insert` does.
    fn from_pairs(mut pairs: Vec<(Name, Name)>) -> Self {
        if pairs.is_empty() {
            return Labels(None);
        }
        // A stable sort keeps a repeated key's values in the order given; the last one wins.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut unique: Vec<(Name, Name)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match unique.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => unique.push(pair),
            }
        }
        Labels(Some(unique.into()))
    }

    fn pairs(&self) -> &[(Name, Name)] {
        self.0.as_deref().unwrap_or(&[])
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        let pairs = self.pairs();
        let i = pairs.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
        Some(&pairs[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The labels in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone {
        self.pairs().iter().map(|(k, v)| (&**k, &**v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.pairs().iter().map(|(k, _)| &**k)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.pairs().iter().map(|(_, v)| &**v)
    }

    pub fn len(&self) -> usize {
        self.pairs().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The labels as an owned map, for output that is built and changed label by label.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// Whether `self` and `other` are one allocation (so equal without comparing).
    pub(crate) fn same_set(&self, other: &Labels) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl PartialEq for Labels {
    fn eq(&self, other: &Self) -> bool {
        self.same_set(other) || self.pairs() == other.pairs()
    }
}

impl Eq for Labels {}

impl PartialOrd for Labels {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A map's order: pair by pair, in key order.
impl Ord for Labels {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.pairs().cmp(other.pairs())
    }
}

impl Hash for Labels {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.pairs().hash(state);
    }
}

/// As a `HashSet` key, a set is looked up by its pairs (both hash and compare the same).
impl std::borrow::Borrow<[(Name, Name)]> for Labels {
    fn borrow(&self) -> &[(Name, Name)] {
        self.pairs()
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Labels {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Labels::from_pairs(
            iter.into_iter()
                .map(|(k, v)| (Name::from(k.as_ref()), Name::from(v.as_ref())))
                .collect(),
        )
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Name, Name)>,
        fn(&'a (Name, Name)) -> (&'a str, &'a str),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.pairs().iter().map(|(k, v)| (&**k, &**v))
    }
}

/// Stored as a map of strings, as a `BTreeMap<String, String>` is.
impl serde::Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Read back shared through the [`Names`] of [`Names::reading`], when one is set.
impl<'de> serde::Deserialize<'de> for Labels {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LabelsVisitor;
        impl<'de> Visitor<'de> for LabelsVisitor {
            type Value = Labels;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Labels, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some((k, v)) = map.next_entry::<Text<'de>, Text<'de>>()? {
                    pairs.push((k.0, v.0));
                }
                let pairs = pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
                Ok(match READING.with_borrow(Option::clone) {
                    Some(names) => names.labels(pairs),
                    None => pairs.collect(),
                })
            }
        }
        deserializer.deserialize_map(LabelsVisitor)
    }
}

/// A string read without a copy when the input lets it be borrowed: a label read back from
/// the cache and already shared costs no allocation.
struct Text<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

thread_local! {
    /// The table that label sets deserialized on this thread are shared through, while
    /// [`Names::reading`] runs.
    static READING: RefCell<Option<Arc<Names>>> = const { RefCell::new(None) };
}

/// Puts back the table that was set before [`Names::reading`], even when reading panics.
struct Restore(Option<Arc<Names>>);

impl Drop for Restore {
    fn drop(&mut self) {
        READING.set(self.0.take());
    }
}

/// Read access to the labels of any label map, so that one selector match serves the model's
/// sets and the maps of generated objects alike.
pub trait LabelMap {
    fn label(&self, key: &str) -> Option<&str>;
    fn label_pairs(&self) -> impl Iterator<Item = (&str, &str)>;
}

impl LabelMap for Labels {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key)
    }
    fn label_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter()
    }
}

impl<T: LabelMap + ?Sized> LabelMap for &T {
    fn label(&self, key: &str) -> Option<&str> {
        (**self).label(key)
    }
    fn label_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        (**self).label_pairs()
    }
}

impl LabelMap for BTreeMap<String, String> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
    fn label_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Shards of the tables, so that files decoded on many cores rarely wait for one another.
const SHARDS: usize = 32;

/// One copy of each label string and each label set, shared by every object that has it.
/// Decoders on many threads use one table at once; what is shared never changes what a set
/// holds, so output does not depend on which thread got there first.
pub struct Names {
    hasher: RandomState,
    strings: [Mutex<HashSet<Name>>; SHARDS],
    sets: [Mutex<HashSet<Labels>>; SHARDS],
}

impl Default for Names {
    fn default() -> Self {
        Names {
            hasher: RandomState::new(),
            strings: std::array::from_fn(|_| Mutex::default()),
            sets: std::array::from_fn(|_| Mutex::default()),
        }
    }
}

impl Names {
    fn shard<T: Hash + ?Sized>(&self, value: &T) -> usize {
        (self.hasher.hash_one(value) as usize) % SHARDS
    }

    /// The shared copy of `s`.
    pub fn name(&self, s: &str) -> Name {
        let Ok(mut strings) = self.strings[self.shard(s)].lock() else {
            return Name::from(s);
        };
        if let Some(found) = strings.get(s) {
            return found.clone();
        }
        let name = Name::from(s);
        strings.insert(name.clone());
        name
    }

    /// The shared set of `pairs` (keys and values shared too); a key given twice keeps its
    /// last value.
    pub fn labels<'a>(&self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Labels {
        let pairs: Vec<(Name, Name)> = pairs
            .into_iter()
            .map(|(k, v)| (self.name(k), self.name(v)))
            .collect();
        self.share(Labels::from_pairs(pairs))
    }

    /// The shared copy of `labels`.
    pub fn share(&self, labels: Labels) -> Labels {
        if labels.is_empty() {
            return labels;
        }
        let Ok(mut sets) = self.sets[self.shard(labels.pairs())].lock() else {
            return labels;
        };
        if let Some(found) = sets.get(labels.pairs()) {
            return found.clone();
        }
        sets.insert(labels.clone());
        labels
    }

    /// Runs `read`, sharing through `names` every label set deserialized on this thread
    /// meanwhile: sets read back from the decode cache are shared as decoded ones are.
    pub fn reading<R>(names: &Arc<Names>, read: impl FnOnce() -> R) -> R {
        let _restore = Restore(READING.replace(Some(names.clone())));
        read()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_as_the_map_of_its_pairs() {
        let pairs = [("version", "v1"), ("app", "reviews"), ("tier", "")];
        let labels: Labels = pairs.iter().copied().collect();
        let expected = map(&pairs);
        assert_eq!(labels.len(), 3);
        assert!(
            labels
                .iter()
                .eq(expected.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        );
        assert_eq!(labels.get("app"), Some("reviews"));
        assert_eq!(labels.get("tier"), Some(""));
        assert_eq!(labels.get("zone"), None);
        assert!(labels.contains_key("version") && !labels.contains_key("v1"));
        assert_eq!(format!("{labels:?}"), format!("{expected:?}"));
        assert_eq!(labels.to_map(), expected);
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_as_a_map_does() {
        let pairs = [("app", "a"), ("b", "1"), ("app", "c")];
        let labels: Labels = pairs.iter().copied().collect();
        let names = Names::default();
        assert_eq!(labels.to_map(), map(&[("app", "c"), ("b", "1")]));
        assert_eq!(names.labels(pairs.iter().copied()), labels);
    }

    #[test]
    fn orders_as_maps_order() {
        let sets: Vec<&[(&str, &str)]> = vec![
            &[],
            &[("app", "a")],
            &[("app", "a"), ("v", "1")],
            &[("app", "b")],
            &[("app", "a"), ("w", "0")],
            &[("b", "")],
            &[("ab", "")],
        ];
        let mut ours: Vec<Labels> = sets.iter().map(|s| s.iter().copied().collect()).collect();
        let mut maps: Vec<BTreeMap<String, String>> = sets.iter().map(|s| map(s)).collect();
        ours.sort();
        maps.sort();
        let ours: Vec<_> = ours.iter().map(Labels::to_map).collect();
        assert_eq!(ours, maps);
    }

    #[test]
    fn an_empty_set_is_empty_however_made() {
        let empty: Labels = std::iter::empty::<(&str, &str)>().collect();
        assert!(empty.is_empty());
        assert_eq!(empty, Labels::new());
        assert_eq!(Names::default().labels([]), Labels::new());
    }

    #[test]
    fn equal_sets_and_strings_are_shared() {
        let names = Names::default();
        let a = names.labels([("app", "reviews"), ("version", "v1")]);
        let b = names.labels([("version", "v1"), ("app", "reviews")]);
        let c = names.labels([("app", "reviews")]);
        assert!(a.same_set(&b));
        assert!(!a.same_set(&c));
        assert!(Arc::ptr_eq(&a.pairs()[0].0, &c.pairs()[0].0));
        let read: Labels = [("app", "reviews"), ("version", "v1")]
            .into_iter()
            .collect();
        assert!(!read.same_set(&a) && read == a);
    }

    #[test]
    fn is_stored_as_a_map_of_strings() {
        let labels: Labels = [("b", "2"), ("a", "1")].into_iter().collect();
        let json = serde_json::to_string(&labels).unwrap();
        assert_eq!(json, serde_json::to_string(&labels.to_map()).unwrap());
        assert_eq!(serde_json::from_str::<Labels>(&json).unwrap(), labels);
        assert!(serde_json::from_str::<Labels>("{\"a\": 1}").is_err());
        let escaped = r#"{"a\"b": "x\ny", "c": "d"}"#;
        let expected: Labels = [("a\"b", "x\ny"), ("c", "d")].into_iter().collect();
        assert_eq!(serde_json::from_str::<Labels>(escaped).unwrap(), expected);
    }

    #[test]
    fn sets_read_while_reading_are_shared_and_only_then() {
        let names = Arc::new(Names::default());
        let decoded = names.labels([("app", "reviews")]);
        let json = r#"{"app": "reviews"}"#;
        let read = Names::reading(&names, || serde_json::from_str::<Labels>(json).unwrap());
        assert!(read.same_set(&decoded));
        let after = serde_json::from_str::<Labels>(json).unwrap();
        assert!(!after.same_set(&decoded) && after == decoded);
    }

    #[test]
    fn a_read_shares_each_set_across_objects_and_clusters() {
        let input = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/bookinfo");
        let world = crate::model::read(&input).unwrap().world;
        let details: Vec<&crate::model::types::Workload> = world
            .clusters
            .values()
            .flat_map(|c| &c.workloads)
            .filter(|w| w.meta.name == "details-v1")
            .collect();
        assert!(details.len() >= 2, "details-v1 runs in both clusters");
        let first = &details[0].meta.labels;
        assert_eq!(first.get("app"), Some("details"));
        for w in &details {
            // Its labels and its pod template's, in every cluster: one set.
            assert!(w.meta.labels.same_set(first) && w.pod_labels.same_set(first));
        }
    }
}
