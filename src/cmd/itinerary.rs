//! `wgrec itinerary`.
use super::Context;
use crate::cli::ItineraryArgs;

pub fn run(_ctx: &Context, _args: ItineraryArgs) -> anyhow::Result<u8> {
    anyhow::bail!(crate::Error::input("itinerary is not implemented yet"))
}
