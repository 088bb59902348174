//! What ranking reads of a session document: the short fields up front, long texts on demand.

use crate::Result;
use crate::index::Fields;
use crate::model::{SessionRef, SessionStatus};
use chrono::{DateTime, TimeZone, Utc};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// What ranking needs of a session document (its long texts are read only for excerpts).
#[derive(Debug, Clone)]
pub(super) struct SessionDoc {
    pub(super) addr: DocAddress,
    pub(super) key: String,
    pub(super) group: String,
    pub(super) group_name: String,
    pub(super) area: Option<String>,
    pub(super) group_type: String,
    pub(super) is_bof: bool,
    pub(super) start: DateTime<Utc>,
    pub(super) end: DateTime<Utc>,
    pub(super) room: Option<String>,
    pub(super) status: SessionStatus,
}

impl SessionDoc {
    /// Working groups, research groups, BoFs and their kin, as opposed to plenaries, breaks
    /// and side events, which have no charter to match and should rarely win.
    pub(super) fn is_group_session(&self) -> bool {
        self.is_bof
            || matches!(
                self.group_type.as_str(),
                "wg" | "rg" | "ag" | "rag" | "bof" | "program" | "team" | "dir" | "iab" | "area"
            )
    }

    pub(super) fn session_ref(&self) -> SessionRef {
        SessionRef {
            id: self.key.clone(),
            start: self.start,
            end: self.end,
            room: self.room.clone(),
            status: self.status.clone(),
        }
    }
}

pub(super) fn text_of(d: &TantivyDocument, f: Field) -> Option<&str> {
    d.get_first(f).and_then(|v| v.as_str())
}

pub(super) fn load_sessions(
    searcher: &Searcher,
    f: &Fields,
    meeting: u32,
) -> Result<Vec<SessionDoc>> {
    let q = TermQuery::new(
        Term::from_field_u64(f.meeting, u64::from(meeting)),
        IndexRecordOption::Basic,
    );
    let mut addrs: Vec<DocAddress> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
    addrs.sort();
    let mut out = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let d: TantivyDocument = searcher.doc(addr)?;
        let time = |field| {
            d.get_first(field)
                .and_then(|v| v.as_i64())
                .and_then(|t| Utc.timestamp_opt(t, 0).single())
                .unwrap_or_default()
        };
        out.push(SessionDoc {
            addr,
            key: text_of(&d, f.key).unwrap_or_default().to_string(),
            group: text_of(&d, f.acronym).unwrap_or_default().to_string(),
            group_name: text_of(&d, f.group_name).unwrap_or_default().to_string(),
            area: text_of(&d, f.area).map(str::to_string),
            group_type: text_of(&d, f.group_type).unwrap_or_default().to_string(),
            is_bof: d.get_first(f.is_bof).and_then(|v| v.as_u64()) == Some(1),
            start: time(f.start),
            end: time(f.end),
            room: text_of(&d, f.room).map(str::to_string),
            status: SessionStatus::from_slug(text_of(&d, f.status).unwrap_or_default()),
        });
    }
    Ok(out)
}
