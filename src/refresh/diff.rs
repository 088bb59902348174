//! What changed between two states of one meeting: a pure comparison, no I/O.
//!
//! A [`State`] is the part of a meeting that readers see and staff care about: every session's
//! time, room and status, and a fingerprint of each group's charter and each session agenda.
//! Refresh keeps the state it last put in service and compares the new one against it, so the
//! report always says what changed for readers since the previous successful refresh.

use crate::model::SessionStatus;
use crate::snapshot::{MeetingData, sha256_hex, url_path};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A session as the report shows it: enough to find it and to see what moved.
///
/// Not `model::Session`: this shape is stored in the refresh record
/// (`<home>/refresh/meeting-<n>.json`) and is the `added`/`removed`/`before`/`after` objects of
/// the `refresh --format json` contract, so it must keep exactly these fields; `Session` carries
/// more (note, agenda URL, area, type) that would enter both, and an edit to one of them (a
/// note) would change the stored state though readers see nothing moved. `model::SessionRef`
/// lacks the group, name and pk the report names a session by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub session_id: Option<u64>,
    pub group: String,
    pub name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub room: Option<String>,
    pub status: SessionStatus,
}

/// The reader-visible state of one meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub meeting: u32,
    /// The meeting's IANA zone, for showing times in the report (stored as its name).
    pub timezone: Tz,
    /// Sorted by start time, as the agenda parser orders them.
    pub sessions: Vec<SessionView>,
    /// Group acronym -> SHA-256 of its charter text (hashes only: the prose stays in the snapshot).
    pub charters: BTreeMap<String, String>,
    /// Agenda document URL path -> SHA-256 of its text.
    pub agendas: BTreeMap<String, String>,
    /// Agenda document URL path -> groups whose sessions point at it.
    pub agenda_groups: BTreeMap<String, BTreeSet<String>>,
}

impl State {
    pub fn of(data: &MeetingData) -> Self {
        let sessions = data
            .agenda
            .sessions
            .iter()
            .map(|s| SessionView {
                id: s.id.clone(),
                session_id: s.session_id,
                group: s.group.clone(),
                name: s.name.clone(),
                start: s.start,
                end: s.end,
                room: s.room.clone(),
                status: s.status.clone(),
            })
            .collect();
        let mut agenda_groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for s in &data.agenda.sessions {
            if let Some(p) = s.agenda_url.as_deref().and_then(url_path) {
                agenda_groups.entry(p).or_default().insert(s.group.clone());
            }
        }
        Self {
            meeting: data.agenda.meeting.number,
            timezone: data.agenda.meeting.timezone,
            sessions,
            charters: data
                .groups
                .iter()
                .map(|(k, g)| (k.clone(), sha256_hex(g.charter.as_bytes())))
                .collect(),
            agendas: data
                .agenda_texts
                .iter()
                .map(|(k, t)| (k.clone(), sha256_hex(t.as_bytes())))
                .collect(),
            agenda_groups,
        }
    }
}

/// One session seen before and after the refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChange {
    pub before: SessionView,
    pub after: SessionView,
}

/// Everything that changed, by kind. A session can appear under several kinds (moved and
/// rescheduled at once, for example).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub added: Vec<SessionView>,
    pub removed: Vec<SessionView>,
    /// Start, end or room changed.
    pub moved: Vec<SessionChange>,
    /// Status became cancelled (or another "will not meet" status).
    pub cancelled: Vec<SessionChange>,
    /// Status became `resched`.
    pub rescheduled: Vec<SessionChange>,
    /// Any other status transition, e.g. a cancelled session scheduled again.
    pub status_changed: Vec<SessionChange>,
    /// Acronyms of groups whose charter text differs.
    pub charters_changed: Vec<String>,
    /// Acronyms of groups whose session agenda was posted or edited.
    pub agendas_changed: Vec<String>,
}

/// The kinds of change, as named in the JSON report and the officials' notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    Moved,
    Cancelled,
    Rescheduled,
    StatusChanged,
    CharterChanged,
    AgendaChanged,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Moved => "moved",
            Self::Cancelled => "cancelled",
            Self::Rescheduled => "rescheduled",
            Self::StatusChanged => "status changed",
            Self::CharterChanged => "charter changed",
            Self::AgendaChanged => "agenda changed",
        }
    }
}

