//! The `wgrec` binary: parse, run, map errors to exit codes. All the work is in the library.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use wgrec::error::exit;

fn main() -> ExitCode {
    let cli = wgrec::cli::Cli::parse();
    match wgrec::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`wgrec search x | head`) is the reader's choice, not a failure.
            if is_broken_pipe(&err) {
                return ExitCode::from(exit::OK);
            }
            let code = err
                .chain()
                .find_map(|e| e.downcast_ref::<wgrec::Error>())
                .map(wgrec::Error::exit_code)
                .unwrap_or(exit::FAILURE);
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err}");
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {cause}");
            }
            ExitCode::from(code)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(e.downcast_ref::<wgrec::Error>(), Some(wgrec::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
