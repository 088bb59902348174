//! `wgrec serve`: hands the parsed flags to the web server (`wgrec::serve`).
use super::Context;
use crate::cli::ServeArgs;

pub fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<u8> {
    let quiet = ctx.quiet;
    let notes = move |n: &str| {
        if !quiet {
            eprintln!("note: {n}");
        }
    };
    wgrec::serve::run(
        wgrec::serve::Config {
            home: ctx.home.clone(),
            listen: args.listen,
            base_path: args.base_path,
        },
        &notes,
    )?;
    Ok(wgrec::error::exit::OK)
}