/// One change as a flat item: its kind, its group and the session it concerns (if any).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Item {
    pub kind: Kind,
    pub group: String,
    pub session: Option<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.items().is_empty()
    }

    /// Every change as a flat list, in report order.
    pub fn items(&self) -> Vec<Item> {
        let s = |kind, v: &SessionView| Item {
            kind,
            group: v.group.clone(),
            session: Some(v.id.clone()),
        };
        let g = |kind, acr: &String| Item {
            kind,
            group: acr.clone(),
            session: None,
        };
        let mut out = Vec::new();
        out.extend(self.added.iter().map(|v| s(Kind::Added, v)));
        out.extend(self.removed.iter().map(|v| s(Kind::Removed, v)));
        out.extend(self.moved.iter().map(|c| s(Kind::Moved, &c.after)));
        out.extend(self.cancelled.iter().map(|c| s(Kind::Cancelled, &c.after)));
        out.extend(
            self.rescheduled
                .iter()
                .map(|c| s(Kind::Rescheduled, &c.after)),
        );
        out.extend(
            self.status_changed
                .iter()
                .map(|c| s(Kind::StatusChanged, &c.after)),
        );
        out.extend(
            self.charters_changed
                .iter()
                .map(|a| g(Kind::CharterChanged, a)),
        );
        out.extend(
            self.agendas_changed
                .iter()
                .map(|a| g(Kind::AgendaChanged, a)),
        );
        out
    }
}

