//! What a query would otherwise work out again on every run, worked out once when a generation
//! is built and stored beside it (`digest.bin`):
//!
//! - each meeting's session rows (the short fields ranking reads of every session) and its
//!   parsed agenda (plans read it; a reader thus plans from the agenda it ranked, also when
//!   the snapshot has moved on since the index was built);
//! - each document's charter sentences and agenda lines, cleaned and stemmed (strength, excerpts
//!   and reasons read them, borrowed from the file);
//! - for every unit the built-in vocabulary can make, its BM25 hits as ranking's query for it
//!   finds them (scored with the field boosts recorded here) and whether each hit shows the
//!   unit's word as written, how many documents hold each of its stems and phrases, and how the
//!   analyzers cut each label;
//! - for each topic name and alias taken as an interest, what ranking prepares for it before it
//!   searches (encoded by the rank stage: units, strength's evidence, the first topic named).
//!
//! Every entry is computed by the same functions a query runs on the same committed index, so
//! reading it gives the same numbers; what is not in it (a person's own words, other boosts or
//! weights, a user's extra vocabulary) is computed at query time as before. The file is mapped,
//! not read: entries are found by binary search on their keys in place and decoded when asked
//! for. A generation whose digest is missing or of another version is not fresh (writers
//! rebuild it; a reader answers from it, computing everything). The rank stage fills it
//! (`rank::digest::compute`); this module only stores and reads it.

use super::SessionDoc;
use crate::model::{Agenda, Meeting, Session, SessionStatus};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use tantivy::Directory;
use tantivy::DocAddress;
use tantivy::directory::error::OpenReadError;
use tantivy::directory::{MmapDirectory, OwnedBytes};

/// The file in a generation folder.
pub const FILE: &str = "digest.bin";
/// Bumped whenever what is stored or how it is computed changes: an older file is ignored.
pub(crate) const VERSION: u32 = 27;

/// What the file starts with: [`VERSION`] in the low byte, the built-in vocabulary's
/// fingerprint (three bytes of its SHA-256, from build.rs) above it. The digest holds what that
/// vocabulary makes of each interest, so one written before the vocabulary changed (an upgraded
/// wgrec reading the cached bundled index) is not current either.
const STAMP: u32 =
    VERSION | (include!(concat!(env!("OUT_DIR"), "/vocabulary_fingerprint.rs")) << 8);

/// A document a unit's query matched: its BM25 score, and whether its prose shows the unit's
/// word as written (for a word whose stem could stand for another; always true otherwise).
pub type UnitHit = (DocAddress, f32, bool);

/// One piece of a text as read (a sentence or an agenda line) and its stems, joined by spaces:
/// one string to read back per piece, not one per word.
pub type Piece<S> = (S, S);

/// A document's texts, as strength reads them: owned when built, borrowed from the digest when
/// read (`DocTexts<&str>`, the same encoding).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocTexts<S = String> {
    /// The charter's sentences (every one, also those without a word), after cleaning.
    pub charter: Vec<Piece<S>>,
    /// The agenda's lines that have at least one word, after cleaning, in order.
    pub agenda: Vec<Piece<S>>,
}

impl<S> DocTexts<S> {
    /// The same texts with every string turned into a `T`.
    pub fn map<T>(self, f: impl Fn(S) -> T) -> DocTexts<T> {
        let pieces = |v: Vec<Piece<S>>| -> Vec<Piece<T>> {
            v.into_iter()
                .map(|(text, stems)| (f(text), f(stems)))
                .collect()
        };
        DocTexts {
            charter: pieces(self.charter),
            agenda: pieces(self.agenda),
        }
    }
}

/// What a build puts in; [`Builder::encode`] lays it out for reading.
#[derive(Debug, Default)]
pub struct Builder {
    boosts: Vec<f32>,
    sessions: Vec<(u32, Vec<SessionDoc>)>,
    agendas: Vec<Agenda>,
    units: BTreeMap<String, Vec<UnitHit>>,
    counts: BTreeMap<String, u64>,
    cuts: BTreeMap<String, Vec<String>>,
    interests: BTreeMap<String, Vec<u8>>,
    docs: Vec<(DocAddress, DocTexts)>,
    words: Vec<String>,
    groups: BTreeMap<DocAddress, Vec<u8>>,
    runs: BTreeMap<DocAddress, String>,
}

