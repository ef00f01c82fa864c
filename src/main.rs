#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use std::io::Write;
use std::process::ExitCode;

// Files parse and decode on every core at once; glibc's allocator serialises much of that work
// on its arenas, mimalloc keeps a heap per thread (render L: 11.5 s → 9 s on 2 cores).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A file-size limit (`ulimit -f`) would kill vdc mid-write with SIGXFSZ and no message;
    // ignored, the write fails with EFBIG instead, which vdc reports like any write error
    // (and the half-built tree is removed).
    #[cfg(unix)]
    // SAFETY: setting a signal to SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let args = match <vdc::cli::Cli as clap::Parser>::try_parse() {
        Ok(args) => args,
        Err(err) => return usage_or_help(&out_hint(err)),
    };
    if writes_to_stdout(&args) && stdout_is_closed() {
        let _ = writeln!(
            std::io::stderr(),
            "vdc: error: stdout is closed, so the output would be lost; nothing was done"
        );
        return vdc::cli::Status::Failure.into();
    }
    match vdc::cli::run(args) {
        Ok(status) => status.into(),
        // A reader that stops early (`vdc check | head`) closes the pipe: vdc stops quietly
        // with status 0, as ripgrep does.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors quote paths, context names and kubectl's words: no control character in
            // them reaches the terminal (line breaks stay).
            let text = format!("{err:#}");
            let text: Vec<_> = text.split('\n').map(vdc::text::escape_controls).collect();
            let _ = writeln!(std::io::stderr(), "vdc: error: {}", text.join("\n"));
            vdc::cli::Status::Failure.into()
        }
    }
}

/// `vdc render INPUT -o out`: `-o` is `--format` (as in kubectl), but one who meant an output
/// folder learns only that `out` is not a format. A tip names `--out DIR`.
fn out_hint(mut err: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let on_format = matches!(
        err.get(ContextKind::InvalidArg),
        Some(ContextValue::String(arg)) if arg.starts_with("--format")
    );
    // The subcommand as clap reads it, wherever global flags put it (`vdc -q render …`).
    let command = <vdc::cli::Cli as clap::CommandFactory>::command().ignore_errors(true);
    let render =
        (command.try_get_matches().ok()).is_some_and(|m| m.subcommand_name() == Some("render"));
    if err.kind() == ErrorKind::InvalidValue && on_format && render {
        let tip = "`-o` is `--format`; to write the objects as a tree of files, use `--out DIR`";
        err.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
    }
    err
}

/// Help and version go to stdout, and a failure to write them (`--help > /dev/full`) is exit 2,
/// not a silent 0; a usage error goes to stderr with exit 2, as clap prints it.
fn usage_or_help(err: &clap::Error) -> ExitCode {
    if err.use_stderr() {
        let _ = err.print();
        return ExitCode::from(2);
    }
    match err.print().and_then(|()| std::io::stdout().flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "vdc: error: writing to stdout: {e}");
            vdc::cli::Status::Failure.into()
        }
    }
}

/// Whether the command's results go to stdout (all but `render --out`).
fn writes_to_stdout(args: &vdc::cli::Cli) -> bool {
    !matches!(&args.command, vdc::cli::Command::Render(r) if r.out.is_some())
}

/// Whether stdout was closed when vdc started (`>&-`). Rust's runtime then opens `/dev/null`
/// read-write in its place, so every write succeeds and the output is lost in silence. A shell's
/// `> /dev/null` opens it write-only: a read-write `/dev/null` on stdout is the runtime's.
fn stdout_is_closed() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(null) = std::fs::metadata("/dev/null") else {
            return false;
        };
        let stdout = std::io::stdout();
        let Ok(stat) = rustix::fs::fstat(&stdout) else {
            return true;
        };
        let is_null = rustix::fs::FileType::from_raw_mode(stat.st_mode)
            == rustix::fs::FileType::CharacterDevice
            && stat.st_rdev == null.rdev();
        let read_write =
            rustix::fs::fcntl_getfl(&stdout).is_ok_and(|f| f.contains(rustix::fs::OFlags::RDWR));
        is_null && read_write
    }
    #[cfg(not(unix))]
    false
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                .is_some_and(|k| k == std::io::ErrorKind::BrokenPipe)
    })
}
