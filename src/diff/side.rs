//! The objects of a diff's sides, as they are matched and compared: an identity, what is
//! reported of each, and a body that is a generated value or canonical text read back.

use super::canonical;
use crate::translate::Output;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// How objects are matched across sides: Kubernetes' own identity. The API group stands in for
/// `apiVersion` so that moving from `v1beta1` to `v1` reads as a change of the same object, which
/// is how a cluster (and Argo CD) sees it, not as a removal plus an addition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    pub cluster: String,
    pub namespace: String,
    pub kind: String,
    pub name: String,
    pub group: String,
}

impl fmt::Display for ObjectId {
    /// `<cluster>/<namespace>/<Kind>/<name>`; cluster-scoped objects have no namespace part.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/", self.cluster)?;
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        write!(f, "{}/{}", self.kind, self.name)
    }
}

impl ObjectId {
    /// The file `render --out` writes the object to, below the output folder:
    /// `<cluster>/<namespace>/<kind>-<name>.yaml` (no namespace part for a cluster-scoped one).
    pub fn file(&self) -> String {
        let kind = self.kind.to_lowercase();
        if self.namespace.is_empty() {
            format!("{}/{kind}-{}.yaml", self.cluster, self.name)
        } else {
            format!(
                "{}/{}/{kind}-{}.yaml",
                self.cluster, self.namespace, self.name
            )
        }
    }
}

/// One object of a side: its full `apiVersion` (reported), the Gloo object it was generated from
/// (reported; from its provenance labels) and its body (compared).
#[derive(Debug, Clone)]
pub struct Object {
    pub api_version: String,
    pub origin: Option<Origin>,
    body: Body,
    _held: crate::held::Held,
}

/// How many [`Object`]s a diff holds at once, so that a test holds the diff to one cluster's
/// objects by counting.
pub mod held {
    /// The objects of both sides alive now.
    pub static OBJECTS: crate::held::Tally = crate::held::Tally::new();

    /// The most objects held at once since the last [`reset_peak`].
    pub fn peak() -> usize {
        OBJECTS.peak()
    }

    /// Starts a new [`peak`] from the objects held now.
    pub fn reset_peak() {
        OBJECTS.reset_peak()
    }
}

/// The Gloo object an Istio object was generated from, as the `gloo.solo.io/parent_*` labels vdc
/// writes name it. Read from a rendered side, these are whatever the folder holds: untrusted text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// The cluster the Gloo object is defined in.
    pub cluster: String,
}

impl Origin {
    /// From an object's labels; `None` without `parent_kind` and `parent_name`.
    pub(super) fn from_labels<'a>(label: impl Fn(&str) -> Option<&'a str>) -> Option<Origin> {
        let get = |key: &str| label(&format!("gloo.solo.io/parent_{key}")).map(str::to_owned);
        Some(Origin {
            kind: get("kind")?,
            name: get("name")?,
            namespace: get("namespace").unwrap_or_default(),
            cluster: get("cluster").unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone)]
enum Body {
    /// Generated from an INPUT side in this run: compared as a value, and given text only when
    /// it differs, since rendering every object of a large mesh costs more than comparing it.
    Generated(Box<crate::translate::istio::Object>),
    /// Read back from a rendered folder, already in canonical text.
    Canonical(String),
}

impl Object {
    /// An object read back from a rendered folder, in canonical text.
    pub(super) fn canonical(api_version: String, origin: Option<Origin>, text: String) -> Object {
        Object {
            api_version,
            origin,
            body: Body::Canonical(text),
            _held: held::OBJECTS.hold(),
        }
    }

    /// The canonical text the object is compared and shown in.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.body {
            Body::Canonical(text) => Cow::Borrowed(text),
            Body::Generated(object) => Cow::Owned(
                serde_json::to_value(object)
                    .map_err(anyhow::Error::from)
                    .and_then(|value| canonical::to_text(&value))
                    .unwrap_or_else(|err| format!("# vdc could not render this object: {err}\n")),
            ),
        }
    }

    /// Whether the two sides hold the same object: equal values, or else equal canonical text.
    pub fn same_as(&self, other: &Object) -> bool {
        if let (Body::Generated(a), Body::Generated(b)) = (&self.body, &other.body)
            && a == b
        {
            return true;
        }
        self.text() == other.text()
    }
}

pub type Objects = BTreeMap<ObjectId, Object>;

/// One cluster's generated objects, as [`crate::Streamed::objects`] gives them, by identity.
pub(super) fn generated(outputs: Vec<Output>) -> Objects {
    let objects = outputs.into_iter().map(|o| {
        let m = &o.object.metadata;
        let identity = ObjectId {
            cluster: o.cluster,
            namespace: m.namespace.clone(),
            kind: o.object.kind.to_owned(),
            name: m.name.clone(),
            group: o
                .object
                .api_version
                .rsplit_once('/')
                .map_or("", |(group, _)| group)
                .to_owned(),
        };
        let labels = &o.object.metadata.labels;
        let object = Object {
            api_version: o.object.api_version.to_string(),
            origin: Origin::from_labels(|key| labels.get(key).map(|v| v.as_ref())),
            body: Body::Generated(Box::new(o.object)),
            _held: held::OBJECTS.hold(),
        };
        (identity, object)
    });
    objects.collect()
}
