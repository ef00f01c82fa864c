//! What is generated from the clap definition: the completion scripts (`vdc completions`) and
//! the man pages. `completions/` and `docs/` hold committed copies, which a test keeps current.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{Cli, CompletionsArgs};
use super::{STDOUT, Status};
use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// `vdc completions SHELL`: the script on stdout.
pub(super) fn completions(args: CompletionsArgs) -> Result<Status> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(completion_script(args.shell).as_bytes())
        .and_then(|()| stdout.flush())
        .context(STDOUT)?;
    Ok(Status::Clean)
}

/// The completion script for `shell`; `completions/` holds a committed copy of each.
pub fn completion_script(shell: Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "vdc", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The man pages in roff, as (file name, text): `vdc.1` and one `vdc-<command>.1` per command,
/// which `vdc.1` refers to. `docs/` holds committed copies, which a test keeps current.
pub fn man_pages() -> Result<Vec<(String, String)>> {
    // The package version alone: the commit `--version` names would make the committed pages
    // stale on every commit.
    let mut cmd = Cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    cmd.build();
    let mut commands = vec![cmd.clone()];
    commands.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    commands
        .into_iter()
        .map(|cmd| {
            let name = cmd.get_name().to_owned();
            let man = clap_mangen::Man::new(cmd);
            let mut page = Vec::new();
            man.render(&mut page)?;
            page.extend_from_slice(man_extra(&name).as_bytes());
            Ok((
                man.get_filename(),
                String::from_utf8_lossy(&page).into_owned(),
            ))
        })
        .collect()
}

/// The EXIT STATUS and EXAMPLES sections of a man page, in roff, for `vdc` or one command.
fn man_extra(command: &str) -> String {
    let one = match command {
        "check" => "error\\-level diagnostics (with \\fB\\-\\-fail\\-on warning\\fR, warnings too)",
        "diff" => "differences found",
        "render" => "error\\-level diagnostics; with \\fB\\-\\-exit\\-code\\fR, OUT changed",
        "explain" => "error\\-level diagnostics",
        "trace" => "the request fails (no route, no cluster, no healthy endpoint, TLS mismatch)",
        "completions" | "snapshot" | "rule" => "not used",
        _ => {
            "error\\-level diagnostics (render, check, explain), differences found (diff), OUT changed (render \\-\\-exit\\-code), or the request fails (trace)"
        }
    };
    let examples: &[&str] = match command {
        "render" => &[
            "vdc render mesh \\-\\-out rendered",
            "vdc render mesh \\-\\-cluster cluster1 | kubectl apply \\-f \\-",
        ],
        "check" => &[
            "vdc check mesh",
            "vdc check mesh \\-o github \\-\\-fail\\-on warning",
        ],
        "diff" => &[
            "vdc diff rendered mesh    # is rendered/ what mesh/ renders to?",
            "vdc diff base/mesh mesh \\-o markdown > comment.md",
        ],
        "explain" => &[
            "vdc explain mesh productpage",
            "vdc explain mesh \\-\\-object cluster1/ServiceEntry/istio\\-gateways/vd\\-reviews\\-global",
        ],
        "trace" => &[
            "vdc trace mesh \\-\\-from cluster1/bookinfo\\-frontends/productpage\\-v1 \\-\\-to reviews.global:8080",
            "vdc trace mesh \\-\\-from cluster1/bookinfo\\-frontends \\-\\-to productpage.global \\-\\-fail cluster:cluster1 \\-o json",
        ],
        "snapshot" => &["vdc snapshot mesh \\-\\-context kind\\-c1 \\-\\-as cluster1 \\-\\-gloo"],
        "completions" => {
            &["vdc completions bash > ~/.local/share/bash\\-completion/completions/vdc"]
        }
        _ => &[
            "vdc render mesh \\-\\-out rendered",
            "vdc diff rendered mesh",
        ],
    };
    let mut out = format!(
        ".SH \"EXIT STATUS\"\n.TP\n0\nclean, or no difference\n.TP\n1\n{one}\n.TP\n2\nusage error, unreadable input, I/O failure, or kubectl failure\n.SH EXAMPLES\n"
    );
    for example in examples {
        out.push_str(&format!(".PP\n.nf\n{example}\n.fi\n"));
    }
    out
}
