//! The meeting's policy guide: the whole meeting organised by policy topic, for people who brief
//! officials. A library use case producing plain types; `render::guide` writes them as Markdown,
//! HTML or JSON.
//!
//! How it is decided:
//! - **Topics.** The guide's topics are the vocabulary's policy topics ([`policy_topics`]), in
//!   the order `vocabulary/guide.toml` gives them (the order a reader expects); the vocabulary's
//!   other topics are engineering subjects. A topic appears when it names at least one group.
//! - **Strong matches.** Every topic of the vocabulary is ranked by `rank` exactly as
//!   `recommend --interest <topic>` would rank it; the groups `rank` calls strong ([`is_strong`]:
//!   the group's own work is about the topic, see docs/rank.md) are the topic's candidates.
//!   A topic that more than [`BROAD_SHARE`] of the meeting's groups match strongly is left out
//!   (and named as such): it tells the groups apart no better than the meeting's list does.
//! - **Which groups a topic names** ([`names`]). Among its best [`TOPIC_BEST`] strong matches,
//!   those whose work is mainly about policy ([`is_policy_work`]: their strong matches weigh
//!   more on the guide's policy topics than on the vocabulary's engineering topics) and those
//!   meeting for the first time in the snapshot, whatever their work; and every strong match
//!   that is a BoF, now or at an earlier meeting in the snapshot, whatever its place. The other
//!   strong matches are listed by name only in the JSON (`also_strong`).
//! - **Groups.** A group may serve several topics; it is described once, under the first of its
//!   topics in reading order, and referred to from the others. Every BoF of the meeting is
//!   described too (under its topic, or under "New and notable" when it has none).
//! - **New and notable.** BoFs; groups meeting for the first time (no session at any earlier
//!   meeting in the snapshot); with `since`, the groups that met then and not now, and the topics
//!   that gained or lost groups between the two meetings (both decided the same way).

use crate::index::SearchIndex;
use crate::model::{Recommendation, Session, SessionRef};
use crate::rank::{self, RecommendQuery, Vocabulary, text::ends_whole};
use crate::snapshot::{self, MeetingData, Snapshot};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Which vocabulary topics the guide covers, in reading order (compiled in).
pub const OUTLINE: &str = include_str!("../vocabulary/guide.toml");

/// Where a group's page on the datatracker lives.
pub const DATATRACKER: &str = crate::plan::DATATRACKER;

/// More than any meeting has groups: the guide wants every strong match, not a top list.
const ALL_GROUPS: usize = 10_000;

/// Longest summary sentence, in words; longer ones are cut at a word and end in "…".
pub const SUMMARY_WORDS: usize = 40;

/// What the guide is asked for.
#[derive(Debug, Clone, Default)]
pub struct GuideQuery {
    /// `None`: the newest meeting in the snapshot.
    pub meeting: Option<u32>,
    /// An earlier meeting to compare with.
    pub since: Option<u32>,
}

/// The guide: the `--format json` contract documented in the README (fields only added).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guide {
    pub meeting: u32,
    pub city: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// IANA zone the meeting runs on; renderers show times in it.
    pub timezone: chrono_tz::Tz,
    pub generated: DateTime<Utc>,
    /// Topics with strong matches, in reading order.
    pub topics: Vec<GuideTopic>,
    /// Every group the guide describes, in the order it describes them.
    pub groups: Vec<GuideGroup>,
    /// Policy topics left out because too many of the meeting's groups match them.
    pub broad_topics: Vec<BroadTopic>,
    pub new_and_notable: Notable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideTopic {
    /// The vocabulary's topic name (lower case).
    pub name: String,
    /// One plain sentence on what the topic is about, when the vocabulary has one.
    pub gloss: Option<String>,
    /// Acronyms of the groups the guide names for the topic, best first.
    pub groups: Vec<String>,
    /// The topic's other strong matches, best first, that the guide does not name for it:
    /// beyond its best three, or groups whose work is mainly engineering.
    #[serde(default)]
    pub also_strong: Vec<String>,
}