/// The start of the file, decoded when it is opened: where everything else lies, as offsets
/// into the body that follows it. The entry lists are [`Table`]s read in place: keys are
/// sorted, so a lookup is a binary search that decodes only the keys it passes, and opening
/// decodes none of them.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Head {
    version: u32,
    /// The field boosts the unit hits were scored with (a query with others scores live).
    boosts: Vec<f32>,
    /// Per meeting: its session rows.
    sessions: Vec<(u32, Span)>,
    /// Per meeting: its agenda as indexed.
    agendas: Vec<(u32, Span)>,
    /// Entries `(key, hits)`, by key ([`unit_key`]); hits ([`UnitHit`]) in the order the
    /// search gave them.
    units: Table,
    /// Entries `(stems joined by a space, documents holding them)`, by key.
    counts: Table,
    /// Entries `(cut key, words)`, by key ([`cut_key`]): the vocabulary's labels as the
    /// analyzers cut them.
    cuts: Table,
    /// Entries `(interest, what ranking prepares for it)`, by interest: for interests that
    /// name a topic, encoded by the rank stage.
    interests: Table,
    /// Per document, by address: its [`DocTexts`] (records: segment, doc, span).
    docs: Table,
    /// Entries `(word, id)` by the word's hash ([`word_slot`]; a power of two of slots, the
    /// empty ones [`EMPTY`]): the ids the group entries are written in.
    words: Table,
    word_count: u32,
    /// Per group at a meeting, by the address of its first session: its texts as word ids,
    /// encoded by the rank stage (records: segment, doc, span).
    groups: Table,
    /// Per document, by address: the runs of letters and digits of its searchable prose in
    /// lower case, each once, joined by spaces (records: segment, doc, span).
    runs: Table,
    /// How many bytes of entries follow the head: a file cut short (a full disk, a copy
    /// interrupted) or grown is seen when it is opened, not read as wrong entries.
    body_len: u64,
}

/// A list of fixed-width records of little-endian u32s in the body: an entry's offset (one
/// u32), or an address and a span (four).
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
struct Table {
    offset: u32,
    len: u32,
}

/// More than any digest's head takes (a few dozen bytes per meeting): [`Digest::is_current`]
/// reads no further.
const HEAD_MAX: u64 = 64 * 1024;

/// Whether `body_len` bytes of entries are what the head says were written.
fn whole(head: &Head, body_len: u64) -> bool {
    head.body_len == body_len
}

/// An empty slot of the words' table.
const EMPTY: u32 = u32::MAX;

/// Where a word's search starts in the words' table (FNV-1a, then masked).
fn word_slot(word: &str) -> usize {
    word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) as usize
}

/// Appends a table of records to the body.
fn put_table<const W: usize>(body: &mut Vec<u8>, records: &[[u32; W]]) -> Result<Table> {
    let offset = u32::try_from(body.len()).map_err(|_| bad("over 4 GB"))?;
    for r in records {
        for n in r {
            body.extend_from_slice(&n.to_le_bytes());
        }
    }
    Ok(Table {
        offset,
        len: records.len() as u32,
    })
}

/// An address and a span as a table record.
fn addr_record(addr: DocAddress, (offset, len): Span) -> [u32; 4] {
    [addr.segment_ord, addr.doc_id, offset, len]
}

/// Where an entry lies in the body: offset and length.
type Span = (u32, u32);

/// Precomputed tables of one generation, read lazily; see the module doc.
#[derive(Debug)]
pub struct Digest {
    head: Head,
    bytes: OwnedBytes,
    /// Where the body starts in `bytes`.
    body: usize,
}

/// The key of a unit: its acronym form and its stems.
pub fn unit_key(acronym: &str, stems: &[String]) -> String {
    format!("{acronym}\u{1f}{}", stems.join(" "))
}

/// The key of a text cut into words (`stemmed`) or stems.
pub fn cut_key(stemmed: bool, text: &str) -> String {
    format!("{}{text}", cut_flag(stemmed) as char)
}

fn cut_flag(stemmed: bool) -> u8 {
    if stemmed { b's' } else { b'w' }
}

fn bad(e: impl ToString) -> Error {
    Error::parse("index digest", e)
}

impl Builder {
    pub fn new(boosts: Vec<f32>) -> Self {
        Self {
            boosts,
            ..Self::default()
        }
    }

    pub fn add_sessions(&mut self, meeting: u32, sessions: Vec<SessionDoc>) {
        self.sessions.push((meeting, sessions));
    }

