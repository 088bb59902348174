//! `wgrec index`.
use super::Context;
use crate::cli::IndexArgs;

pub fn run(_ctx: &Context, _args: IndexArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("index is not implemented yet"))
}