/// A policy topic so many groups match that naming them would not help a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadTopic {
    pub name: String,
    /// How many of the meeting's groups match it strongly.
    pub groups: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideGroup {
    pub acronym: String,
    pub name: String,
    pub area: Option<String>,
    pub is_bof: bool,
    /// No session at any earlier meeting in the snapshot (false when there is none to compare).
    pub first_time: bool,
    /// One sentence on what the group does, from its description or charter.
    pub summary: String,
    /// The group's page on the datatracker.
    pub url: String,
    /// The guide's topics this group serves, in reading order.
    pub topics: Vec<String>,
    /// The topic it is described under; `None`: under "New and notable" (a BoF with no topic).
    pub described_under: Option<String>,
    /// Sessions at the meeting that are not cancelled, by start time.
    pub sessions: Vec<SessionRef>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Notable {
    /// Acronyms of the meeting's BoFs (all described in `groups`).
    pub bofs: Vec<String>,
    /// Groups (not BoFs) with no session at any of `compared_with`.
    pub first_time: Vec<GroupMention>,
    /// The earlier meetings in the snapshot; empty: nothing to compare with.
    pub compared_with: Vec<u32>,
    /// With `--since M`.
    pub since: Option<SinceChanges>,
}

/// A group named in "New and notable" that the guide may or may not describe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMention {
    pub acronym: String,
    pub name: String,
    /// Whether `groups` describes it.
    pub in_guide: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SinceChanges {
    pub meeting: u32,
    /// Groups with a session at `meeting` and none at this one.
    pub gone: Vec<GroupMention>,
    /// Topics whose strongly matching groups differ between the two meetings.
    pub topics: Vec<TopicChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicChange {
    pub topic: String,
    /// Strong matches now that were not then.
    pub gained: Vec<String>,
    /// Strong matches then that are not now.
    pub lost: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutlineFile {
    topics: Vec<String>,
}

/// The vocabulary's topics the guide covers, in reading order; every name must be a topic of
/// the vocabulary.
pub fn policy_topics(vocab: &Vocabulary) -> Result<Vec<&rank::vocab::Topic>> {
    let file: OutlineFile = toml::from_str(OUTLINE)
        .map_err(|e| Error::parse("built-in vocabulary/guide.toml", e.message()))?;
    file.topics
        .iter()
        .map(|n| {
            vocab.get(n).ok_or_else(|| {
                Error::parse(
                    "built-in vocabulary/guide.toml",
                    format!("{n:?} is not a topic of the vocabulary"),
                )
            })
        })
        .collect()
}

/// Whether `rank` counts a result as a strong match (`model::Strength`, decided in `rank`): the
/// guide lists exactly the groups `recommend --interest <topic>` calls strong.
pub fn is_strong(r: &Recommendation) -> bool {
    r.strength.is_strong()
}

/// A topic that more than this share of the meeting's groups match strongly says nothing about
/// any of them ("how standards are made" matches every working group): the guide leaves it out
/// and says so.
pub const BROAD_SHARE: f32 = 0.2;

/// A topic names at most this many of its best strong matches (new work aside): a briefing
/// points to the few groups most about a topic, not to every group that touches it. Chosen on
/// the development meetings (IETF 119-121), see README "The policy guide, measured".
pub const TOPIC_BEST: usize = 3;

/// Each policy topic's groups at one meeting, in reading order.
#[derive(Debug, Clone, Default)]
pub struct TopicMatches {
    /// Topics that name at least one group (groups best first); topics without one are left
    /// out.
    pub topics: Vec<(String, Vec<Recommendation>)>,
    /// Per topic of `topics`, its other strong matches, best first: beyond its best
    /// [`TOPIC_BEST`], or groups whose work is mainly engineering ([`is_policy_work`]).
    pub also_strong: BTreeMap<String, Vec<String>>,
    /// Topics left out as too broad ([`BROAD_SHARE`]), with how many groups matched.
    pub broad: Vec<(String, usize)>,
}

/// How much of a group's strong work is on the guide's policy topics and how much on the
/// vocabulary's other (engineering) topics: the sum of its shares (`score`, 1 for a topic's
/// best group) over the topics it is strong for.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Lean {
    pub policy: f32,
    pub engineering: f32,
}

/// Whether a group's work is mainly about policy questions: its strong matches weigh more on
/// the guide's policy topics than on the vocabulary's engineering topics (transport, routing,
/// operations, media, ...). A transport protocol that also encrypts is strong for "encryption",
/// but its work is transport; the guide leaves it to the engineers' lists.
pub fn is_policy_work(lean: Lean) -> bool {
    lean.policy > lean.engineering
}

/// How new a group's work is at a meeting, as far as the snapshot can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newness {
    /// Met at an earlier meeting in the snapshot, never as a BoF there.
    Established,
    /// No session at any earlier meeting in the snapshot (and not a BoF). It may be new work,
    /// or a long-standing group that skipped those meetings: the snapshot remembers only a
    /// few meetings, and groups do not meet at every one.
    FirstTime,
    /// A BoF at this meeting or at an earlier one in the snapshot: new work by the
    /// datatracker's own account.
    Bof,
}

/// Which groups the guide calls new work at one meeting: BoFs now or earlier, and groups
/// meeting for the first time in the snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewWork {
    /// This meeting's BoFs, and groups that were a BoF at an earlier meeting in the snapshot.
    pub bofs: BTreeSet<String>,
    /// Groups (not BoFs) with no session at any earlier meeting in the snapshot; empty when
    /// there is none to compare with.
    pub first_time: BTreeSet<String>,
}

impl NewWork {
    pub fn of(&self, group: &str) -> Newness {
        if self.bofs.contains(group) {
            Newness::Bof
        } else if self.first_time.contains(group) {
            Newness::FirstTime
        } else {
            Newness::Established
        }
    }
}

/// Whether a policy topic names its strong match at `place` (0: its best) in the guide:
/// - a BoF (now or at an earlier meeting in the snapshot) wherever it ranks: new work is what
///   a briefing on "hot topics" is for, and the datatracker says it is new;
/// - otherwise only among the topic's best [`TOPIC_BEST`]: a group meeting for the first time
///   in the snapshot whatever its work (it may be new work on the topic, even if engineering
///   work), an established group only when its work is mainly about policy
///   ([`is_policy_work`]). Having no session at the few earlier meetings a snapshot holds does
///   not make a group new, so it does not earn a place beyond the topic's best on that alone.
pub fn names(place: usize, newness: Newness, policy_work: bool) -> bool {
    match newness {
        Newness::Bof => true,
        Newness::FirstTime => place < TOPIC_BEST,
        Newness::Established => place < TOPIC_BEST && policy_work,
    }
}

/// Each policy topic's groups at `meeting` among `groups` (plenaries, tutorials and the like
/// are not groups to brief on). Every topic of the vocabulary is ranked, so that each group's
/// [`Lean`] is known; a policy topic then names, in its ranking's order, the strong matches
/// [`names`] accepts (BoFs wherever they rank; among its best [`TOPIC_BEST`], first-timers and
/// policy work).
///
/// A topic (policy or engineering) that more than [`BROAD_SHARE`] of the groups match strongly
/// says nothing about any group and counts for none.
pub fn topic_matches(
    idx: &SearchIndex,
    vocab: &Vocabulary,
    meeting: u32,
    groups: &BTreeMap<String, String>,
    new_work: &NewWork,
) -> Result<TopicMatches> {
    let policy: Vec<String> = policy_topics(vocab)?
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    let mut out = TopicMatches::default();
    let mut strong_of: BTreeMap<String, Vec<Recommendation>> = BTreeMap::new();
    let mut lean: BTreeMap<String, Lean> = BTreeMap::new();
    for (t, strong) in vocab
        .topics
        .iter()
        .zip(rank_all(idx, vocab, meeting, groups)?)
    {
        let is_policy = policy.iter().any(|p| *p == t.name);
        if strong.len() as f32 > BROAD_SHARE * groups.len() as f32 {
            if is_policy {
                out.broad.push((t.name.to_string(), strong.len()));
            }
            continue;
        }
        for r in &strong {
            let l = lean.entry(r.group.clone()).or_default();
            if is_policy {
                l.policy += r.score;
            } else {
                l.engineering += r.score;
            }
        }
        if is_policy {
            strong_of.insert(t.name.to_string(), strong);
        }
    }
    // The broad topics in reading order, as the rest.
    out.broad
        .sort_by_key(|(n, _)| policy.iter().position(|p| p == n));
    for name in &policy {
        let Some(strong) = strong_of.remove(name) else {
            continue;
        };
        let (mut named, mut other) = (Vec::new(), Vec::new());
        for (i, r) in strong.into_iter().enumerate() {
            let l = lean.get(&r.group).copied().unwrap_or_default();
            if names(i, new_work.of(&r.group), is_policy_work(l)) {
                named.push(r);
            } else {
                other.push(r.group);
            }
        }
        if !named.is_empty() {
            out.topics.push((name.clone(), named));
            out.also_strong.insert(name.clone(), other);
        }
    }
    Ok(out)
}

