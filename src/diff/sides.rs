//! The two sides of a diff, compared cluster by cluster: for each cluster either side has, its
//! objects are generated (an INPUT side) or read back (a rendered side) on both sides,
//! compared, and dropped before the next, so a diff holds the changes and one cluster's
//! objects, never both sides' whole output.

use super::rendered::{HandEdit, Rendered};
use super::side::{Objects, generated};
use super::{Change, compare, natural_cmp};
use crate::Streamed;
use anyhow::{Context, Result, ensure};
use std::collections::BTreeSet;
use std::path::Path;

/// The file `render --out` records what it wrote in (see `emit`): its presence marks a rendered
/// folder.
const MANIFEST: &str = ".vdc-manifest";

/// One side of a diff, holding no objects until a cluster is compared.
// Two are made a run, so their size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Side<'w> {
    /// An INPUT folder, compiled in memory.
    Input(Streamed<'w>),
    /// A rendered output folder, or any folder of YAML per cluster.
    Rendered(Rendered),
}

impl Side<'_> {
    /// The compilation of an INPUT side with error-level diagnostics: there is nothing
    /// meaningful to compare.
    pub fn invalid(&self) -> Option<&Streamed<'_>> {
        match self {
            Side::Input(c) if c.has_errors() => Some(c),
            _ => None,
        }
    }

    /// The compilation of an INPUT side, whose diagnostics (warnings, notes) are reported as
    /// `render` reports them; `None` for a rendered side.
    pub fn compiled(&self) -> Option<&Streamed<'_>> {
        match self {
            Side::Input(c) => Some(c),
            Side::Rendered(_) => None,
        }
    }

    fn clusters(&self) -> Vec<&str> {
        match self {
            Side::Input(c) => c.clusters_with_objects(),
            Side::Rendered(r) => r.clusters().collect(),
        }
    }

    /// `Err`, as comparing would give it, when a rendered side has a file that cannot be read
    /// or makes no sense: each cluster's objects are read back and dropped. An INPUT side is
    /// always readable.
    pub fn readable(&self, label: &str) -> Result<()> {
        self.readable_in(&self.clusters(), label)
    }

    fn readable_in(&self, clusters: &[&str], label: &str) -> Result<()> {
        match self {
            Side::Input(_) => Ok(()),
            Side::Rendered(_) => clusters
                .iter()
                .try_for_each(|cluster| self.objects(cluster, label).map(drop)),
        }
    }

    /// The objects of `cluster`; `Err`, naming the side as `label` and its folder, when a
    /// rendered side's file cannot be read or makes no sense.
    fn objects(&self, cluster: &str, label: &str) -> Result<Objects> {
        match self {
            Side::Input(c) => Ok(generated(c.objects(cluster))),
            Side::Rendered(r) => r
                .objects(cluster)
                .with_context(|| side_name(label, r.root())),
        }
    }
}

/// Whether `path` is an INPUT folder (has `clusters/`, is not rendered output): how `diff` reads it.
pub fn is_input(path: &Path) -> bool {
    path.is_dir() && !path.join(MANIFEST).is_file() && path.join("clusters").is_dir()
}

/// Opens `old` and `new` as diff sides and hands them to `then`. `Err`, naming the side, when
/// one cannot be read or is not a folder vdc can make sense of (the OLD side's error first); an
/// INPUT folder that does not validate is a side all the same (see [`Side::invalid`]).
///
/// A folder with `.vdc-manifest` is rendered output (even if a cluster is named `clusters`);
/// otherwise one with a `clusters/` folder is INPUT; anything else is a plain folder of YAML per
/// cluster, such as output written by hand or by another tool. Two INPUT folders are compiled
/// together, sharing the parse of every file they have in common.
pub fn with_sides<R>(
    old: &Path,
    new: &Path,
    then: impl FnOnce(Side<'_>, Side<'_>) -> Result<R>,
) -> Result<R> {
    if is_input(old) && is_input(new) {
        return crate::compile_pair_streamed(old, new, |a, b| then(Side::Input(a), Side::Input(b)))
            .with_context(|| side_name("OLD", old))?;
    }
    let a = open(old).with_context(|| side_name("OLD", old))?;
    let b = open(new).with_context(|| side_name("NEW", new))?;
    a.stream(|a| b.stream(|b| then(a, b)))
}

fn side_name(side: &str, path: &Path) -> String {
    format!("{side} side {}", path.display())
}

/// A side read as far as it can fail: an INPUT folder's files decoded, a rendered folder's
/// files listed.
// Made once a side and taken apart at once.
#[allow(clippy::large_enum_variant)]
enum Opened {
    Input(crate::pipeline::Input),
    Rendered(Rendered),
}

fn open(path: &Path) -> Result<Opened> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    ensure!(
        meta.is_dir(),
        "{} is not a folder: diff compares INPUT folders and rendered output folders",
        path.display()
    );
    Ok(if is_input(path) {
        Opened::Input(crate::pipeline::read(path, None)?)
    } else {
        Opened::Rendered(Rendered::list(path)?)
    })
}

impl Opened {
    fn stream<R>(self, then: impl FnOnce(Side<'_>) -> R) -> R {
        match self {
            Opened::Input(input) => crate::stream_input(input, |c| then(Side::Input(c))),
            Opened::Rendered(rendered) => then(Side::Rendered(rendered)),
        }
    }
}

/// What comparing two sides found.
pub struct Compared {
    /// In the order [`compare`] gives them: clusters in natural order, then by identity.
    pub changes: Vec<Change>,
    /// Every cluster in which either side has at least one object.
    pub clusters: BTreeSet<String>,
    /// The files a rendered side's manifest lists that are missing or were changed since vdc
    /// wrote them, with that side's folder: differences from what `render --out` would leave
    /// there, though no object may differ.
    pub hand_edits: Vec<(std::path::PathBuf, HandEdit)>,
}

/// Every difference between `old` and `new`, as [`compare`] finds it, one cluster at a time.
/// `Err`, naming the side, when a rendered side's file cannot be read or makes no sense.
pub fn compare_sides(old: &Side, new: &Side, context: usize, with_diff: bool) -> Result<Compared> {
    let clusters: BTreeSet<&str> = old.clusters().into_iter().chain(new.clusters()).collect();
    let clusters: Vec<&str> = clusters.into_iter().collect();
    let mut found = Compared {
        changes: Vec::new(),
        clusters: BTreeSet::new(),
        hand_edits: Vec::new(),
    };
    let mut by_cluster = Vec::new();
    for (i, cluster) in clusters.iter().enumerate() {
        let (a, b) = rayon::join(
            || old.objects(cluster, "OLD"),
            || new.objects(cluster, "NEW"),
        );
        // The OLD side's error comes first, as it does when a side cannot be read at all.
        let (a, b) = match (a?, b) {
            (a, Ok(b)) => (a, b),
            (_, Err(err)) => {
                return Err(old
                    .readable_in(&clusters[i + 1..], "OLD")
                    .err()
                    .unwrap_or(err));
            }
        };
        if !a.is_empty() || !b.is_empty() {
            found.clusters.insert((*cluster).to_owned());
        }
        by_cluster.push((*cluster, compare(&a, &b, context, with_diff)));
    }
    by_cluster.sort_by(|(a, _), (b, _)| natural_cmp(a, b));
    found.changes = by_cluster.into_iter().flat_map(|(_, c)| c).collect();
    for side in [old, new] {
        if let Side::Rendered(r) = side {
            let root = r.root().to_owned();
            (found.hand_edits).extend(r.hand_edits().into_iter().map(|e| (root.clone(), e)));
        }
    }
    Ok(found)
}
