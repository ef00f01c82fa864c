use std::process::ExitCode;

fn main() -> ExitCode {
    let args = <vdc::cli::Cli as clap::Parser>::parse();
    match vdc::cli::run(args) {
        Ok(status) => status.into(),
        Err(err) => {
            eprintln!("vdc: error: {err:#}");
            vdc::cli::Status::Failure.into()
        }
    }
}