/// Threads ranking the vocabulary's topics at once, at most (a guide ranks them all).
const RANKING_THREADS: usize = 4;

/// Every topic of the vocabulary ranked at `meeting` as `recommend --interest <topic>` ranks
/// it, its strong matches among `groups` best first, in the vocabulary's order. The topics are
/// shared out over a few threads: each ranking is independent and reads the index only.
fn rank_all(
    idx: &SearchIndex,
    vocab: &Vocabulary,
    meeting: u32,
    groups: &BTreeMap<String, String>,
) -> Result<Vec<Vec<Recommendation>>> {
    let rank_one = |t: &rank::vocab::Topic| -> Result<Vec<Recommendation>> {
        let q = RecommendQuery {
            meeting: Some(meeting),
            interests: vec![t.name.to_string()],
            top: ALL_GROUPS,
            ..RecommendQuery::default()
        };
        let recs = rank::recommend_with(idx, &q, vocab, &rank::WEIGHTS)?;
        Ok(recs
            .results
            .into_iter()
            .filter(|r| is_strong(r) && groups.contains_key(&r.group))
            .collect())
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, RANKING_THREADS);
    let per = vocab.topics.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = vocab
            .topics
            .chunks(per)
            .map(|chunk| s.spawn(move || chunk.iter().map(rank_one).collect::<Vec<_>>()))
            .collect();
        let mut out = Vec::with_capacity(vocab.topics.len());
        for h in handles {
            // A panic in a ranking is a bug: raise it where the caller can see it.
            let ranked = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            for r in ranked {
                out.push(r?);
            }
        }
        Ok(out)
    })
}

/// The groups that are new work at a meeting, from the meetings before it in the snapshot:
/// its BoFs and groups that were a BoF at an earlier meeting; apart, groups meeting for the
/// first time (only when there is an earlier meeting to compare with).
fn new_work(now: &Attendance, earlier: &[&Attendance]) -> NewWork {
    let mut bofs: BTreeSet<String> = now.bofs.clone();
    for e in earlier {
        bofs.extend(
            e.bofs
                .iter()
                .filter(|b| now.groups.contains_key(*b))
                .cloned(),
        );
    }
    let first_time = if earlier.is_empty() {
        BTreeSet::new()
    } else {
        now.groups
            .keys()
            .filter(|g| !bofs.contains(*g) && !earlier.iter().any(|e| e.groups.contains_key(*g)))
            .cloned()
            .collect()
    };
    NewWork { bofs, first_time }
}

/// Who meets at one meeting.
#[derive(Debug, Clone, Default)]
struct Attendance {
    /// Acronym -> name of the groups that meet (not cancelled).
    groups: BTreeMap<String, String>,
    /// The BoFs among them.
    bofs: BTreeSet<String>,
}

impl Attendance {
    fn of(data: &MeetingData) -> Self {
        Self {
            groups: groups_of(data),
            bofs: data
                .agenda
                .sessions
                .iter()
                .filter(|s| s.is_bof && !s.status.is_cancelled())
                .map(|s| s.group.clone())
                .collect(),
        }
    }
}

/// Group sessions (not plenaries, tutorials, hackathons) that are not cancelled.
fn is_group_session(s: &Session) -> bool {
    !s.status.is_cancelled()
        && (s.is_bof
            || matches!(
                s.group_type.as_deref().unwrap_or(""),
                "wg" | "rg" | "ag" | "rag" | "bof" | "program" | "team" | "dir" | "iab" | "area"
            ))
}

/// Acronym -> name of the groups that meet at a meeting.
fn groups_of(data: &MeetingData) -> BTreeMap<String, String> {
    data.agenda
        .sessions
        .iter()
        .filter(|s| is_group_session(s))
        .map(|s| (s.group.clone(), s.group_name.clone()))
        .collect()
}

fn session_ref(s: &Session) -> SessionRef {
    SessionRef {
        id: s.id.clone(),
        start: s.start,
        end: s.end,
        room: s.room.clone(),
        status: s.status.clone(),
    }
}

