//! `wgrec refresh`.
use super::Context;
use crate::cli::RefreshArgs;

pub fn run(_ctx: &Context, _args: RefreshArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("refresh is not implemented yet"))
}
