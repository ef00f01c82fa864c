//! Every name that becomes an object name, a namespace or a path is a DNS name: checked here,
//! once, for Gloo objects and for cluster state alike.

use super::decode::DecodeContext;
use crate::dns;
use crate::load::Document;
use crate::rules::load::invalid_name_skipped;
use crate::rules::schema::invalid_name::{self, Problem};

/// Names of Gloo objects end up in generated names and paths: they must be DNS names.
pub(super) fn check_gloo_names(cx: &mut DecodeContext, doc: &Document) {
    if let Some(problem) = name_problem(doc) {
        let field = problem.metadata_field();
        cx.push(invalid_name::diagnostic(cx.site(doc.pos()), field, problem));
    }
}

/// Why `doc`'s name or namespace is not a DNS name, if it is not. A Namespace's own name is a
/// label, like every namespace.
fn name_problem(doc: &Document) -> Option<Problem<'_>> {
    let namespace_like = doc.kind == "Namespace" && doc.api_version == "v1";
    let name_ok = if namespace_like {
        dns::is_dns_label(&doc.name)
    } else {
        dns::is_dns_subdomain(&doc.name)
    };
    if !name_ok {
        return Some(Problem::ObjectName {
            name: &doc.name,
            label: namespace_like,
        });
    }
    if !doc.namespace.is_empty() && !dns::is_dns_label(&doc.namespace) {
        return Some(Problem::Namespace {
            namespace: &doc.namespace,
        });
    }
    None
}

/// Cluster state vdc reads becomes object names, namespaces and output paths: a name that is
/// not a DNS name (`..`, `/`, NUL, a newline, a look-alike letter, 300 bytes) is an error, and
/// the object is not used. Kubernetes itself never holds such a name, so the dump was edited.
pub(super) fn check_state_names(cx: &mut DecodeContext, doc: &Document) -> bool {
    let Some(problem) = name_problem(doc) else {
        return true;
    };
    let field = problem.metadata_field();
    cx.push(invalid_name::diagnostic(cx.site(doc.pos()), field, problem));
    false
}

/// An object of a kind vdc does not read is skipped whatever its name; an invalid one is
/// pointed out, as the dump it comes from was edited by hand or by a tool.
pub(super) fn skip_invalid_names(cx: &mut DecodeContext, doc: &Document) {
    if let Some(problem) = name_problem(doc) {
        let site = cx.site(doc.pos());
        cx.push(invalid_name_skipped::diagnostic(site, &doc.kind, problem));
    }
}