/// Builds the guide for `q.meeting` (default: the newest) from the snapshot and its index.
/// Stays whole: the guide's sections are built in reading order from one set of rankings.
pub fn build(
    snap: &Snapshot,
    idx: &SearchIndex,
    vocab: &Vocabulary,
    q: &GuideQuery,
    generated: DateTime<Utc>,
) -> Result<Guide> {
    let meeting = idx.meeting(q.meeting)?.clone();
    let n = meeting.number;
    let earlier: Vec<u32> = idx.meetings().into_iter().filter(|m| *m < n).collect();
    if let Some(m) = q.since {
        if m >= n {
            return Err(Error::input(format!(
                "--since {m} must be an earlier meeting than IETF {n}"
            )));
        }
        if !earlier.contains(&m) {
            let known = if earlier.is_empty() {
                "none".to_string()
            } else {
                earlier
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(Error::input(format!(
                "--since {m}: meeting {m} is not in the snapshot (earlier meetings there: {known})"
            )));
        }
    }
    let data = snap.load_meeting(n)?;
    let now = Attendance::of(&data);
    let here = &now.groups;
    // Who met at each earlier meeting in the snapshot, oldest first.
    let mut before: Vec<(u32, Attendance)> = Vec::with_capacity(earlier.len());
    for m in &earlier {
        before.push((*m, Attendance::of(&snap.load_meeting(*m)?)));
    }
    let all_before: Vec<&Attendance> = before.iter().map(|(_, a)| a).collect();
    let found = topic_matches(idx, vocab, n, here, &new_work(&now, &all_before))?;
    let matches = &found.topics;

    // Each group's topics in reading order, and its first (where it is described).
    let mut topics_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut order: Vec<(String, Option<String>)> = Vec::new();
    for (topic, recs) in matches {
        for r in recs {
            let e = topics_of.entry(r.group.clone()).or_default();
            if e.is_empty() {
                order.push((r.group.clone(), Some(topic.clone())));
            }
            e.push(topic.clone());
        }
    }
    let bofs: Vec<String> = now.bofs.iter().cloned().collect();
    for b in &bofs {
        if !topics_of.contains_key(b) {
            order.push((b.clone(), None));
        }
    }

    let seen_before: BTreeSet<&String> = all_before.iter().flat_map(|a| a.groups.keys()).collect();
    let is_first = |g: &str| !earlier.is_empty() && !seen_before.contains(&g.to_string());

    let mut groups = Vec::with_capacity(order.len());
    for (acr, under) in order {
        let mut sessions: Vec<SessionRef> = data
            .agenda
            .sessions
            .iter()
            .filter(|s| s.group == acr && !s.status.is_cancelled())
            .map(session_ref)
            .collect();
        sessions.sort_by_key(|s| (s.start, s.id.clone()));
        let first = data.agenda.sessions.iter().find(|s| s.group == acr);
        let info = data.groups.get(&acr);
        let name = info
            .map(|i| i.name.clone())
            .filter(|n| !n.is_empty())
            .or_else(|| first.map(|s| s.group_name.clone()))
            .unwrap_or_else(|| acr.clone());
        let agenda = || {
            let mut texts = (data.agenda.sessions.iter())
                .filter(|s| s.group == acr)
                .filter_map(|s| snapshot::url_path(s.agenda_url.as_deref()?))
                .filter_map(|p| data.agenda_texts.get(&p));
            texts.find_map(|t| agenda_sentence(t, &acr, &name))
        };
        let summary = info
            .and_then(|i| summary_sentence(&i.charter, &acr, &name))
            .or_else(agenda)
            .unwrap_or_else(|| {
                "The datatracker has no description of this group yet; its page has the \
                 latest."
                    .to_string()
            });
        groups.push(GuideGroup {
            url: format!("{DATATRACKER}/group/{acr}/about/"),
            area: first.and_then(|s| s.area.clone()),
            is_bof: bofs.contains(&acr),
            first_time: is_first(&acr),
            topics: topics_of.get(&acr).cloned().unwrap_or_default(),
            described_under: under,
            acronym: acr,
            name,
            summary,
            sessions,
        });
    }
    let described: BTreeSet<String> = groups.iter().map(|g| g.acronym.clone()).collect();
    let mention = |acr: &str, name: &str| GroupMention {
        acronym: acr.to_string(),
        name: name.to_string(),
        in_guide: described.contains(acr),
    };
    let first_time = here
        .iter()
        .filter(|(g, _)| is_first(g) && !bofs.contains(g))
        .map(|(g, name)| mention(g, name))
        .collect();

    let since = match q.since {
        Some(m) => {
            let at = before.iter().position(|(x, _)| *x == m).ok_or_else(|| {
                Error::input(format!("--since {m}: meeting {m} is not in the snapshot"))
            })?;
            let then = &before[at].1;
            let gone = then
                .groups
                .iter()
                .filter(|(g, _)| !here.contains_key(*g))
                .map(|(g, name)| mention(g, name))
                .collect();
            // That meeting's guide, decided the same way against the meetings before it.
            let older: Vec<&Attendance> = before[..at].iter().map(|(_, a)| a).collect();
            let then_found = topic_matches(idx, vocab, m, &then.groups, &new_work(then, &older))?;
            Some(SinceChanges {
                meeting: m,
                gone,
                topics: topic_changes(&then_found.topics, matches),
            })
        }
        None => None,
    };

    Ok(Guide {
        meeting: n,
        city: meeting.city.clone(),
        start_date: meeting.start_date,
        end_date: meeting.end_date,
        timezone: meeting.timezone,
        generated,
        topics: matches
            .iter()
            .map(|(name, recs)| GuideTopic {
                gloss: gloss_of(vocab, name),
                also_strong: found.also_strong.get(name).cloned().unwrap_or_default(),
                name: name.clone(),
                groups: recs.iter().map(|r| r.group.clone()).collect(),
            })
            .collect(),
        broad_topics: found
            .broad
            .iter()
            .map(|(name, groups)| BroadTopic {
                name: name.clone(),
                groups: *groups,
            })
            .collect(),
        groups,
        new_and_notable: Notable {
            bofs,
            first_time,
            compared_with: earlier,
            since,
        },
    })
}

/// The topic's plain-language gloss, when the vocabulary has one.
fn gloss_of(vocab: &Vocabulary, topic: &str) -> Option<String> {
    vocab.gloss(topic).map(str::to_string)
}

/// Per topic (in the newer meeting's reading order, then topics only the older one had), the
/// strong matches gained and lost.
fn topic_changes(
    before: &[(String, Vec<Recommendation>)],
    now: &[(String, Vec<Recommendation>)],
) -> Vec<TopicChange> {
    let set = |v: &[(String, Vec<Recommendation>)], t: &str| -> BTreeSet<String> {
        v.iter()
            .find(|(n, _)| n == t)
            .map(|(_, r)| r.iter().map(|r| r.group.clone()).collect())
            .unwrap_or_default()
    };
    let mut names: Vec<&String> = now.iter().map(|(n, _)| n).collect();
    for (n, _) in before {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
        .into_iter()
        .filter_map(|t| {
            let (a, b) = (set(before, t), set(now, t));
            let gained: Vec<String> = b.difference(&a).cloned().collect();
            let lost: Vec<String> = a.difference(&b).cloned().collect();
            (!gained.is_empty() || !lost.is_empty()).then(|| TopicChange {
                topic: t.clone(),
                gained,
                lost,
            })
        })
        .collect()
}

/// Phrases that say what a group does (as opposed to background on the problem).
const DOING: &[&str] = &[
    " will ",
    "chartered",
    "develop",
    "specif",
    "standardi",
    "focus",
    " aims",
    "work on",
    "works on",
    "maintain",
    "defin",
    "forum",
    "studies",
    "explore",
    "research",
    "document",
    "provide",
    " the home ",
    " goal ",
];

/// Phrases by which a charter names its own group without its acronym.
const SELF: &[&str] = &[
    "this working group",
    "the working group",
    "this research group",
    "the research group",
    "this group",
    "the group",
    " the wg ",
    " this wg ",
    " the rg ",
    " this bof ",
    " the bof ",
];

/// What follows a group's acronym or name where a charter names it as a group.
const GROUP_WORDS: &[&str] = &[
    "working group",
    "research group",
    "wg",
    "rg",
    "group",
    "bof",
    "work",
];

/// Verbs a description may open with, its subject the group ("Works on ...", "Maintains ...").
const OPENING_VERBS: &[&str] = &[
    "adapts",
    "covers",
    "deals",
    "defines",
    "develops",
    "explores",
    "extends",
    "maintains",
    "revises",
    "specifies",
    "standardizes",
    "studies",
    "updates",
    "works",
];

/// Small words a group's title may hold in lower case ("Research and Analysis of ...").
const TITLE_JOINERS: &[&str] = &["and", "of", "for", "the", "on", "in", "to", "over", "with"];

/// How many sentences from the top a summary looks through for one that says what the group
/// does: charters put their purpose in the first paragraphs, after some background.
const SUMMARY_LEAD: usize = 12;

/// Lower case, each run of other characters than letters, digits and "-" one space, with a
/// space at both ends (so that " word " finds whole words); `(...)` left out when `asides`.
fn plain_words(text: &str, asides: bool) -> String {
    words_of(&text.to_lowercase(), asides)
}

/// [`plain_words`] keeping the case.
fn words_of(text: &str, asides: bool) -> String {
    let mut out = String::from(" ");
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' if asides => depth += 1,
            ')' if asides => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() || c == '-' => out.push(c),
            _ if !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// A sentence without a heading run into its start where a charter's line breaks were lost
/// ("# Objective and Scope To address ...", see [`crate::parse::run_in_heading`]); a Markdown
/// heading it cannot tell from the text loses its "#" marks only.
fn without_heading<'a>(sentence: &'a str, acronym: &str, name: &str) -> &'a str {
    crate::parse::run_in_heading(sentence, name, acronym)
        .map_or(sentence, |(_, rest)| rest)
        .trim_start_matches('#')
        .trim_start()
}

/// One plain sentence on what the group `acronym` (full name `name`) does, from its description
/// or charter, at most [`SUMMARY_WORDS`] words. Among the first [`SUMMARY_LEAD`] sentences: the
/// first that names the group itself and says what it does ("The LAMPS (...) Working Group is
/// chartered to ...", "This research group aims ..."; a charter names other groups too, "the
/// documents of the PKIX Working Group", so a group word anywhere is not enough), else the
/// first that names its acronym or name and says what it does, else the first sentence. A short
/// description that opens with its verb ("Develops a ...", "Works on ...") or with what the
/// group is ("A forum on ...") is summed up by that first sentence. One chosen that points to
/// sentences it leaves out ("... meets these requirements") gives way to a first sentence that
/// names the group and does not. Whole sentences before ones the text cuts off; a sentence that
/// opens a list (it ends in ":" or holds "*" or "-" items), adds a side line ("also"), says what
/// the group will not do or opens by pointing back ("The WG will document them") does not say
/// what it does. A sentence cut off ends in "…", as does one cut to length.
pub fn summary_sentence(charter: &str, acronym: &str, name: &str) -> Option<String> {
    let all = crate::rank::strength::sentences(charter);
    let labels = labels_of(acronym, name);
    // A sentence that opens with a group's title ("The DNS Operations Working Group ...") is
    // about its own group: charters name other groups later in a sentence ("documents produced
    // by the PKIX Working Group") or in the plural.
    let opens_with_title = |s: &str| {
        let words = words_of(s, true);
        let words: Vec<&str> = words.split_whitespace().collect();
        let titled = |w: &&str| {
            w.chars().next().is_some_and(char::is_uppercase) || TITLE_JOINERS.contains(w)
        };
        let is = |w: &str, x: &str| w.eq_ignore_ascii_case(x);
        let end = words
            .windows(2)
            .position(|w| (is(w[0], "working") || is(w[0], "research")) && is(w[1], "group"))
            .or_else(|| words.iter().position(|w| matches!(*w, "WG" | "RG")));
        end.is_some_and(|e| e > 0 && words[..e].iter().all(titled))
    };
    // Named by its own acronym or name as a group: "The SPICE WG", "The LAMPS (...) Working
    // Group".
    let by_label = |s: &str| {
        let plain = plain_words(s, true);
        labels.iter().any(|x| {
            GROUP_WORDS
                .iter()
                .any(|g| plain.contains(&format!(" {x} {g} ")))
        })
    };
    let by_self = |s: &str| {
        let plain = plain_words(s, true);
        SELF.iter().any(|p| plain.contains(p))
    };
    let names = |s: &str| names_group(s, &labels);
    // What the group is for, not a list's opening, a side line, what it will not do or a
    // sentence whose opening words point back to the one before ("The WG will document them").
    let doing = |s: &str| {
        let l = plain_words(s, false);
        let points_back = l
            .split_whitespace()
            .take(6)
            .any(|w| matches!(w, "it" | "they" | "them"));
        !points_back
            && !s.trim_end().ends_with(':')
            && !opens_list(s)
            && !l.contains(" also ")
            && !crate::rank::text::rules_out(s)
            && DOING.iter().any(|p| l.contains(p))
    };
    let lead: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|s| s.split_whitespace().count() >= 4)
        .take(SUMMARY_LEAD)
        .collect();
    let find = |wanted: &dyn Fn(&str) -> bool| {
        // Whole sentences first: a stored text may stop mid-sentence.
        (lead.iter().find(|s| ends_whole(s) && wanted(s)))
            .or_else(|| lead.iter().find(|s| wanted(s)))
    };
    // Short descriptions open with what the group does ("Develops a ...", "Works on ...") or
    // what it is ("A forum on ...", "The main working group for ..."): the first sentence is
    // the overview, and later ones ("The group's documents cover ...") are its details.
    let opens_with_verb = |s: &str| {
        let mut w = s.split_whitespace();
        let (Some(verb), Some(next)) = (w.next(), w.next()) else {
            return false;
        };
        let doing = OPENING_VERBS.iter().any(|v| verb.eq_ignore_ascii_case(v))
            && !["to", "of", "are", "is", "was", "were", "such", "from"].contains(&next);
        verb.ends_with('s')
            && verb.chars().next().is_some_and(char::is_uppercase)
            && (doing || ["the", "a", "an", "how", "ways"].contains(&next))
    };
    let is_itself = |s: &str| {
        let plain = plain_words(s, true);
        let words: Vec<&str> = plain.split_whitespace().take(7).collect();
        matches!(words.first(), Some(&("a" | "an" | "the")))
            && words.windows(2).any(|w| {
                ["forum", "group", "bof"].contains(&w[0])
                    && ["for", "on", "of", "that", "where", "in", "which"].contains(&w[1])
            })
    };
    let pick = *lead
        .first()
        .filter(|s| opens_with_verb(s) || is_itself(s))
        .or_else(|| find(&|s| by_label(s) && doing(s)))
        .or_else(|| find(&|s| opens_with_title(s) && doing(s)))
        .or_else(|| find(&|s| by_self(s) && doing(s)))
        .or_else(|| find(&|s| names(s) && doing(s)))
        .or_else(|| lead.first())?;
    // A pick that points to sentences it leaves out ("... a protocol that meets these
    // requirements", "... the topics below") gives way to the opening when that names the group
    // and stands on its own ("The Privacy Pass protocol provides ...").
    let pick = match lead.first() {
        Some(first)
            if !std::ptr::eq(*first, pick)
                && crate::rank::text::refers_back(pick)
                && names(first)
                && !crate::rank::text::refers_back(first)
                && !first.trim_end().ends_with(':')
                && !opens_list(first) =>
        {
            *first
        }
        _ => pick,
    };
    // (References such as "[RFC 8279]" are for engineers, as in reasons.)
    Some(at_most_summary_words(
        &crate::rank::text::without_citations(standing_alone(without_heading(pick, acronym, name))),
        ends_whole(pick),
    ))
}

