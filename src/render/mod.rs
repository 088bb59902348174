//! Output formats. Each renderer takes plain `model` values and writes text.

pub mod ics;
pub mod itinerary;
pub mod list;