    pub fn add_agenda(&mut self, agenda: Agenda) {
        self.agendas.push(agenda);
    }

    pub fn add_unit(&mut self, key: String, hits: Vec<UnitHit>) {
        self.units.insert(key, hits);
    }

    pub fn add_count(&mut self, stems: &[String], n: u64) {
        self.counts.insert(stems.join(" "), n);
    }

    pub fn add_cut(&mut self, key: String, words: Vec<String>) {
        self.cuts.insert(key, words);
    }

    pub fn add_interest(&mut self, interest: String, prepared: Vec<u8>) {
        self.interests.insert(interest, prepared);
    }

    pub fn add_texts(&mut self, addr: DocAddress, texts: DocTexts) {
        self.docs.push((addr, texts));
    }

    /// The words of the group entries, in the order of their ids (0, 1, ...).
    pub fn set_words(&mut self, words: Vec<String>) {
        self.words = words;
    }

    pub fn add_group(&mut self, first: DocAddress, texts: Vec<u8>) {
        self.groups.insert(first, texts);
    }

    pub fn add_runs(&mut self, addr: DocAddress, runs: String) {
        self.runs.insert(addr, runs);
    }

    /// The file's bytes.
    pub fn encode(mut self) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        let mut head = Head {
            version: STAMP,
            boosts: std::mem::take(&mut self.boosts),
            ..Head::default()
        };
        for (m, rows) in &self.sessions {
            head.sessions
                .push((*m, put(&mut body, &StoredDocs::of(rows)?)?));
        }
        for a in &self.agendas {
            head.agendas
                .push((a.meeting.number, put(&mut body, &StoredAgenda::of(a)?)?));
        }
        let offsets = |body: &mut Vec<u8>, entries: Vec<Span>| -> Result<Table> {
            let records: Vec<[u32; 1]> = entries.iter().map(|e| [e.0]).collect();
            put_table(body, &records)
        };
        let mut units = Vec::new();
        for (key, hits) in &self.units {
            units.push(put(&mut body, &(key.as_str(), hits))?);
        }
        head.units = offsets(&mut body, units)?;
        let mut counts = Vec::new();
        for (key, n) in &self.counts {
            counts.push(put(&mut body, &(key.as_str(), *n))?);
        }
        head.counts = offsets(&mut body, counts)?;
        let mut cuts = Vec::new();
        for (key, words) in &self.cuts {
            cuts.push(put(&mut body, &(key.as_str(), words))?);
        }
        head.cuts = offsets(&mut body, cuts)?;
        let mut interests = Vec::new();
        for (key, prepared) in &self.interests {
            interests.push(put(&mut body, &(key.as_str(), prepared))?);
        }
        head.interests = offsets(&mut body, interests)?;
        // Words by hash, open addressing: a lookup reads one or two entries, not a dozen.
        let mut slots = vec![[EMPTY]; (self.words.len() * 2).next_power_of_two()];
        let mask = slots.len() - 1;
        for (id, word) in (0u32..).zip(&self.words) {
            let offset = put(&mut body, &(word.as_str(), id))?.0;
            let mut i = word_slot(word) & mask;
            while slots[i][0] != EMPTY {
                i = (i + 1) & mask;
            }
            slots[i] = [offset];
        }
        head.words = put_table(&mut body, &slots)?;
        head.word_count = self.words.len() as u32;
        self.docs.sort_by_key(|d| d.0);
        let mut docs = Vec::new();
        for (addr, texts) in &self.docs {
            docs.push(addr_record(*addr, put(&mut body, texts)?));
        }
        head.docs = put_table(&mut body, &docs)?;
        let mut groups = Vec::new();
        for (first, texts) in &self.groups {
            groups.push(addr_record(*first, put(&mut body, texts)?));
        }
        head.groups = put_table(&mut body, &groups)?;
        let mut runs = Vec::new();
        for (addr, r) in &self.runs {
            runs.push(addr_record(*addr, put(&mut body, r)?));
        }
        head.runs = put_table(&mut body, &runs)?;
        head.body_len = body.len() as u64;
        let mut out = postcard::to_allocvec(&head).map_err(bad)?;
        out.extend_from_slice(&body);
        Ok(out)
    }
}

/// Texts each stored once, in one string. Read field by field, checking each short text as
/// UTF-8 cost more than the rest of reading an agenda; one long text is checked many bytes at
/// a time.
#[derive(Default, Serialize, Deserialize)]
struct Texts<'a> {
    #[serde(borrow)]
    all: std::borrow::Cow<'a, str>,
    /// Where each text ends in `all`; a text's number is its place here.
    ends: Vec<u32>,
}

