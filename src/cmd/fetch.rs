//! `wgrec fetch`.
use super::Context;
use crate::cli::FetchArgs;

pub fn run(_ctx: &Context, _args: FetchArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("fetch is not implemented yet"))
}
