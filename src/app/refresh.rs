//! The nightly refresh with the real fetcher, index and planner: wires `crate::fetch` and
//! `crate::index` into the flow of `crate::refresh` (which owns the lock, the diff and the
//! commit order) and plans the officials of a profiles file to learn whom a change concerns.

use crate::fetch::{self, FetchOptions};
use crate::home::Home;
use crate::index;
use crate::profiles::{self, Profiles};
use crate::refresh::report::{Failure, FetchSummary, Report};
use crate::refresh::{self, OfficialPlan, Officials, Pipeline, Target};
use crate::snapshot::Snapshot;
use crate::{Error, Result};
use std::collections::BTreeSet;
use std::path::Path;

/// The datatracker fetcher and the tantivy index, driven from a single tokio runtime.
struct Real {
    opts: FetchOptions,
    rt: tokio::runtime::Runtime,
}

impl Pipeline for Real {
    fn upcoming(&self) -> Result<u32> {
        let n = self.rt.block_on(fetch::upcoming_meeting(&self.opts))?;
        tracing::info!("the upcoming meeting is IETF {n}");
        Ok(n)
    }

    fn fetch(&self, snapshot_dir: &Path, meeting: u32) -> Result<FetchSummary> {
        let r = self
            .rt
            .block_on(fetch::fetch_meeting(&self.opts, snapshot_dir, meeting))?;
        Ok(FetchSummary {
            requests: usize::try_from(r.requests).unwrap_or(usize::MAX),
            not_modified: r.not_modified,
            changed: r.changed,
            failed: r
                .failures
                .into_iter()
                .map(|(url, reason)| Failure { url, reason })
                .collect(),
        })
    }

    fn index_is_current(&self, home: &Home, snapshot: &Snapshot) -> Result<bool> {
        index::is_fresh(home, snapshot)
    }

    fn rebuild_index(&self, home: &Home, snapshot: &Snapshot) -> Result<()> {
        index::rebuild(home, snapshot)
    }
}

/// The officials of a profiles file, planned as `wgrec itinerary --profiles` plans them.
struct Profiled(Profiles);

impl Officials for Profiled {
    fn meeting(&self) -> Option<u32> {
        self.0.meeting
    }

    fn plans(&self, home: &Home, snapshot: &Snapshot, meeting: u32) -> Result<Vec<OfficialPlan>> {
        let idx = index::ensure(home, snapshot)?;
        let data = super::Data {
            snapshot: snapshot.clone(),
            index: idx,
            warnings: Vec::new(),
        };
        let planned = super::plan::plan_each(&data, &self.0, meeting);
        Ok(self
            .0
            .officials
            .iter()
            .zip(planned)
            .map(|(o, (name, it))| {
                let mut groups: BTreeSet<String> = o.must.iter().cloned().collect();
                let problem = match it {
                    Ok(it) => {
                        // The plan and the swaps it offers: a change elsewhere is not theirs.
                        groups.extend(it.slots().flat_map(|s| {
                            std::iter::once(s.chosen.group.clone())
                                .chain(s.alternatives.iter().map(|a| a.group.clone()))
                        }));
                        None
                    }
                    Err(e) => Some(format!("{:#}", anyhow::Error::new(e))),
                };
                OfficialPlan {
                    name,
                    groups,
                    problem,
                }
            })
            .collect())
    }
}

/// Reads and checks a profiles file for a refresh of `target`: a bad file, or one written for
/// another meeting, is bad input, refused before anything is fetched.
pub fn load_profiles(file: &Path, target: Target) -> Result<Profiles> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::input(format!("cannot read profiles file {}: {e}", file.display())))?;
    let p = profiles::parse(&text, &file.display().to_string())?;
    if let (Some(m), Target::Meeting(n)) = (p.meeting, target)
        && m != n
    {
        return Err(refresh::profiles_mismatch(m, n));
    }
    Ok(p)
}

/// Refreshes `target` in `home` with the datatracker client configured by `opts`, planning the
/// `profiles` officials when given. `deliver` writes the report; the run's record is committed
/// only after it succeeds (see `crate::refresh::refresh_and_deliver`).
pub fn refresh(
    home: &Home,
    target: Target,
    opts: FetchOptions,
    profiles: Option<Profiles>,
    deliver: &mut dyn FnMut(&Report) -> Result<()>,
) -> Result<Report> {
    let rt = super::runtime()?;
    let profiles = profiles.map(Profiled);
    let officials = profiles.as_ref().map(|p| p as &dyn Officials);
    refresh::refresh_and_deliver(home, target, &Real { opts, rt }, officials, deliver)
}