/// A summary sentence without a phrase that points back to the sentences before it, where
/// the rest says the same on its own: an opening purpose ("To address these challenges, the
/// DELEG working group will ...") or a closing qualifier ("... in an end-to-end encrypted
/// system with the above properties."). A pointing word elsewhere stays: the sentence would
/// not read without it.
fn standing_alone(sentence: &str) -> String {
    const REST_WORDS: usize = 8;
    let enough = |rest: &str| rest.split_whitespace().count() >= REST_WORDS;
    let mut s = sentence.to_string();
    if let Some((opening, rest)) = s.split_once(", ")
        && (opening.starts_with("To ") || opening.starts_with("In order to "))
        && opening.split_whitespace().count() <= 8
        && crate::rank::text::refers_back(opening)
        && enough(rest)
    {
        s = crate::rank::text::capitalised(rest);
    }
    // "... with the above properties.": a preposition, "the above", "the following" or
    // "such", and a noun or two, then the sentence's end. ("These" may point to a noun in the
    // same sentence: "... services built from these technologies" stays.)
    let body = s.trim_end_matches('.');
    let words: Vec<&str> = body.split_whitespace().collect();
    let cut = (3..=5).rev().filter(|&n| n < words.len()).find(|&n| {
        let tail = &words[words.len() - n..];
        let det = match tail[1..] {
            ["the", "above" | "following", ..] => 3,
            ["such", ..] => 2,
            _ => return false,
        };
        PREPOSITIONS.contains(&tail[0])
            && (1..=2).contains(&(n - det))
            && !tail[det..].iter().any(|w| w.ends_with([',', ';', ')']))
    });
    if let Some(n) = cut
        && s.ends_with('.')
        && enough(&words[..words.len() - n].join(" "))
    {
        s = format!("{}.", words[..words.len() - n].join(" "));
    }
    s
}

