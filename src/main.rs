//! The `wgrec` binary: parse, dispatch one subcommand, set up logging, map errors to exit codes.
//! All the work is in the library, which it reaches by name (`wgrec::`). This file and its
//! modules (`cli.rs`, `cmd/`, `arena.rs`) are the binary's: `src/lib.rs` declares none of them,
//! and no library file names them or clap (tests/cli/layering.rs checks).

mod arena;
mod cli;
mod cmd;

#[global_allocator]
static ALLOC: arena::Arena = arena::Arena;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use wgrec::error::exit;

fn main() -> ExitCode {
    if version_only() {
        // Same text as clap's `--version`, without building the whole command tree first
        // (three quarters of the run's instructions; README "Speed, measured").
        let _ = writeln!(std::io::stdout(), "wgrec {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::from(exit::OK);
    }
    let cli = cli::Cli::parse();
    match run(cli) {
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

/// Whether the command line is exactly `wgrec --version` or `wgrec -V`.
fn version_only() -> bool {
    let mut args = std::env::args_os().skip(1);
    matches!((args.next(), args.next()), (Some(a), None) if a == "--version" || a == "-V")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs one parsed command line. Returns the exit code on success paths (refresh has several).
fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    init_logging(&cli.global);
    let ctx = cmd::Context::new(&cli.global);
    use cli::Command;
    if matches!(
        cli.command,
        Command::Recommend(_) | Command::Search(_) | Command::Itinerary(_)
    ) {
        // One query and out: small blocks from a bump arena (see `arena`).
        arena::one_shot();
    }
    let code = match cli.command {
        Command::Fetch(a) => cmd::fetch::run(&ctx, a)?,
        Command::Index(a) => cmd::index::run(&ctx, a)?,
        Command::Recommend(a) => cmd::recommend::run(&ctx, a)?,
        Command::Search(a) => cmd::recommend::search(&ctx, a)?,
        Command::Eval(a) => cmd::recommend::eval(&ctx, a)?,
        Command::Itinerary(a) => cmd::itinerary::run(&ctx, a)?,
        Command::Refresh(a) => cmd::refresh::run(&ctx, a)?,
        Command::Guide(a) => cmd::guide::run(&ctx, a)?,
        Command::Serve(a) => cmd::serve::run(&ctx, a)?,
    };
    Ok(ExitCode::from(code))
}

/// Logs go to stderr; stdout carries only data. `RUST_LOG` overrides the verbosity flags.
fn init_logging(g: &cli::GlobalArgs) {
    let level = if g.quiet {
        "error"
    } else {
        match g.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("wgrec={level}")));
    // Colour only for a person at a terminal: cron mail and the journal get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