/// [`Texts`] being written: each text's number, by text.
#[derive(Default)]
struct Numbering<'s> {
    texts: Texts<'static>,
    numbers: std::collections::HashMap<&'s str, u32>,
}

impl<'s> Numbering<'s> {
    fn number(&mut self, t: &'s str) -> Result<u32> {
        if let Some(&n) = self.numbers.get(t) {
            return Ok(n);
        }
        let all = self.texts.all.to_mut();
        all.push_str(t);
        let end = u32::try_from(all.len()).map_err(|_| bad("texts over 4 GB"))?;
        self.texts.ends.push(end);
        let n = (self.texts.ends.len() - 1) as u32;
        self.numbers.insert(t, n);
        Ok(n)
    }

    fn maybe(&mut self, t: &'s Option<String>) -> Result<Option<u32>> {
        t.as_deref().map(|t| self.number(t)).transpose()
    }

    /// A status by its slug, which reads back as the same status.
    fn status(&mut self, s: &'s SessionStatus) -> Result<u32> {
        self.number(s.slug())
    }
}

impl Texts<'_> {
    fn str(&self, n: u32) -> Result<&str> {
        let n = n as usize;
        let start = n
            .checked_sub(1)
            .map_or(Some(0), |p| self.ends.get(p).copied());
        start
            .zip(self.ends.get(n).copied())
            .and_then(|(s, e)| self.all.get(s as usize..e as usize))
            .ok_or_else(|| bad("a text out of range"))
    }

    fn get(&self, n: u32) -> Result<String> {
        self.str(n).map(str::to_string)
    }

    fn status(&self, n: u32) -> Result<SessionStatus> {
        self.str(n).map(SessionStatus::from_slug)
    }

    fn maybe(&self, n: Option<u32>) -> Result<Option<String>> {
        n.map(|n| self.get(n)).transpose()
    }
}

/// An instant as seconds and nanoseconds since the epoch.
type Instant = (i64, u32);

fn instant_of(t: &DateTime<Utc>) -> Instant {
    (t.timestamp(), t.timestamp_subsec_nanos())
}

fn instant((secs, nanos): Instant) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, nanos).ok_or_else(|| bad("an instant out of range"))
}

/// An agenda as the digest stores it: its sessions' texts in [`Texts`].
#[derive(Serialize, Deserialize)]
struct StoredAgenda<'a> {
    meeting: Meeting,
    area_names: BTreeMap<String, String>,
    #[serde(borrow)]
    texts: Texts<'a>,
    sessions: Vec<StoredSession>,
}

/// A [`Session`], its texts by number.
#[derive(Serialize, Deserialize)]
struct StoredSession {
    id: u32,
    meeting: u32,
    session_id: Option<u64>,
    group: u32,
    group_name: u32,
    name: u32,
    area: Option<u32>,
    group_type: Option<u32>,
    is_bof: bool,
    start: Instant,
    end: Instant,
    room: Option<u32>,
    status: u32,
    agenda_url: Option<u32>,
    note: u32,
}

impl StoredAgenda<'static> {
    fn of(a: &Agenda) -> Result<Self> {
        let mut t = Numbering::default();
        let mut sessions = Vec::with_capacity(a.sessions.len());
        // Every field named: a field added to `Session` must be stored too.
        for Session {
            id,
            meeting,
            session_id,
            group,
            group_name,
            name,
            area,
            group_type,
            is_bof,
            start,
            end,
            room,
            status,
            agenda_url,
            note,
        } in &a.sessions
        {
            sessions.push(StoredSession {
                id: t.number(id)?,
                meeting: *meeting,
                session_id: *session_id,
                group: t.number(group)?,
                group_name: t.number(group_name)?,
                name: t.number(name)?,
                area: t.maybe(area)?,
                group_type: t.maybe(group_type)?,
                is_bof: *is_bof,
                start: instant_of(start),
                end: instant_of(end),
                room: t.maybe(room)?,
                status: t.status(status)?,
                agenda_url: t.maybe(agenda_url)?,
                note: t.number(note)?,
            });
        }
        Ok(StoredAgenda {
            meeting: a.meeting.clone(),
            area_names: a.area_names.clone(),
            texts: t.texts,
            sessions,
        })
    }
}

