//! The rules: one file per diagnostic code, `<family>/<slug>.rs`, named by the registry row of
//! its code (`codes!` in `diagnostic.rs`). A rule file holds the code's doc (what it does, why
//! it is bad, an example, the fix), its message, and, when the typed input is enough to see the
//! problem, its check. The family is the code's hundreds: 1 load, 2 schema, 3 workspace, 4 vd,
//! 5 topology, 6 policy, 7 routing, 8 external.

pub mod external;
pub mod load;
pub mod policy;
pub mod routing;
pub mod schema;
pub mod topology;
pub mod vd;
pub mod workspace;

// A registry row whose rule file is missing, or whose file holds another code, does not
// compile. The check sits here, not beside the registry, so the registry (stage 0) does not
// depend on the rules, which read later stages.
macro_rules! assert_rule_files {
    ($( ($variant:ident, $code:literal, $family:ident, $rule:ident, $slug:literal) )*) => {
        const _: () = {
            $( assert!(matches!($family::$rule::CODE, crate::diagnostic::Code::$variant)); )*
        };
    };
}
for_each_code!(assert_rule_files);