/// Compares two states of the same meeting.
///
/// Sessions are matched by the datatracker's session id when both sides have one, else by the
/// stable key `<meeting>-<acronym>-<n>`; a key is only used once, so a group whose sessions are
/// renumbered is still matched by session id.
pub fn diff(old: &State, new: &State) -> Changes {
    let mut ch = Changes::default();
    let mut by_sid: HashMap<u64, usize> = HashMap::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, s) in old.sessions.iter().enumerate() {
        if let Some(sid) = s.session_id {
            by_sid.insert(sid, i);
        }
        by_id.insert(&s.id, i);
    }
    let mut used = vec![false; old.sessions.len()];
    let mut pairs = Vec::new();
    let mut unmatched_new = Vec::new();
    // Pass 1: session ids, which survive renumbering.
    for (j, s) in new.sessions.iter().enumerate() {
        match s.session_id.and_then(|sid| by_sid.get(&sid)) {
            Some(&i) if !used[i] => {
                used[i] = true;
                pairs.push((i, j));
            }
            _ => unmatched_new.push(j),
        }
    }
    // Pass 2: stable keys, only where a session id cannot decide (missing on either side).
    for j in unmatched_new {
        let s = &new.sessions[j];
        match by_id.get(s.id.as_str()) {
            Some(&i)
                if !used[i] && (s.session_id.is_none() || old.sessions[i].session_id.is_none()) =>
            {
                used[i] = true;
                pairs.push((i, j));
            }
            _ => ch.added.push(s.clone()),
        }
    }
    ch.removed = old
        .sessions
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(s, _)| s.clone())
        .collect();
    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        let (a, b) = (&old.sessions[i], &new.sessions[j]);
        let change = || SessionChange {
            before: a.clone(),
            after: b.clone(),
        };
        if a.start != b.start || a.end != b.end || a.room != b.room {
            ch.moved.push(change());
        }
        if a.status != b.status {
            if b.status.is_cancelled() && !a.status.is_cancelled() {
                ch.cancelled.push(change());
            } else if b.status == SessionStatus::Rescheduled {
                ch.rescheduled.push(change());
            } else {
                ch.status_changed.push(change());
            }
        }
    }
    ch.charters_changed = old
        .charters
        .iter()
        .filter(|(acr, h)| new.charters.get(*acr).is_some_and(|n| n != *h))
        .map(|(acr, _)| acr.clone())
        .collect();
    let mut agendas: BTreeSet<String> = BTreeSet::new();
    for (path, h) in &new.agendas {
        if old.agendas.get(path) != Some(h) {
            agendas.extend(new.agenda_groups.get(path).into_iter().flatten().cloned());
        }
    }
    ch.agendas_changed = agendas.into_iter().collect();
    ch
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 11, 6, h, 0, 0).unwrap()
    }

    fn sv(
        id: &str,
        sid: Option<u64>,
        start: u32,
        room: &str,
        status: SessionStatus,
    ) -> SessionView {
        SessionView {
            id: id.into(),
            session_id: sid,
            group: id.split('-').nth(1).unwrap().into(),
            name: id.into(),
            start: t(start),
            end: t(start + 2),
            room: Some(room.into()),
            status,
        }
    }

    fn state(sessions: Vec<SessionView>, charters: &[(&str, &str)]) -> State {
        State {
            meeting: 121,
            timezone: chrono_tz::Europe::Dublin,
            sessions,
            charters: charters
                .iter()
                .map(|(a, c)| (a.to_string(), sha256_hex(c.as_bytes())))
                .collect(),
            agendas: BTreeMap::new(),
            agenda_groups: BTreeMap::new(),
        }
    }

    use SessionStatus::*;

    #[test]
    fn identical_states_have_no_changes() {
        let s = state(
            vec![sv("121-quic-1", Some(1), 9, "A", Scheduled)],
            &[("quic", "x")],
        );
        let c = diff(&s, &s.clone());
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn each_kind_is_found_and_nothing_else() {
        let old = state(
            vec![
                sv("121-quic-1", Some(1), 9, "A", Scheduled),
                sv("121-tls-1", Some(2), 9, "B", Scheduled),
                sv("121-oauth-1", Some(3), 13, "C", Scheduled),
                sv("121-dnsop-1", Some(4), 13, "D", Scheduled),
                sv("121-gone-1", Some(5), 15, "E", Scheduled),
                sv("121-lamps-1", Some(6), 15, "F", Cancelled),
            ],
            &[("quic", "q"), ("tls", "t"), ("oauth", "o")],
        );
        let new = state(
            vec![
                sv("121-quic-1", Some(1), 11, "A", Scheduled), // moved in time
                sv("121-tls-1", Some(2), 9, "Z", Scheduled),   // moved room
                sv("121-oauth-1", Some(3), 13, "C", Cancelled),
                sv("121-dnsop-1", Some(4), 13, "D", Rescheduled),
                sv("121-lamps-1", Some(6), 15, "F", Scheduled), // reinstated
                sv("121-new-1", Some(7), 15, "G", Scheduled),
            ],
            &[("quic", "q"), ("tls", "t2"), ("oauth", "o")],
        );
        let c = diff(&old, &new);
        let ids = |v: &[SessionChange]| v.iter().map(|c| c.after.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&c.moved), ["121-quic-1", "121-tls-1"]);
        assert_eq!(ids(&c.cancelled), ["121-oauth-1"]);
        assert_eq!(ids(&c.rescheduled), ["121-dnsop-1"]);
        assert_eq!(ids(&c.status_changed), ["121-lamps-1"]);
        assert_eq!(
            c.added.iter().map(|s| &s.id).collect::<Vec<_>>(),
            ["121-new-1"]
        );
        assert_eq!(
            c.removed.iter().map(|s| &s.id).collect::<Vec<_>>(),
            ["121-gone-1"]
        );
        assert_eq!(c.charters_changed, ["tls"]);
        assert_eq!(c.items().len(), 8);
    }

    #[test]
    fn session_ids_win_over_renumbered_stable_keys() {
        // quic's first session is dropped; its second becomes "121-quic-1".
        let old = state(
            vec![
                sv("121-quic-1", Some(10), 9, "A", Scheduled),
                sv("121-quic-2", Some(11), 13, "A", Scheduled),
            ],
            &[],
        );
        let new = state(vec![sv("121-quic-1", Some(11), 13, "A", Scheduled)], &[]);
        let c = diff(&old, &new);
        assert!(c.moved.is_empty() && c.added.is_empty(), "{c:?}");
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].session_id, Some(10));
    }

    #[test]
    fn stable_keys_match_when_session_ids_are_missing() {
        let old = state(vec![sv("121-quic-1", None, 9, "A", Scheduled)], &[]);
        let new = state(vec![sv("121-quic-1", Some(5), 9, "B", Scheduled)], &[]);
        let c = diff(&old, &new);
        assert_eq!(c.moved.len(), 1);
        assert!(c.added.is_empty() && c.removed.is_empty());
    }

    #[test]
    fn charter_of_a_group_on_one_side_only_is_not_a_change() {
        let old = state(vec![], &[("quic", "q")]);
        let new = state(vec![], &[("tls", "t")]);
        assert!(diff(&old, &new).charters_changed.is_empty());
    }

    #[test]
    fn posted_and_edited_agendas_name_their_groups() {
        let mut old = state(vec![], &[]);
        let mut new = state(vec![], &[]);
        let p1 = "meeting/121/materials/agenda-121-quic".to_string();
        let p2 = "meeting/121/materials/agenda-121-tls".to_string();
        let p3 = "meeting/121/materials/agenda-121-lamps".to_string();
        for s in [&mut old, &mut new] {
            for (p, g) in [(&p1, "quic"), (&p2, "tls"), (&p3, "lamps")] {
                s.agenda_groups
                    .insert(p.clone(), BTreeSet::from([g.to_string()]));
            }
        }
        old.agendas.insert(p1.clone(), "h1".into());
        old.agendas.insert(p3.clone(), "h3".into());
        new.agendas.insert(p1, "h1-edited".into());
        new.agendas.insert(p2, "h2".into()); // newly posted
        new.agendas.insert(p3, "h3".into());
        assert_eq!(diff(&old, &new).agendas_changed, ["quic", "tls"]);
    }
}
