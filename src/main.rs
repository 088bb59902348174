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
            let code = wgrec::error::exit_code_of(&err);
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err}");
            // Library errors often already include their source in their message; say each
            // cause once.
            let mut said = err.to_string();
            for cause in err.chain().skip(1) {
                let text = cause.to_string();
                if !said.contains(&text) {
                    let _ = writeln!(stderr, "  caused by: {text}");
                }
                said.push_str(&text);
            }
            ExitCode::from(code)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
