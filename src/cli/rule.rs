//! `vdc rule`: a diagnostic code's page, as `ruff rule` prints one, from the same text as
//! docs/diagnostics.md (shipped inside the binary), so the terminal and the docs never differ.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::RuleArgs;
use super::{STDOUT, Status};
use crate::diagnostic::Code;
use anyhow::{Context, Result, bail};
use std::io::Write;

pub(super) fn rule(args: RuleArgs) -> Result<Status> {
    let text = match &args.code {
        Some(name) => match Code::parse(name) {
            Some(code) => format!("{}\n", crate::report::rule_page(code)),
            None => bail!(
                "`{}` is not a diagnostic code of vdc; `vdc rule` lists them all",
                crate::text::escape_controls(name)
            ),
        },
        None => crate::report::rule_index(),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context(STDOUT)?;
    Ok(Status::Clean)
}