impl StoredAgenda<'_> {
    fn agenda(self) -> Result<Agenda> {
        let t = &self.texts;
        let mut sessions = Vec::with_capacity(self.sessions.len());
        for s in &self.sessions {
            sessions.push(Session {
                id: t.get(s.id)?,
                meeting: s.meeting,
                session_id: s.session_id,
                group: t.get(s.group)?,
                group_name: t.get(s.group_name)?,
                name: t.get(s.name)?,
                area: t.maybe(s.area)?,
                group_type: t.maybe(s.group_type)?,
                is_bof: s.is_bof,
                start: instant(s.start)?,
                end: instant(s.end)?,
                room: t.maybe(s.room)?,
                status: t.status(s.status)?,
                agenda_url: t.maybe(s.agenda_url)?,
                note: t.get(s.note)?,
            });
        }
        Ok(Agenda {
            meeting: self.meeting,
            sessions,
            area_names: self.area_names,
        })
    }
}

/// A meeting's session documents as the digest stores them: their texts in [`Texts`].
#[derive(Serialize, Deserialize)]
struct StoredDocs<'a> {
    #[serde(borrow)]
    texts: Texts<'a>,
    docs: Vec<StoredDoc>,
}

/// A [`SessionDoc`], its texts by number.
#[derive(Serialize, Deserialize)]
struct StoredDoc {
    addr: DocAddress,
    key: u32,
    group: u32,
    group_name: u32,
    area: Option<u32>,
    group_type: u32,
    is_bof: bool,
    start: Instant,
    end: Instant,
    room: Option<u32>,
    status: u32,
}

impl StoredDocs<'static> {
    fn of(rows: &[SessionDoc]) -> Result<Self> {
        let mut t = Numbering::default();
        let mut docs = Vec::with_capacity(rows.len());
        // Every field named: a field added to `SessionDoc` must be stored too.
        for SessionDoc {
            addr,
            key,
            group,
            group_name,
            area,
            group_type,
            is_bof,
            start,
            end,
            room,
            status,
        } in rows
        {
            docs.push(StoredDoc {
                addr: *addr,
                key: t.number(key)?,
                group: t.number(group)?,
                group_name: t.number(group_name)?,
                area: t.maybe(area)?,
                group_type: t.number(group_type)?,
                is_bof: *is_bof,
                start: instant_of(start),
                end: instant_of(end),
                room: t.maybe(room)?,
                status: t.status(status)?,
            });
        }
        Ok(StoredDocs {
            texts: t.texts,
            docs,
        })
    }
}

impl StoredDocs<'_> {
    fn docs(self) -> Result<Vec<SessionDoc>> {
        let t = &self.texts;
        let mut rows = Vec::with_capacity(self.docs.len());
        for d in &self.docs {
            rows.push(SessionDoc {
                addr: d.addr,
                key: t.get(d.key)?,
                group: t.get(d.group)?,
                group_name: t.get(d.group_name)?,
                area: t.maybe(d.area)?,
                group_type: t.get(d.group_type)?,
                is_bof: d.is_bof,
                start: instant(d.start)?,
                end: instant(d.end)?,
                room: t.maybe(d.room)?,
                status: t.status(d.status)?,
            });
        }
        Ok(rows)
    }
}

/// A stored entry, or `None` when it cannot be read: the caller then works it out from the
/// index, as it does without a digest (the same answers, slower), and a warning says so. (A
/// digest that is whole but damaged inside is found only by reading the entry.)
pub fn readable<T>(entry: Result<Option<T>>) -> Option<T> {
    entry.unwrap_or_else(|e| {
        tracing::warn!(
            "{e}: the digest is damaged; answering from the search index itself (the same \
             answers, slower) until `wgrec index` or the next refresh builds it again"
        );
        None
    })
}

/// Appends one entry to the body; where it went.
fn put<T: Serialize>(body: &mut Vec<u8>, value: &T) -> Result<Span> {
    let start = u32::try_from(body.len()).map_err(|_| bad("over 4 GB"))?;
    let bytes = postcard::to_allocvec(value).map_err(bad)?;
    body.extend_from_slice(&bytes);
    Ok((start, bytes.len() as u32))
}

