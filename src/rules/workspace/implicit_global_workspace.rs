//! **VDC302 implicit-global-workspace** (info): No Workspace is defined; everything forms the implicit global workspace.
//!
//! ## What it does
//!
//! The input has no Workspace, so every namespace of every cluster forms one implicit workspace
//! named `global`. Reported once.
//!
//! ## Why is this bad?
//!
//! Nothing is wrong: small meshes often have no workspaces. The note tells you which workspace
//! owns everything, since its name appears in the generated objects' labels
//! (`context.mesh.gloo.solo.io/workspace: global`).
//!
//! ## Example
//!
//! `gloo/workspaces.yaml`:
//!
//! ```text
//! (the file is absent: the input defines no Workspace)
//! ```
//!
//! ## Fix
//!
//! Nothing to fix. Define Workspaces when teams need to own and share config separately.
//!
//! Fixture: `testdata/check/implicit-global-workspace/`. Long form: `docs/diagnostics.md#vdc302`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::World;
use crate::resolve::workspaces::IMPLICIT_WORKSPACE;

pub const CODE: Code = Code::ImplicitGlobalWorkspace;

pub fn check(world: &World, diags: &mut Diagnostics) {
    if world.workspaces.is_empty() {
        diags.push(diagnostic());
    }
}

pub fn diagnostic() -> Diagnostic {
    Diagnostic::new(
        CODE,
        format!(
            "the input defines no Workspace, so every namespace of every cluster forms one implicit workspace `{IMPLICIT_WORKSPACE}`"
        ),
    )
}