/// Prepositions that open a closing qualifier (see [`standing_alone`]).
const PREPOSITIONS: &[&str] = &["with", "of", "in", "for", "under", "on", "from", "to"];

/// Whether a sentence opens a list rather than saying something whole: it holds "*" or "-"
/// items, or a numbered first item follows its colon ("... four types of documents: 1.
/// Documents that ...").
fn opens_list(s: &str) -> bool {
    s.contains(" * ")
        || s.contains(": - ")
        || s.match_indices(": ").any(|(i, _)| {
            let item = &s[i + 2..];
            let item = item.strip_prefix('(').unwrap_or(item);
            let mut c = item.chars();
            let first = c
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == 'a' || c == 'i');
            first && matches!(c.next(), Some('.' | ')')) && c.next() == Some(' ')
        })
}

/// A sentence cut to [`SUMMARY_WORDS`], ending in "…" when cut or not `whole`.
fn at_most_summary_words(sentence: &str, whole: bool) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let mut cut = words[..words.len().min(SUMMARY_WORDS)].join(" ");
    if words.len() <= SUMMARY_WORDS && whole {
        return cut;
    }
    cut = cut
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')')
        .to_string();
    cut.push('…');
    cut
}

/// A group's acronym and name as [`plain_words`] writes them, the empty left out.
fn labels_of(acronym: &str, name: &str) -> Vec<String> {
    [acronym, name]
        .iter()
        .map(|x| plain_words(x, false).trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Whether a sentence names the group by one of its `labels` (see [`labels_of`]).
fn names_group(s: &str, labels: &[String]) -> bool {
    let words = plain_words(s, false);
    labels.iter().any(|x| words.contains(&format!(" {x} ")))
}

/// Words by which a meeting's agenda or minutes speak of the session itself.
const SESSION_WORDS: &[&str] = &[" session ", " meeting ", " bof ", " boff "];

/// For a group the datatracker does not describe: one sentence of its agenda (or minutes) at
/// this meeting that speaks of the session as a whole ("The pquip working group meeting
/// covered ...", "This BoF session explored ..."), marked as being about this meeting. Among
/// the first [`SUMMARY_LEAD`] sentences, a whole one of at least eight words that names the
/// group or its session and does not open a list; `None` when there is none (an agenda that is
/// a list of talks says nothing a reader could take for a description).
pub fn agenda_sentence(agenda: &str, acronym: &str, name: &str) -> Option<String> {
    const AT_LEAST_WORDS: usize = 8;
    let labels = labels_of(acronym, name);
    let all = crate::rank::strength::sentences(&crate::rank::text::clean(agenda));
    let pick = all
        .iter()
        .filter(|s| s.split_whitespace().count() >= AT_LEAST_WORDS)
        .take(SUMMARY_LEAD)
        .find(|s| {
            let plain = plain_words(s, true);
            ends_whole(s)
                && !opens_list(s)
                && (names_group(s, &labels) || SESSION_WORDS.iter().any(|w| plain.contains(w)))
        })?;
    Some(format!(
        "At this meeting: {}",
        at_most_summary_words(pick, true)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outline_topic_is_in_the_vocabulary() {
        let v = Vocabulary::builtin().unwrap();
        let topics = policy_topics(&v).unwrap();
        assert!(topics.len() >= 10, "{}", topics.len());
        let names: BTreeSet<&str> = topics.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names.len(), topics.len(), "no topic twice");
    }

    /// "Internet public policy" asks for everything the guide covers: the umbrella topic takes
    /// in exactly the outline's other topics, no hand-picked subset and no engineering topic.
    #[test]
    fn the_public_policy_umbrella_is_the_whole_outline() {
        let v = Vocabulary::builtin().unwrap();
        let umbrella = "internet governance and public policy";
        let outline: BTreeSet<&str> = policy_topics(&v)
            .unwrap()
            .into_iter()
            .map(|t| t.name.as_ref())
            .filter(|n| *n != umbrella)
            .collect();
        let topic = v.get(umbrella).unwrap();
        let included: BTreeSet<&str> = topic.include.iter().map(|n| n.as_ref()).collect();
        assert_eq!(included, outline);
    }

    #[test]
    fn summary_prefers_what_the_group_does() {
        let charter = "Trackers are small devices. They help people find keys. The working \
                       group will specify how phones detect unwanted trackers. More text.";
        assert_eq!(
            summary_sentence(charter, "trk", "").unwrap(),
            "The working group will specify how phones detect unwanted trackers."
        );
        // A description that starts with the verb.
        assert_eq!(
            summary_sentence(
                "Develops a way to send tokens. Also other things.",
                "tok",
                ""
            )
            .unwrap(),
            "Develops a way to send tokens."
        );
        // It stays the overview when later sentences name the group for their details.
        let overview = "Works on tokens for sending. The group defines their formats.";
        assert_eq!(
            summary_sentence(overview, "tok", "").unwrap(),
            "Works on tokens for sending."
        );
        let overview = "A forum on token operations. The group collects experience with them.";
        assert_eq!(
            summary_sentence(overview, "tok", "").unwrap(),
            "A forum on token operations."
        );
        // A plural noun is not a verb: "Updates to ..." opens background.
        let background = "Updates to tokens are frequent. The group defines their formats.";
        assert_eq!(
            summary_sentence(background, "tok", "").unwrap(),
            "The group defines their formats."
        );
        // A goal stated for the group is what it does.
        let goal = "Quantum links will bring new capabilities to networks. Overall the goal of \
                    the QNET is to address how to design and build them.";
        assert_eq!(
            summary_sentence(goal, "qnet", "").unwrap(),
            "Overall the goal of the QNET is to address how to design and build them."
        );
        // Background only: the first sentence.
        assert_eq!(
            summary_sentence("Networks are large and varied today. Really.", "net", "").unwrap(),
            "Networks are large and varied today."
        );
        assert_eq!(summary_sentence("", "x", ""), None);
        let long = format!("The group will {}.", "do more ".repeat(40));
        let s = summary_sentence(&long, "x", "").unwrap();
        assert!(
            s.ends_with('…') && s.split_whitespace().count() <= SUMMARY_WORDS,
            "{s}"
        );
    }

    /// A group with no description is described by its agenda's sentence on the session as a
    /// whole, said to be about this meeting; an agenda that is only a list of talks gives none.
    #[test]
    fn an_undescribed_group_is_summed_up_by_its_sessions_own_summary() {
        let minutes = "# ex Meeting Minutes\n\n## Summary\n\nThe EX working group meeting \
                       focused on certificate freshness and short-lived certificates. Two \
                       documents were considered for adoption.\n\n## Key Discussion Points\n\n\
                       * **Freshness:** a long discussion on stapling took place today.\n";
        assert_eq!(
            agenda_sentence(minutes, "ex", "Example").unwrap(),
            "At this meeting: The EX working group meeting focused on certificate freshness \
             and short-lived certificates."
        );
        // Named only as "this session".
        let bof = "## Summary\nThis Birds of a Feather (BoF) session explored the need for a \
                   standard way to label traffic.\n";
        assert!(
            agenda_sentence(bof, "newbof", "New BoF")
                .unwrap()
                .starts_with("At this meeting: This Birds of a Feather (BoF) session explored")
        );
        // A table of talks, a heading, chairs and times: nothing to sum up.
        let talks = "# Name: Example (EX)\nIETF 120, Vancouver\nChairs: A. One, B. Two\n\n\
                     ## Agenda\n\n| Agenda topic | Speaker | Time |\n| Introduction | Chairs | \
                     10m |\n| Discussion of open issues | M. Three | 20m |\n";
        assert_eq!(agenda_sentence(talks, "ex", "Example"), None);
        // A sentence about other things, however long, is not the session's.
        let other = "Participants discussed how routers could mark packets for later review.";
        assert_eq!(agenda_sentence(other, "ex", "Example"), None);
    }

    /// Charters name other groups too: the summary is about the group itself, found by its
    /// acronym, and a sentence the text cuts off says so.
    #[test]
    fn summary_is_about_the_group_itself() {
        let charter = "The OLDA and OLDB working groups closed years ago. Several fixes were \
                       proposed for documents the OLDA Working Group produced. Other standards \
                       groups have defined some of the names. The NEWG working group is \
                       chartered to make those fixes where someone will deploy them.";
        assert_eq!(
            summary_sentence(charter, "newg", "").unwrap(),
            "The NEWG working group is chartered to make those fixes where someone will deploy \
             them."
        );
        // References to RFCs are left out.
        let charter = "The WXP working group has defined an architecture [RFC 9999] for widgets.";
        assert_eq!(
            summary_sentence(charter, "wxp", "").unwrap(),
            "The WXP working group has defined an architecture for widgets."
        );
        // Named by its acronym, "the home of" what it does.
        let charter = "Registries hold names for many protocols. The REGX group is the home \
                       for their extensions.";
        assert_eq!(
            summary_sentence(charter, "regx", "").unwrap(),
            "The REGX group is the home for their extensions."
        );
        // One that points to sentences it leaves out gives way to an opening that names the
        // group and stands alone.
        let charter = "The Token Pass protocol lets clients redeem tokens. Tokens are \
                       unlinkable. The Token Pass Working Group will standardize a protocol \
                       that meets these requirements.";
        assert_eq!(
            summary_sentence(charter, "tokenpass", "Token Pass").unwrap(),
            "The Token Pass protocol lets clients redeem tokens."
        );
        // ... but not to an opening that does not name the group.
        let charter = "Tokens are unlinkable. The Token Pass Working Group will standardize a \
                       protocol that meets these requirements.";
        assert!(
            summary_sentence(charter, "tokenpass", "Token Pass")
                .unwrap()
                .starts_with("The Token Pass Working Group will")
        );
        // A heading run into the text, and a list, are not the summary.
        let charter = "Keys are often taken on trust. The KT group is: - a list - of items. \
                       # Goals and Scope The KT working group will develop a way to check keys.";
        assert_eq!(
            summary_sentence(charter, "kt", "").unwrap(),
            "The KT working group will develop a way to check keys."
        );
        // Nor is a sentence whose colon opens a numbered list.
        let charter = "Objects are signed. The KN working group handles two kinds of documents: \
                       1. Documents on algorithms. The WG will define key formats.";
        assert_eq!(
            summary_sentence(charter, "kn", "").unwrap(),
            "The WG will define key formats."
        );
        // A title with its acronym is the subject, not a heading.
        let charter = "Keys are taken on trust. Key Checks Working Group (KC WG) is \
                       responsible for developing checks.";
        assert_eq!(
            summary_sentence(charter, "kc", "Key Checks").unwrap(),
            "Key Checks Working Group (KC WG) is responsible for developing checks."
        );
        // A sentence that opens by pointing back is not the summary.
        let charter = "Keys need checks. The WG will document them in a guide. The KC working \
                       group will develop key checks.";
        assert_eq!(
            summary_sentence(charter, "kc", "").unwrap(),
            "The KC working group will develop key checks."
        );
        // A phrase that points back to what the summary leaves out goes where the rest reads
        // on its own; one the sentence needs stays.
        assert_eq!(
            standing_alone(
                "To address these challenges, the KC working group will document the \
                 requirements for a new signal."
            ),
            "The KC working group will document the requirements for a new signal."
        );
        assert_eq!(
            standing_alone(
                "The KC working group will develop a standard for checking keys in a system \
                 with the above properties."
            ),
            "The KC working group will develop a standard for checking keys in a system."
        );
        let kept = "The KC working group measures systems or services that are built from \
                    these technologies.";
        assert_eq!(standing_alone(kept), kept);
        let kept = "To do this, the group works.";
        assert_eq!(standing_alone(kept), kept);
        // A stored text that stops mid-sentence.
        let charter = "Devices can be misused. The goal of the DEMO WG is to standardize a \
                       protocol for exchanging";
        assert_eq!(
            summary_sentence(charter, "demo", "").unwrap(),
            "The goal of the DEMO WG is to standardize a protocol for exchanging…"
        );
    }

    fn rec(group: &str) -> Recommendation {
        Recommendation {
            rank: 1,
            group: group.into(),
            group_name: group.into(),
            area: None,
            is_bof: false,
            sessions: vec![],
            score: 1.0,
            matched_interests: vec![],
            matched_terms: vec![],
            excerpt: String::new(),
            strength: crate::model::Strength::Strong,
            strong_interests: vec![],
            reason: String::new(),
        }
    }

    fn attendance(groups: &[&str], bofs: &[&str]) -> Attendance {
        Attendance {
            groups: groups
                .iter()
                .chain(bofs)
                .map(|g| (g.to_string(), g.to_uppercase()))
                .collect(),
            bofs: bofs.iter().map(|b| b.to_string()).collect(),
        }
    }

    #[test]
    fn new_work_is_bofs_past_bofs_and_first_timers() {
        let first = attendance(&["old", "gone"], &["early"]);
        let second = attendance(&["old", "mid"], &[]);
        let now = attendance(&["old", "early", "mid", "fresh"], &["bof"]);
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let work = |bofs: &[&str], first_time: &[&str]| NewWork {
            bofs: set(bofs),
            first_time: set(first_time),
        };
        // A BoF at an earlier meeting is still a BoF's work; a group seen before is not new,
        // unless it was a BoF; a group never seen before meets for the first time.
        let all = new_work(&now, &[&first, &second]);
        assert_eq!(all, work(&["bof", "early"], &["fresh"]));
        assert_eq!(all.of("bof"), Newness::Bof);
        assert_eq!(all.of("early"), Newness::Bof);
        assert_eq!(all.of("fresh"), Newness::FirstTime);
        assert_eq!(all.of("old"), Newness::Established);
        assert_eq!(all.of("mid"), Newness::Established);
        // Compared with the second meeting only, "early" meets for the first time.
        assert_eq!(
            new_work(&now, &[&second]),
            work(&["bof"], &["early", "fresh"])
        );
        // Nothing to compare with: only the meeting's own BoFs.
        assert_eq!(new_work(&now, &[]), work(&["bof"], &[]));
    }

    #[test]
    fn a_topic_names_bofs_anywhere_and_others_among_its_best() {
        let last = TOPIC_BEST - 1;
        for policy in [true, false] {
            // A BoF, now or earlier, wherever it ranks.
            assert!(names(0, Newness::Bof, policy));
            assert!(names(TOPIC_BEST + 5, Newness::Bof, policy));
            // A first-timer among the best, whatever its work; not beyond.
            assert!(names(last, Newness::FirstTime, policy));
            assert!(!names(TOPIC_BEST, Newness::FirstTime, policy));
        }
        // An established group: among the best, and only policy work.
        assert!(names(0, Newness::Established, true));
        assert!(names(last, Newness::Established, true));
        assert!(!names(0, Newness::Established, false));
        assert!(!names(TOPIC_BEST, Newness::Established, true));
    }

    #[test]
    fn policy_work_leans_to_policy_topics() {
        let lean = |policy, engineering| Lean {
            policy,
            engineering,
        };
        assert!(is_policy_work(lean(1.0, 0.0)));
        assert!(is_policy_work(lean(1.5, 1.4)));
        assert!(!is_policy_work(lean(1.0, 1.0)));
        assert!(!is_policy_work(lean(0.9, 2.0)));
        assert!(!is_policy_work(lean(0.0, 0.0)));
    }

    #[test]
    fn topic_changes_list_gains_and_losses() {
        let before = vec![
            ("a".to_string(), vec![rec("x"), rec("y")]),
            ("gone".to_string(), vec![rec("z")]),
        ];
        let now = vec![
            ("a".to_string(), vec![rec("y"), rec("w")]),
            ("same".to_string(), vec![rec("q")]),
        ];
        let mut before2 = before.clone();
        before2.push(("same".to_string(), vec![rec("q")]));
        let c = topic_changes(&before2, &now);
        assert_eq!(
            c,
            vec![
                TopicChange {
                    topic: "a".into(),
                    gained: vec!["w".into()],
                    lost: vec!["x".into()]
                },
                TopicChange {
                    topic: "gone".into(),
                    gained: vec![],
                    lost: vec!["z".into()]
                },
            ]
        );
    }
}
