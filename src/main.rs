#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use std::io::Write;
use std::process::ExitCode;

// Files parse and decode on every core at once; glibc's allocator serialises much of that work
// on its arenas, mimalloc keeps a heap per thread (render L: 11.5 s → 9 s on 2 cores).
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
    let args = <vdc::cli::Cli as clap::Parser>::parse();
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
