//! `wgrec recommend`, `wgrec search` and `wgrec eval`.
use super::Context;
use crate::cli::{EvalArgs, RecommendArgs, SearchArgs};

pub fn run(_ctx: &Context, _args: RecommendArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("recommend is not implemented yet"))
}

pub fn search(_ctx: &Context, _args: SearchArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("search is not implemented yet"))
}

pub fn eval(_ctx: &Context, _args: EvalArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("eval is not implemented yet"))
}
