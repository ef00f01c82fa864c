//! The diagnostics' own rules: ordering, deduplication and the follow-ups left out.

use super::*;
// Test code only (the module is declared under `cfg(test)`); marked so here too, which is how
// scripts/check-layers knows a test may build a `Pos` of the later load stage.
#[cfg(test)]
use crate::load::node::Pos;

fn vd() -> ObjectRef {
    ObjectRef {
        cluster: "c1".into(),
        kind: "Service".into(),
        namespace: "ns".into(),
        name: "vd".into(),
    }
}

fn codes(diags: Diagnostics) -> Vec<Code> {
    diags.into_sorted().into_iter().map(|d| d.code).collect()
}

#[test]
fn a_misspelt_field_is_reported_once() {
    let file: Arc<str> = "vd.yaml".into();
    let mut diags = Diagnostics::default();
    diags.push(
        Diagnostic::new(Code::UnknownField, "unknown field `spec.hots`")
            .at(&file, Pos { line: 7, column: 3 })
            .object(vd())
            .field("spec.hots")
            .meant("spec.hosts"),
    );
    diags.push(
        Diagnostic::new(Code::NoHosts, "no hosts")
            .at(&file, Pos { line: 7, column: 3 })
            .object(vd())
            .field("spec.hosts"),
    );
    // Another field of the same object missing is a mistake of its own.
    diags.push(
        Diagnostic::new(Code::NoPorts, "no ports")
            .at(&file, Pos { line: 5, column: 1 })
            .object(vd())
            .field("spec.ports"),
    );
    // So is the same field missing on another object.
    let other = ObjectRef {
        name: "other".into(),
        ..vd()
    };
    diags.push(
        Diagnostic::new(Code::NoHosts, "no hosts")
            .at(
                &file,
                Pos {
                    line: 20,
                    column: 3,
                },
            )
            .object(other)
            .field("spec.hosts"),
    );
    assert_eq!(
        codes(diags),
        [Code::NoPorts, Code::UnknownField, Code::NoHosts]
    );
}