impl Digest {
    /// Whether the generation in `dir` has a whole digest of this version (reads only its
    /// head, and the file's size).
    pub fn is_current(dir: &Path) -> bool {
        use std::io::Read;
        let Ok(file) = std::fs::File::open(dir.join(FILE)) else {
            return false;
        };
        let Ok(len) = file.metadata().map(|m| m.len()) else {
            return false;
        };
        let mut start = Vec::new();
        if file.take(HEAD_MAX).read_to_end(&mut start).is_err() {
            return false;
        }
        matches!(postcard::take_from_bytes::<u32>(&start), Ok((STAMP, _)))
            && postcard::take_from_bytes::<Head>(&start).is_ok_and(|(head, rest)| {
                whole(&head, len.saturating_sub((start.len() - rest.len()) as u64))
            })
    }

    /// Reads the bytes [`Builder::encode`] made; `None` when they are of another version, an
    /// error when they are not whole.
    pub fn from_bytes(bytes: OwnedBytes) -> Result<Option<Self>> {
        // The version comes first: an older layout is recognised before it is decoded.
        match postcard::take_from_bytes::<u32>(&bytes) {
            Ok((STAMP, _)) => {}
            _ => return Ok(None),
        }
        let (head, rest) = postcard::take_from_bytes::<Head>(&bytes).map_err(bad)?;
        if !whole(&head, rest.len() as u64) {
            return Err(bad(format!(
                "{} bytes of entries where {} were written: the file was cut short or changed",
                rest.len(),
                head.body_len
            )));
        }
        let body = bytes.len() - rest.len();
        Ok(Some(Self { head, bytes, body }))
    }

    /// The entry at `offset` of the body and what follows it.
    fn at(&self, offset: u32) -> Result<&[u8]> {
        self.bytes
            .get(self.body + offset as usize..)
            .ok_or_else(|| bad("an entry lies outside the file"))
    }

    fn span(&self, (offset, len): Span) -> Result<&[u8]> {
        let from = self.body + offset as usize;
        self.bytes
            .get(from..from + len as usize)
            .ok_or_else(|| bad("an entry lies outside the file"))
    }

