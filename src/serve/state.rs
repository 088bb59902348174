//! What the server keeps between requests: the index generation in service (reopened when
//! `wgrec refresh` or `wgrec index` swaps in a new one), the agendas read for it, and small
//! caches of ranked lists and policy guides for that generation.
//!
//! A generation is only ever opened once `CURRENT` names it, and `CURRENT` only ever names a
//! finished generation (see `crate::index`), so a request never sees a half-built index. Each
//! request reads `CURRENT` (a few bytes) and compares it with the generation in service; the
//! previous generation's handles stay valid for the requests still using them.

use crate::Result;
use crate::app::{self, Data};
use crate::guide::{Guide, GuideQuery};
use crate::home::Home;
use crate::index::{self, SearchIndex};
use crate::model::{Agenda, Recommendations};
use crate::rank::Vocabulary;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Ranked lists kept per generation, at most; the cache starts over when full.
const CACHE_ENTRIES: usize = 2048;

/// One index generation in service, with what was derived from it.
pub struct Served {
    pub data: Data,
    /// Agendas by meeting number, parsed on first use (for agenda links, `/now` and plans).
    agendas: Mutex<HashMap<u32, Arc<Agenda>>>,
    /// Ranked lists by request, for this generation only.
    lists: Mutex<HashMap<String, Arc<Recommendations>>>,
    /// Policy guides by (meeting, since), for this generation only: a guide ranks every topic
    /// of the vocabulary, far too slow to redo per request. One slot per guide, so that
    /// requests arriving while it is built wait for that build instead of starting their own.
    guides: Mutex<HashMap<(u32, Option<u32>), GuideSlot>>,
}

type GuideSlot = Arc<Mutex<Option<Arc<Guide>>>>;

impl Served {
    fn new(data: Data) -> Self {
        Self {
            data,
            agendas: Mutex::new(HashMap::new()),
            lists: Mutex::new(HashMap::new()),
            guides: Mutex::new(HashMap::new()),
        }
    }

    pub fn index(&self) -> &SearchIndex {
        &self.data.index
    }

    /// The meeting's parsed agenda.
    pub fn agenda(&self, meeting: u32) -> Result<Arc<Agenda>> {
        if let Some(a) = lock(&self.agendas).get(&meeting) {
            return Ok(a.clone());
        }
        let a = Arc::new(match self.data.index.agenda(meeting)? {
            Some(a) => a,
            None => self.data.snapshot.load_agenda(meeting)?,
        });
        lock(&self.agendas).insert(meeting, a.clone());
        Ok(a)
    }

    /// A ranked list from the cache, or computed by `make` and kept.
    pub fn list(
        &self,
        key: String,
        make: impl FnOnce() -> Result<Recommendations>,
    ) -> Result<Arc<Recommendations>> {
        if let Some(r) = lock(&self.lists).get(&key) {
            return Ok(r.clone());
        }
        let r = Arc::new(make()?);
        let mut lists = lock(&self.lists);
        if lists.len() >= CACHE_ENTRIES {
            lists.clear();
        }
        lists.insert(key, r.clone());
        Ok(r)
    }
}

impl Served {
    /// The policy guide of `meeting` (compared with `since`), from the cache or built and kept.
    /// A failed build (an unknown `since`) is not kept; only meetings of this generation's
    /// index get here, so the cache stays small.
    pub fn guide(&self, meeting: u32, since: Option<u32>) -> Result<Arc<Guide>> {
        let slot = lock(&self.guides)
            .entry((meeting, since))
            .or_default()
            .clone();
        let mut done = lock(&slot);
        if let Some(g) = done.as_ref() {
            return Ok(g.clone());
        }
        let q = GuideQuery {
            meeting: Some(meeting),
            since,
        };
        let g = Arc::new(app::guide::guide(&self.data, &q)?);
        *done = Some(g.clone());
        Ok(g)
    }

    /// Builds the newest meeting's guide on a thread of its own, so that the first visitor of
    /// `/guide` does not wait for it (a guide takes seconds: it ranks every topic).
    fn warm_guide(self: &Arc<Self>) {
        let Some(newest) = self.index().meetings().last().copied() else {
            return;
        };
        let me = self.clone();
        let spawned = std::thread::Builder::new()
            .name("wgrec-guide".into())
            .spawn(move || {
                if let Err(e) = me.guide(newest, None) {
                    tracing::warn!("preparing the IETF {newest} guide: {e}");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start preparing the guide: {e}");
        }
    }
}

/// A poisoned lock only means another request panicked mid-update of a cache; the map itself is
/// still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The server's state, shared by every request.
pub struct State {
    home: Home,
    /// URL prefix the pages live under (`""` or `/wgrec`).
    pub base: String,
    pub vocabulary: Vocabulary,
    current: Mutex<(PathBuf, Arc<Served>)>,
    /// Whether each generation put in service builds the newest meeting's guide ahead
    /// ([`State::warm_guides`]).
    warm: std::sync::atomic::AtomicBool,
}

impl State {
    /// Opens the data as the CLI does (the home's snapshot, else the bundled meeting; the live
    /// index generation, else one built in memory). Writes nothing to the home.
    pub fn open(home: Home, base: String, notes: app::Notes) -> Result<Self> {
        let data = Data::open(&home, notes)?;
        let vocabulary = Vocabulary::load(None)?;
        let dir = data.index.dir.clone();
        Ok(Self {
            home,
            base,
            vocabulary,
            current: Mutex::new((dir, Arc::new(Served::new(data)))),
            warm: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// From now on, prepare the newest meeting's policy guide in the background for the
    /// generation in service and every one swapped in later (the server does; tests need not).
    pub fn warm_guides(&self) {
        self.warm.store(true, std::sync::atomic::Ordering::Relaxed);
        lock(&self.current).1.warm_guide();
    }

    /// The generation in service, switching to the one `CURRENT` names if it changed.
    pub fn served(&self) -> Arc<Served> {
        // Read outside the lock: a slow disk must not serialise every request. An unreadable
        // pointer keeps the generation in service.
        let live = index::live_generation(&self.home).unwrap_or_else(|e| {
            tracing::warn!("{e}");
            None
        });
        let mut cur = lock(&self.current);
        match live {
            // No index in the home (the bundled meeting, or an index built in memory from a
            // snapshot nobody indexed yet): keep the one in service.
            None => cur.1.clone(),
            Some(dir) if dir == cur.0 => cur.1.clone(),
            Some(dir) => match open_generation(&self.home) {
                Ok(served) => {
                    tracing::info!("serving index generation {}", dir.display());
                    let served = Arc::new(served);
                    *cur = (dir, served.clone());
                    if self.warm.load(std::sync::atomic::Ordering::Relaxed) {
                        served.warm_guide();
                    }
                    served
                }
                // Swapped away again before it could be opened, or unreadable: the generation
                // in service still answers, and the next request tries again.
                Err(e) => {
                    tracing::warn!("cannot open index generation {}: {e}", dir.display());
                    cur.1.clone()
                }
            },
        }
    }
}

fn open_generation(home: &Home) -> Result<Served> {
    // The same opening as every reader's: the generation `CURRENT` names, with the warnings a
    // reader should see (an index older than the snapshot, an incomplete snapshot).
    Ok(Served::new(Data::open(home, &app::no_notes)?))
}
