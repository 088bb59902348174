//! Whom a change concerns: the officials' plans (`--profiles`), computed on the data now in
//! service, and the notices that match each official with the changes to their groups.

use super::diff::Item;
use super::report::OfficialNotice;
use crate::Result;
use crate::home::Home;
use crate::snapshot::Snapshot;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One official's itinerary, reduced to what decides whom a change concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialPlan {
    pub name: String,
    /// Groups with a session in the itinerary or offered as its alternatives, plus the
    /// official's `must` groups.
    pub groups: BTreeSet<String>,
    /// Why the itinerary could not be planned (then `groups` holds the `must` groups only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Computes every official's itinerary on the data now in service (`--profiles`). Called after
/// the swap, so its failures are reported as problems, not as a failed refresh.
pub trait Officials {
    /// The meeting the officials' file was written for, if it says; another meeting is refused.
    fn meeting(&self) -> Option<u32> {
        None
    }
    fn plans(&self, home: &Home, snapshot: &Snapshot, meeting: u32) -> Result<Vec<OfficialPlan>>;
}

/// The officials' plans (`None` without `--profiles` or when they could not be planned), each
/// failure said in `problems`.
pub(super) fn plan(
    officials: Option<&dyn Officials>,
    home: &Home,
    snapshot: &Snapshot,
    meeting: u32,
    problems: &mut Vec<String>,
) -> Option<Vec<OfficialPlan>> {
    let plans = match officials.map(|o| o.plans(home, snapshot, meeting)) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            problems.push(format!(
                "the officials' itineraries could not be planned: {e}"
            ));
            None
        }
    };
    for p in plans.iter().flatten() {
        if let Some(why) = &p.problem {
            problems.push(format!(
                "itinerary of {} could not be planned ({why}); only their must groups and \
                 previous plan were checked",
                p.name
            ));
        }
    }
    plans
}

/// The plans to record for next time: without `--profiles`, the plans we knew (so a later run
/// can still use them); an itinerary that could not be planned keeps its previous plan.
pub(super) fn to_keep(
    plans: Option<Vec<OfficialPlan>>,
    old: Vec<OfficialPlan>,
) -> Vec<OfficialPlan> {
    match plans {
        Some(p) => p
            .into_iter()
            .map(
                |n| match (&n.problem, old.iter().find(|o| o.name == n.name)) {
                    (Some(_), Some(o)) => o.clone(),
                    _ => n,
                },
            )
            .collect(),
        None => old,
    }
}

/// Which changes touch which official: a change concerns an official when its group is in their
/// itinerary now, was in it at the previous refresh (a session that moved away from them still
/// matters), or is one of their `must` groups (part of `groups`).
pub fn notices(
    items: &[Item],
    plans: &[OfficialPlan],
    previous: &[OfficialPlan],
) -> Vec<OfficialNotice> {
    plans
        .iter()
        .map(|p| {
            let before = previous.iter().find(|o| o.name == p.name);
            let concerns =
                |g: &String| p.groups.contains(g) || before.is_some_and(|b| b.groups.contains(g));
            OfficialNotice {
                name: p.name.clone(),
                changes: items
                    .iter()
                    .filter(|i| concerns(&i.group))
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}