    /// Record `i` of a table (`W` u32s), read in place.
    fn record<const W: usize>(&self, t: Table, i: u32) -> Option<[u32; W]> {
        let from = self.body + t.offset as usize + i as usize * W * 4;
        let bytes = self.bytes.get(from..from + W * 4)?;
        let mut out = [0u32; W];
        for (n, b) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *n = u32::from_le_bytes(b.try_into().ok()?);
        }
        Some(out)
    }

    /// The span of the entry for `addr` in a table of addresses and spans.
    fn by_addr(&self, t: Table, addr: DocAddress) -> Option<Span> {
        let (mut lo, mut hi) = (0, t.len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let [segment_ord, doc_id, offset, len] = self.record::<4>(t, mid)?;
            match (segment_ord, doc_id).cmp(&(addr.segment_ord, addr.doc_id)) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((offset, len)),
            }
        }
        None
    }

    /// Binary search of a sorted entry table by its leading key; `cmp` compares an entry's
    /// key (its bytes, read in place) with the one sought.
    fn find<'a, T: Deserialize<'a>>(
        &'a self,
        list: Table,
        cmp: impl Fn(&[u8]) -> std::cmp::Ordering,
    ) -> Option<T> {
        let (mut lo, mut hi) = (0, list.len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let bytes = self.at(self.record::<1>(list, mid)?[0]).ok()?;
            // A string is stored as its length and bytes, so it reads back as bytes.
            let (k, rest) = postcard::take_from_bytes::<&[u8]>(bytes).ok()?;
            match cmp(k) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return postcard::take_from_bytes(rest).ok().map(|v| v.0);
                }
            }
        }
        None
    }

    /// Whether unit hits were scored with these field boosts.
    pub fn scored_with(&self, boosts: &[f32]) -> bool {
        self.head.boosts == boosts
    }

    /// A meeting's session rows, when stored.
    pub fn sessions(&self, meeting: u32) -> Result<Option<Vec<SessionDoc>>> {
        let Some(&(_, span)) = self.head.sessions.iter().find(|(m, _)| *m == meeting) else {
            return Ok(None);
        };
        postcard::from_bytes::<StoredDocs>(self.span(span)?)
            .map_err(bad)?
            .docs()
            .map(Some)
    }

    /// A meeting's agenda as indexed, when stored.
    pub fn agenda(&self, meeting: u32) -> Result<Option<Agenda>> {
        let Some(&(_, span)) = self.head.agendas.iter().find(|(m, _)| *m == meeting) else {
            return Ok(None);
        };
        postcard::from_bytes::<StoredAgenda>(self.span(span)?)
            .map_err(bad)?
            .agenda()
            .map(Some)
    }

    /// A unit's hits, when stored.
    pub fn unit(&self, key: &str) -> Option<Vec<UnitHit>> {
        self.find(self.head.units, |k| k.cmp(key.as_bytes()))
    }

    /// Documents holding `stems` (a phrase when several), when stored.
    pub fn count(&self, stems: &[String]) -> Option<u64> {
        let key = stems.join(" ");
        self.find(self.head.counts, |k| k.cmp(key.as_bytes()))
    }

    /// A text cut by the analyzers into stems or words, when stored (see [`cut_key`]).
    pub fn cut(&self, stemmed: bool, text: &str) -> Option<Vec<String>> {
        let flag = cut_flag(stemmed);
        self.find(self.head.cuts, |k| match k.split_first() {
            Some((f, rest)) => f.cmp(&flag).then_with(|| rest.cmp(text.as_bytes())),
            None => std::cmp::Ordering::Less,
        })
    }

    /// What ranking prepared for an interest (its encoding), when stored.
    pub fn interest(&self, interest: &str) -> Option<&[u8]> {
        self.find(self.head.interests, |k| k.cmp(interest.as_bytes()))
    }

    /// A document's texts, when stored, borrowed from the digest.
    pub fn texts(&self, addr: DocAddress) -> Result<Option<DocTexts<&str>>> {
        let Some(span) = self.by_addr(self.head.docs, addr) else {
            return Ok(None);
        };
        postcard::from_bytes(self.span(span)?)
            .map(Some)
            .map_err(bad)
    }

    /// A word's id in the group entries, when any group uses it.
    pub fn word(&self, word: &str) -> Option<u32> {
        let t = self.head.words;
        let mask = (t.len as usize).checked_sub(1)?;
        let mut i = word_slot(word) & mask;
        loop {
            let [offset] = self.record::<1>(t, i as u32)?;
            if offset == EMPTY {
                return None;
            }
            let (k, rest) = postcard::take_from_bytes::<&str>(self.at(offset).ok()?).ok()?;
            if k == word {
                return postcard::from_bytes(rest).ok();
            }
            i = (i + 1) & mask;
        }
    }

    /// How many words have ids: ids from here on are free.
    pub fn word_count(&self) -> u32 {
        self.head.word_count
    }

    /// A group's texts (their encoding) by the address of its first session, when stored.
    pub fn group(&self, first: DocAddress) -> Option<&[u8]> {
        let span = self.by_addr(self.head.groups, first)?;
        postcard::from_bytes(self.span(span).ok()?).ok()
    }

    /// A document's runs of letters and digits (see [`Head::runs`]), when stored.
    pub fn runs(&self, addr: DocAddress) -> Option<&str> {
        let span = self.by_addr(self.head.runs, addr)?;
        postcard::from_bytes(self.span(span).ok()?).ok()
    }

    /// The digest of a generation folder, mapped into memory; `None` when there is none or it
    /// is of another version (the query then computes everything itself), an error when it is
    /// not whole or cannot be read. Generations are
    /// never changed once built, which is what makes mapping them safe (tantivy maps the
    /// index's own files the same way).
    pub fn open(dir: &MmapDirectory, path: &Path) -> Result<Option<Self>> {
        let io = |e: std::io::Error| Error::io(format!("reading {}", path.join(FILE).display()), e);
        match dir.open_read(Path::new(FILE)) {
            Ok(slice) => Self::from_bytes(slice.read_bytes().map_err(io)?),
            Err(OpenReadError::FileDoesNotExist(_)) => Ok(None),
            Err(e) => Err(io(std::io::Error::other(e.to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_agendas_read_back_as_written() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let session = |n: u32, room: Option<&str>, status: SessionStatus| Session {
            id: format!("121-x-{n}"),
            meeting: 121,
            session_id: Some(u64::from(n) + 30_000),
            group: "x".into(),
            group_name: "Ex Émigré".into(),
            name: "Ex Émigré".into(),
            area: Some("sec".into()),
            group_type: None,
            is_bof: n == 2,
            start: at("2024-11-04T09:30:00Z"),
            end: at("2024-11-04T11:30:00.25Z"),
            room: room.map(str::to_string),
            status,
            agenda_url: Some(format!("https://example.org/{n}")),
            note: String::new(),
        };
        let agenda = Agenda {
            meeting: Meeting {
                number: 121,
                city: "Dublin".into(),
                start_date: None,
                end_date: None,
                timezone: chrono_tz::Europe::Dublin,
            },
            sessions: vec![
                session(1, Some("Liffey A"), SessionStatus::Scheduled),
                session(2, None, SessionStatus::Cancelled),
                session(3, Some("Liffey A"), SessionStatus::Other("x".into())),
                session(4, Some("Liffey B"), SessionStatus::Rescheduled),
            ],
            area_names: BTreeMap::from([("sec".into(), "Security".into())]),
        };
        let docs: Vec<SessionDoc> = agenda
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| SessionDoc {
                addr: DocAddress::new(0, i as u32),
                key: s.id.clone(),
                group: s.group.clone(),
                group_name: s.group_name.clone(),
                area: s.area.clone(),
                group_type: "wg".into(),
                is_bof: s.is_bof,
                start: s.start,
                end: s.end,
                room: s.room.clone(),
                status: s.status.clone(),
            })
            .collect();
        let mut b = Builder::new(vec![1.0]);
        b.add_sessions(121, docs.clone());
        b.add_agenda(agenda.clone());
        let d = Digest::from_bytes(OwnedBytes::new(b.encode().unwrap()))
            .unwrap()
            .unwrap();
        assert_eq!(d.sessions(121).unwrap(), Some(docs));
        assert_eq!(d.agenda(121).unwrap(), Some(agenda));
        assert_eq!(d.sessions(120).unwrap(), None);
    }

    #[test]
    fn entries_read_back_and_other_versions_are_ignored() {
        let mut b = Builder::new(vec![1.0, 2.0]);
        let addr = DocAddress::new(0, 3);
        b.add_unit(unit_key("dns", &["dns".into()]), vec![(addr, 1.5, true)]);
        b.add_count(&["dns".into(), "privaci".into()], 7);
        b.add_cut(
            cut_key(true, "DNS privacy"),
            vec!["dns".into(), "privaci".into()],
        );
        let texts = DocTexts {
            charter: vec![("A sentence.".into(), "a sentenc".into())],
            agenda: Vec::new(),
        };
        b.add_texts(addr, texts.clone());
        b.set_words(vec!["sentenc".into(), "a".into(), "dns".into()]);
        b.add_group(addr, vec![9, 8]);
        b.add_runs(addr, "a sentence".into());
        let d = Digest::from_bytes(OwnedBytes::new(b.encode().unwrap()))
            .unwrap()
            .unwrap();
        assert!(d.scored_with(&[1.0, 2.0]) && !d.scored_with(&[1.0]));
        assert_eq!(
            d.unit(&unit_key("dns", &["dns".into()])),
            Some(vec![(addr, 1.5, true)])
        );
        assert_eq!(d.unit(&unit_key("doh", &["doh".into()])), None);
        assert_eq!(d.count(&["dns".into(), "privaci".into()]), Some(7));
        assert_eq!(d.count(&["dns".into()]), None);
        assert_eq!(d.cut(true, "DNS privacy").map(|v| v.len()), Some(2));
        assert_eq!(d.cut(false, "DNS privacy"), None);
        let read = d.texts(addr).unwrap().unwrap();
        assert_eq!(read.map(str::to_string), texts);
        assert_eq!(d.texts(DocAddress::new(0, 4)).unwrap(), None);
        // Word ids are kept as given, found by word.
        assert_eq!(
            ["a", "dns", "sentenc", "zzz"].map(|w| d.word(w)),
            [Some(1), Some(2), Some(0), None]
        );
        assert_eq!(d.word_count(), 3);
        assert_eq!(d.group(addr), Some(&[9u8, 8][..]));
        assert_eq!(d.group(DocAddress::new(0, 4)), None);
        assert_eq!(d.runs(addr), Some("a sentence"));
        assert_eq!(d.runs(DocAddress::new(0, 4)), None);
        // Another version is not read; a cut-off file is an error, not a wrong answer.
        let bytes = |v: Vec<u8>| OwnedBytes::new(v);
        let stamp = |v: u32| postcard::to_allocvec(&v).unwrap();
        let other = Digest::from_bytes(bytes(stamp(STAMP + 1)));
        assert!(other.unwrap().is_none());
        // The same format computed with another vocabulary is not current either.
        let other = Digest::from_bytes(bytes(stamp(STAMP ^ (1 << 8))));
        assert!(other.unwrap().is_none());
        assert!(Digest::from_bytes(bytes(stamp(STAMP))).is_err());
    }
}
