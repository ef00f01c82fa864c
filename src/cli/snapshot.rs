//! `vdc snapshot`: INPUT's cluster state read from live clusters with kubectl.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::Status;
use super::args::{GlobalArgs, SnapshotArgs};
use super::progress_line::ProgressLine;
use anyhow::Result;
use std::io::Write;

/// Exit 2 when kubectl is missing or fails: nothing is written then.
pub(super) fn snapshot(args: SnapshotArgs, global: &GlobalArgs) -> Result<Status> {
    anyhow::ensure!(
        args.names.is_empty() || args.names.len() == args.contexts.len(),
        "--as names the cluster of each --context in order: {} --as for {} --context",
        args.names.len(),
        args.contexts.len()
    );
    let mut clusters = Vec::new();
    for (i, context) in args.contexts.iter().enumerate() {
        let name = args.names.get(i).unwrap_or(context);
        anyhow::ensure!(
            crate::dns::is_dns_label(name),
            "cluster name `{name}` (of context `{context}`) is not a DNS label, which a cluster folder must be; name it with --as NAME"
        );
        anyhow::ensure!(
            !clusters.iter().any(|(_, taken)| taken == name),
            "two contexts would be written as cluster `{name}` (the second is `{context}`); each --context needs its own --as name, or one would replace the other"
        );
        clusters.push((context.clone(), name.clone()));
    }
    // A management context also named by --context is read once, as the cluster it is.
    let management_context = args
        .gloo_context
        .filter(|context| !args.contexts.contains(context));
    let kubectl = crate::snapshot::find_kubectl()?;
    let request = crate::snapshot::Request {
        clusters,
        gloo: args.gloo,
        management_context,
        timeout: std::time::Duration::from_secs(args.timeout),
    };
    let snapshot = {
        let _progress = ProgressLine::start(global.quiet);
        crate::snapshot::snapshot(&kubectl, &args.input, &request)?
    };
    if args.gloo && snapshot.virtual_destinations == 0 {
        eprintln!(
            "vdc: warning: no context holds a VirtualDestination, so this input renders nothing; \
             name the context that holds the Gloo config with --context or --gloo-context"
        );
    }
    if !global.quiet {
        for w in snapshot.written {
            eprintln!(
                "vdc: context {}: {} objects → {}",
                crate::text::escape_controls(&w.context),
                w.objects,
                crate::text::escape_controls(&w.path.display().to_string())
            );
        }
    }
    Ok(Status::Clean)
}
