//! **VDC110 symlink-escape** (warning): A symbolic link leads out of INPUT and is not followed.
//!
//! ## What it does
//!
//! A symbolic link below INPUT whose target is outside INPUT. It is not followed. (A link whose
//! target does not exist at all is VDC103.)
//!
//! ## Why is this bad?
//!
//! The output must depend only on INPUT: a link to a file elsewhere makes a render differ from
//! machine to machine and can pull unrelated files into the compilation.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/shared.yaml`:
//!
//! ```text
//! clusters/cluster1/gloo/shared.yaml -> ../../../../../bookinfo/gloo/workspaces.yaml
//! ```
//!
//! ## Fix
//!
//! Copy the file into INPUT, or point the link at a file inside INPUT.
//!
//! Fixture: `testdata/check/symlink-escape/`. Long form: `docs/diagnostics.md#vdc110`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::SymlinkEscape;

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "this file is a symbolic link that leads out of INPUT; it is not read",
    )
}
