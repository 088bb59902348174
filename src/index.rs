//! The tantivy search index: one document per session of every meeting in the snapshot.
//!
//! Layout of `<home>/index/`: generation folders `gen-<millis>-<rand>/`, each a complete tantivy
//! index plus `digest.bin` (what queries would otherwise work out each time, see [`digest`]) and
//! `wgrec.json` (schema version, snapshot fingerprint, meetings), and a pointer file
//! `CURRENT` naming the live generation. A build writes a new generation to the side, commits it,
//! writes `wgrec.json` last, then replaces `CURRENT` (temp file + rename). A reader therefore only
//! ever opens a finished generation, and a build killed at any point leaves the old one live.
//! `README.md` in that folder is tracked by git and never touched.
//!
//! Readers ([`open_for_reader`], [`open_bundled`]) never write to the home: they open the live
//! generation read-only (no tantivy lock file), serve it with a note when the snapshot is newer,
//! and build an index in memory when there is none. The bundled meeting's index is kept in the
//! user's own cache folder (checked: ours, not writable by others), else built in memory.

use crate::home::Home;
use crate::model::{Agenda, Meeting, SessionRef, SessionStatus};
use crate::snapshot::{self, Snapshot};
use crate::{Error, Result};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

pub mod digest;
mod stem;
pub use digest::Digest;

/// Bumped whenever the schema or what goes into a document changes: older generations rebuild.
/// 2: a generation carries its digest (`digest.bin`).
/// 3: charters and HTML agendas keep hard-wrapped lines together (`parse::element_text`).
/// 4: headings run into a charter's text are on their own line (`parse::headings_apart`).
/// 5: prose is stemmed with exceptions (`index::stem`).
/// 6: more exceptions ("suited").
/// 7: a list written as text in a charter's paragraph keeps its items on their own lines, a
///    title followed by its acronym is no heading, and a link run into a charter's start is
///    put apart (`parse::push_unwrapped`, `run_in_heading`, `headings_apart`).
/// 8: a Markdown heading run into its list ends at the first item (`run_in_heading`).
pub const SCHEMA_VERSION: u32 = 8;
/// File in `<home>/index/` naming the live generation.
pub const CURRENT: &str = "CURRENT";
/// Per-generation metadata file, written last.
pub const META: &str = "wgrec.json";
/// The analyzer for prose fields: lower-cased words, English stemming with exceptions
/// ([`prose_analyzer`]); registered on every index wgrec creates or opens ([`with_analyzers`]).
pub const PROSE_TOKENIZER: &str = "wgrec_en";
pub use stem::prose_analyzer;

/// `index` with wgrec's analyzers registered (tantivy knows only its own by name).
fn with_analyzers(index: Index) -> Index {
    index
        .tokenizers()
        .register(PROSE_TOKENIZER, prose_analyzer());
    index
}

/// Half-built generations older than this are abandoned builds and may be deleted.
const STALE_BUILD: Duration = Duration::from_secs(10 * 60);
const WRITER_MEMORY: usize = 50_000_000;

/// Handles on every schema field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable session key `121-quic-1` (exact).
    pub key: Field,
    pub meeting: Field,
    /// Group acronym, lower case (exact).
    pub acronym: Field,
    pub group_name: Field,
    pub session_name: Field,
    /// Area acronym, lower case (exact).
    pub area: Field,
    pub area_name: Field,
    pub group_type: Field,
    pub state: Field,
    pub is_bof: Field,
    pub charter: Field,
    pub agenda: Field,
    pub note: Field,
    /// Unix seconds, UTC.
    pub start: Field,
    pub end: Field,
    pub room: Field,
    /// Status slug (`sched`, `canceled`, ...).
    pub status: Field,
}

/// The schema and its field handles.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let prose = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PROSE_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let num = NumericOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        meeting: b.add_u64_field("meeting", num.clone()),
        acronym: b.add_text_field("acronym", STRING | STORED),
        group_name: b.add_text_field("group_name", prose.clone()),
        session_name: b.add_text_field("session_name", prose.clone()),
        area: b.add_text_field("area", STRING | STORED),
        area_name: b.add_text_field("area_name", prose.clone()),
        group_type: b.add_text_field("group_type", STRING | STORED),
        state: b.add_text_field("state", STRING | STORED),
        is_bof: b.add_u64_field("is_bof", INDEXED | STORED),
        charter: b.add_text_field("charter", prose.clone()),
        agenda: b.add_text_field("agenda", prose.clone()),
        note: b.add_text_field("note", prose),
        start: b.add_i64_field("start", STORED),
        end: b.add_i64_field("end", STORED),
        room: b.add_text_field("room", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
    };
    (b.build(), fields)
}

/// What a generation was built from; `wgrec.json` in each generation folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    /// `Snapshot::fingerprint()` of the snapshot indexed.
    pub fingerprint: String,
    pub bundled: bool,
    /// RFC 3339 UTC.
    pub built_at: String,
    /// Every indexed meeting, ascending by number.
    pub meetings: Vec<Meeting>,
    pub documents: u64,
    /// Per meeting, what the snapshot lacked when this generation was built.
    #[serde(default)]
    pub gaps: Vec<Gaps>,
    /// `Snapshot::manifest_stamp()` taken before `fingerprint` was computed: while the
    /// manifest keeps this stamp, its fingerprint is this one (see [`fingerprint`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_stamp: Option<String>,
    /// SHA-256 (hex) of the generation's digest as written. Writers check it, and tantivy's
    /// own checksums, before they keep a generation ([`is_fresh`]); queries do not (it would
    /// read every byte on each run). `None` in a generation written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_sha256: Option<String>,
}

/// The snapshot's fingerprint and its manifest's stamp (taken first). The fingerprint comes
/// from the live generation's record when the manifest is the very file that generation was
/// built from: parsing and hashing a large manifest is otherwise most of a small query's work.
fn fingerprint(home: &Home, snap: &Snapshot) -> Result<(String, Option<String>)> {
    let stamp = snap.manifest_stamp();
    if let Some(s) = &stamp
        && let Ok(Some(dir)) = live_generation(home)
        && let Ok(Some(meta)) = read_meta(&dir)
        && meta.manifest_stamp.as_ref() == Some(s)
    {
        return Ok((meta.fingerprint, stamp));
    }
    Ok((snap.fingerprint()?, stamp))
}

/// What a meeting's snapshot lacks: about pages of groups with a session, and datatracker agenda
/// documents the agenda links to, that are not stored (or could not be read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gaps {
    pub meeting: u32,
    pub about_pages: usize,
    pub about_pages_missing: usize,
    pub documents: usize,
    pub documents_missing: usize,
}

impl Gaps {
    /// A warning for readers when anything is missing.
    pub fn warning(&self) -> Option<String> {
        if self.about_pages_missing == 0 && self.documents_missing == 0 {
            return None;
        }
        Some(format!(
            "the snapshot of IETF {} is incomplete: {} of {} group pages and {} of {} session \
             agendas are missing, so results can miss groups (a later `wgrec refresh` fills \
             them in)",
            self.meeting,
            self.about_pages_missing,
            self.about_pages,
            self.documents_missing,
            self.documents
        ))
    }
}

/// An open, read-only index generation.
#[derive(Clone)]
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub meta: IndexMeta,
    pub dir: PathBuf,
    /// Each meeting's session documents, read once: the reader never reloads (an index
    /// generation is immutable), so document addresses stay valid.
    sessions: Arc<Mutex<HashMap<u32, Arc<Vec<SessionDoc>>>>>,
    /// What the build worked out for queries (none for a generation without it).
    pub digest: Option<Arc<Digest>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("meta", &self.meta)
            .finish()
    }
}

/// A finished generation opened for reading only: every write is refused and no lock file is
/// made, so an index on a read-only disk, in another user's home or on a full disk opens.
/// Generations are never changed once finished, so tantivy's reader lock protects nothing here.
#[derive(Debug, Clone)]
struct ReadOnlyDir(tantivy::directory::MmapDirectory);

#[derive(Debug)]
struct NoLock;

fn read_only_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        "index opened read-only",
    )
}

impl tantivy::Directory for ReadOnlyDir {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }

    fn delete(
        &self,
        path: &Path,
    ) -> std::result::Result<(), tantivy::directory::error::DeleteError> {
        Err(tantivy::directory::error::DeleteError::IoError {
            io_error: std::sync::Arc::new(read_only_error()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(
        &self,
        path: &Path,
    ) -> std::result::Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(
        &self,
        path: &Path,
    ) -> std::result::Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError>
    {
        Err(tantivy::directory::error::OpenWriteError::IoError {
            io_error: std::sync::Arc::new(read_only_error()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(
        &self,
        path: &Path,
    ) -> std::result::Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(
        &self,
        _lock: &tantivy::directory::Lock,
    ) -> std::result::Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError>
    {
        Ok(tantivy::directory::DirectoryLock::from(Box::new(NoLock)))
    }

    fn watch(
        &self,
        _cb: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        Ok(tantivy::directory::WatchHandle::empty())
    }
}

impl SearchIndex {
    /// Opens one generation folder, read-only.
    pub fn open_dir(dir: &Path) -> Result<Self> {
        let meta = read_meta(dir)?.ok_or_else(|| {
            Error::parse(
                format!("index generation {}", dir.display()),
                "wgrec.json is missing",
            )
        })?;
        let mmap = tantivy::directory::MmapDirectory::open(dir).map_err(|e| {
            Error::io(
                format!("opening the index {}", dir.display()),
                std::io::Error::other(e.to_string()),
            )
        })?;
        // Mapped, not read: a query touches a few pages of it. One that is damaged costs only
        // speed (a query computes what it holds), so the generation is still read without it;
        // writers see it is not current and rebuild.
        let digest = Digest::open(&mmap, dir).unwrap_or_else(|e| {
            tracing::warn!("{e}; answering without it");
            None
        });
        let index = with_analyzers(Index::open(ReadOnlyDir(mmap))?);
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut idx = Self {
            index,
            reader,
            fields,
            meta,
            dir: dir.to_path_buf(),
            sessions: Arc::default(),
            digest: None,
        };
        if let Some(d) = digest {
            idx.set_digest(d);
        }
        Ok(idx)
    }

    /// Attaches a digest.
    pub fn set_digest(&mut self, d: Digest) {
        self.digest = Some(Arc::new(d));
    }

    /// The same index as a generation without a digest reads it (for tests comparing both).
    #[cfg(test)]
    pub(crate) fn without_digest(&self) -> Self {
        Self {
            digest: None,
            sessions: Arc::default(),
            ..self.clone()
        }
    }

    /// The short fields of every session document of `meeting`, in index order; read from
    /// the store on the first call and shared after.
    pub fn sessions(&self, meeting: u32) -> Result<Arc<Vec<SessionDoc>>> {
        let mut memo = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = memo.get(&meeting) {
            return Ok(s.clone());
        }
        let stored = self
            .digest
            .as_ref()
            .and_then(|d| digest::readable(d.sessions(meeting)));
        let s = Arc::new(match stored {
            Some(rows) => rows,
            None => load_sessions(&self.reader.searcher(), &self.fields, meeting)?,
        });
        memo.insert(meeting, s.clone());
        Ok(s)
    }

    /// A meeting's agenda as it was indexed, when the digest holds it (and can read it).
    pub fn agenda(&self, meeting: u32) -> Result<Option<Agenda>> {
        Ok(self
            .digest
            .as_ref()
            .and_then(|d| digest::readable(d.agenda(meeting))))
    }

    /// Meeting numbers in the index, ascending.
    pub fn meetings(&self) -> Vec<u32> {
        self.meta.meetings.iter().map(|m| m.number).collect()
    }

    /// The meeting asked for, or the newest one; an unknown number is a usage error.
    pub fn meeting(&self, number: Option<u32>) -> Result<&Meeting> {
        let known = || {
            let v: Vec<String> = self.meetings().iter().map(u32::to_string).collect();
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        match number {
            Some(n) => self
                .meta
                .meetings
                .iter()
                .find(|m| m.number == n)
                .ok_or_else(|| Error::UnknownMeeting(n, known())),
            None => self
                .meta
                .meetings
                .last()
                .ok_or_else(|| Error::input("the index holds no meeting")),
        }
    }
}

/// What the index stores about one group at one meeting (from its first session document).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDoc {
    pub acronym: String,
    pub name: String,
    pub area: Option<String>,
    pub area_name: Option<String>,
    /// `wg`, `rg`, `ag`, ... lower case; empty when unknown.
    pub group_type: String,
    pub is_bof: bool,
    /// The description the about page gives (charter text or the group's summary).
    pub charter: String,
}

impl SearchIndex {
    /// The group `acronym` (lower case) at `meeting`, if it has a session there.
    pub fn group(&self, meeting: u32, acronym: &str) -> Result<Option<GroupDoc>> {
        use tantivy::collector::TopDocs;
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        use tantivy::schema::Value;
        let f = &self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    tantivy::Term::from_field_u64(f.meeting, u64::from(meeting)),
                    IndexRecordOption::Basic,
                )),
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    tantivy::Term::from_field_text(f.acronym, acronym),
                    IndexRecordOption::Basic,
                )),
            ),
        ];
        let searcher = self.reader.searcher();
        let hits = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, addr)) = hits.into_iter().next() else {
            return Ok(None);
        };
        let d: TantivyDocument = searcher.doc(addr)?;
        let text = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        Ok(Some(GroupDoc {
            acronym: text(f.acronym).unwrap_or_default(),
            name: text(f.group_name).unwrap_or_default(),
            area: text(f.area),
            area_name: text(f.area_name),
            group_type: text(f.group_type).unwrap_or_default(),
            is_bof: d.get_first(f.is_bof).and_then(|v| v.as_u64()) == Some(1),
            charter: text(f.charter).unwrap_or_default(),
        }))
    }
}

/// How often `ensure` starts over when the generation it was opening was superseded meanwhile.
const OPEN_ATTEMPTS: usize = 5;

/// Opens the live index when it matches the snapshot, else builds it first.
///
/// Several processes may build at once (readers whose index went stale while `refresh` fetched,
/// and `refresh` itself); each build tidies away generations that are no longer live, possibly
/// the one another reader is opening. A reader that loses that race starts over from the newer
/// `CURRENT` instead of failing.
pub fn ensure(home: &Home, snap: &Snapshot) -> Result<SearchIndex> {
    let (fingerprint, stamp) = fingerprint(home, snap)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let superseded = |dir: &Path| {
            attempt < OPEN_ATTEMPTS && live_generation(home).ok().flatten().as_deref() != Some(dir)
        };
        if let Some(dir) = live_generation(home)?
            && let Some(meta) = read_meta(&dir)?
            && is_current(&meta, &dir, &fingerprint)
        {
            match SearchIndex::open_dir(&dir) {
                Ok(idx) => return Ok(idx),
                Err(_) if superseded(&dir) => continue,
                Err(e) => {
                    tracing::warn!("index at {} is unreadable, rebuilding: {e}", dir.display())
                }
            }
        }
        let dir = build(home, snap, &fingerprint, stamp.clone())?;
        match SearchIndex::open_dir(&dir) {
            Ok(idx) => return Ok(idx),
            Err(_) if superseded(&dir) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Whether a generation was built from the snapshot with this `fingerprint` by this version of
/// wgrec (its schema and its digest's format): otherwise a writer rebuilds it.
fn is_current(meta: &IndexMeta, dir: &Path, fingerprint: &str) -> bool {
    meta.schema_version == SCHEMA_VERSION
        && meta.fingerprint == fingerprint
        && Digest::is_current(dir)
}

/// True when the live generation was built from this exact snapshot with this schema, and
/// every file of it is as it was written ([`is_whole`]). For writers (`wgrec index`, fetch,
/// refresh), which rebuild otherwise: a generation damaged in place is not kept.
pub fn is_fresh(home: &Home, snap: &Snapshot) -> Result<bool> {
    let (fingerprint, _) = fingerprint(home, snap)?;
    Ok(match live_generation(home)? {
        Some(dir) => read_meta(&dir)?
            .is_some_and(|m| is_current(&m, &dir, &fingerprint) && is_whole(&m, &dir)),
        None => false,
    })
}

/// Whether every file of the generation in `dir` holds the bytes written: the digest its
/// recorded SHA-256, tantivy's files their own checksums. Reads the whole generation (some
/// 10 MB for three meetings), which only writers afford; a query that meets a damaged digest
/// entry answers from the index instead ([`digest::readable`]).
fn is_whole(meta: &IndexMeta, dir: &Path) -> bool {
    let Some(sum) = &meta.digest_sha256 else {
        tracing::info!(
            "{} was written before its digest's checksum was recorded: building it again",
            dir.display()
        );
        return false;
    };
    let mut damaged: Vec<String> = match Index::open_in_dir(dir).and_then(|i| i.validate_checksum())
    {
        Ok(files) => files.iter().map(|f| f.display().to_string()).collect(),
        Err(e) => vec![format!("the index ({e})")],
    };
    match std::fs::read(dir.join(digest::FILE)) {
        Ok(bytes) if snapshot::sha256_hex(&bytes) == *sum => {}
        Ok(_) => damaged.push(digest::FILE.to_string()),
        Err(e) => damaged.push(format!("{} ({e})", digest::FILE)),
    }
    if !damaged.is_empty() {
        damaged.sort();
        tracing::warn!(
            "the search index in {} is damaged ({} not as written): building it again",
            dir.display(),
            damaged.join(", ")
        );
    }
    damaged.is_empty()
}

/// Builds a new generation from the snapshot and swaps it in, whatever the live one is.
pub fn rebuild(home: &Home, snap: &Snapshot) -> Result<()> {
    // Computed for real: this is also the way out when a record is not to be trusted.
    let stamp = snap.manifest_stamp();
    let fingerprint = snap.fingerprint()?;
    build(home, snap, &fingerprint, stamp).map(|_| ())
}

/// The generation `CURRENT` names, if it exists.
pub fn live_generation(home: &Home) -> Result<Option<PathBuf>> {
    let root = home.index_dir();
    let name = match std::fs::read_to_string(root.join(CURRENT)) {
        Ok(s) => s.trim().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::io(
                format!("reading {}", root.join(CURRENT).display()),
                e,
            ));
        }
    };
    if !is_generation_name(&name) {
        tracing::warn!(
            "ignoring {}: it names {name:?}",
            root.join(CURRENT).display()
        );
        return Ok(None);
    }
    let dir = root.join(name);
    Ok(dir.is_dir().then_some(dir))
}

fn is_generation_name(s: &str) -> bool {
    s.starts_with("gen-")
        && s.len() < 64
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn read_meta(dir: &Path) -> Result<Option<IndexMeta>> {
    let p = dir.join(META);
    match std::fs::read(&p) {
        Ok(b) => Ok(serde_json::from_slice(&b).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("reading {}", p.display()), e)),
    }
}

/// Writes a complete generation aside, then points `CURRENT` at it and tidies up.
fn build(
    home: &Home,
    snap: &Snapshot,
    fingerprint: &str,
    stamp: Option<String>,
) -> Result<PathBuf> {
    let root = home.index_dir();
    // Never build into (and clean up) a folder a link leads to.
    snapshot::real_dir(home.root(), &root)?;
    let name = format!(
        "gen-{}-{:08x}",
        crate::clock::now().timestamp_millis(),
        fastrand::u32(..)
    );
    let dir = root.join(&name);
    std::fs::create_dir(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let started = std::time::Instant::now();
    let result = write_generation(&dir, snap, fingerprint, stamp);
    let meta = match result {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    crate::hook::pause("before-swap");
    let previous = live_generation(home)?;
    crate::atomic::write(&root.join(CURRENT), format!("{name}\n").as_bytes())?;
    tracing::info!(
        "indexed {} sessions of meeting(s) {:?} in {:?}",
        meta.documents,
        meta.meetings.iter().map(|m| m.number).collect::<Vec<_>>(),
        started.elapsed()
    );
    cleanup(&root, &name, previous.as_deref());
    Ok(dir)
}

fn write_generation(
    dir: &Path,
    snap: &Snapshot,
    fingerprint: &str,
    stamp: Option<String>,
) -> Result<IndexMeta> {
    let (schema, _) = schema();
    let index = with_analyzers(Index::create_in_dir(dir, schema)?);
    let (meta, agendas) = fill(&index, snap, fingerprint)?;
    let meta = IndexMeta {
        manifest_stamp: stamp,
        ..meta
    };
    // Before wgrec.json: a generation is finished only with its digest.
    let built = SearchIndex::over(index, meta.clone(), dir)?;
    let digest = crate::rank::digest::compute(&built, agendas)?.encode()?;
    crate::atomic::write(&dir.join(digest::FILE), &digest)?;
    let meta = IndexMeta {
        digest_sha256: Some(snapshot::sha256_hex(&digest)),
        ..meta
    };
    let bytes = serde_json::to_vec_pretty(&meta).map_err(|e| Error::parse("index metadata", e))?;
    crate::atomic::write(&dir.join(META), &bytes)?;
    Ok(meta)
}

/// Builds the index of `snap` in memory: for readers that find no index they may use and must
/// not write one.
pub fn build_in_memory(snap: &Snapshot) -> Result<SearchIndex> {
    let fingerprint = snap.fingerprint()?;
    let (schema, _) = schema();
    let index = with_analyzers(Index::create_in_ram(schema));
    let (meta, agendas) = fill(&index, snap, &fingerprint)?;
    let mut idx = SearchIndex::over(index, meta, Path::new("(in memory)"))?;
    let bytes = crate::rank::digest::compute(&idx, agendas)?.encode()?;
    if let Some(d) = Digest::from_bytes(tantivy::directory::OwnedBytes::new(bytes))? {
        idx.set_digest(d);
    }
    Ok(idx)
}

impl SearchIndex {
    /// A freshly built index, without its digest yet.
    fn over(index: Index, meta: IndexMeta, dir: &Path) -> Result<Self> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields: schema().1,
            meta,
            dir: dir.to_path_buf(),
            sessions: Arc::default(),
            digest: None,
        })
    }
}

/// Adds one document per session of every meeting in `snap` to `index` and commits.
/// Stays whole: one document built field by field from the session, its group and texts.
/// Returns the generation's record and the agendas indexed.
fn fill(index: &Index, snap: &Snapshot, fingerprint: &str) -> Result<(IndexMeta, Vec<Agenda>)> {
    let (_, f) = schema();
    let mut gaps = Vec::new();
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
    let mut meetings = Vec::new();
    let mut agendas = Vec::new();
    let mut documents = 0u64;
    let numbers = snap.meetings()?;
    for &number in &numbers {
        // One unreadable meeting should not take the others down with it.
        let data = match snap.load_meeting(number) {
            Ok(d) => d,
            Err(e) if numbers.len() > 1 => {
                tracing::warn!("meeting {number} left out of the index: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        gaps.push(gaps_of(&data));
        for s in &data.agenda.sessions {
            let info = data.groups.get(&s.group);
            let mut doc = TantivyDocument::default();
            doc.add_text(f.key, &s.id);
            doc.add_u64(f.meeting, u64::from(number));
            doc.add_text(f.acronym, s.group.to_lowercase());
            let group_name = info
                .map(|i| i.name.as_str())
                .filter(|n| !n.is_empty())
                .unwrap_or(&s.group_name);
            doc.add_text(f.group_name, group_name);
            if s.name != group_name {
                doc.add_text(f.session_name, &s.name);
            }
            let area = s.area.clone().or_else(|| info.and_then(|i| i.area.clone()));
            if let Some(a) = &area {
                doc.add_text(f.area, a.to_lowercase());
                let name = data
                    .agenda
                    .area_names
                    .get(a)
                    .cloned()
                    .or_else(|| info.and_then(|i| i.area_name.clone()));
                if let Some(n) = name {
                    doc.add_text(f.area_name, n);
                }
            }
            let gtype = s
                .group_type
                .clone()
                .or_else(|| info.and_then(|i| i.group_type.clone()))
                .unwrap_or_default()
                .to_lowercase();
            doc.add_text(f.group_type, gtype);
            if let Some(st) = info.and_then(|i| i.state.clone()) {
                doc.add_text(f.state, st.to_lowercase());
            }
            doc.add_u64(f.is_bof, u64::from(s.is_bof));
            if let Some(i) = info
                && !i.charter.trim().is_empty()
            {
                doc.add_text(f.charter, i.charter.trim());
            }
            if let Some(url) = &s.agenda_url
                && let Some(p) = snapshot::url_path(url)
                && let Some(text) = data.agenda_texts.get(&p)
                && !text.trim().is_empty()
            {
                doc.add_text(f.agenda, text.trim());
            }
            if !s.note.trim().is_empty() {
                doc.add_text(f.note, s.note.trim());
            }
            doc.add_i64(f.start, s.start.timestamp());
            doc.add_i64(f.end, s.end.timestamp());
            if let Some(r) = &s.room {
                doc.add_text(f.room, r);
            }
            doc.add_text(f.status, s.status.slug());
            writer.add_document(doc)?;
            documents += 1;
        }
        meetings.push(data.agenda.meeting.clone());
        agendas.push(data.agenda);
    }
    crate::hook::pause("mid-index-build");
    writer.commit()?;
    writer.wait_merging_threads()?;
    let meta = IndexMeta {
        schema_version: SCHEMA_VERSION,
        fingerprint: fingerprint.to_string(),
        bundled: snap.is_bundled(),
        built_at: crate::clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        meetings,
        documents,
        gaps,
        manifest_stamp: None,
        digest_sha256: None,
    };
    Ok((meta, agendas))
}

/// What one meeting's snapshot lacks (see [`Gaps`]).
fn gaps_of(data: &snapshot::MeetingData) -> Gaps {
    use std::collections::BTreeSet;
    let groups: BTreeSet<&str> = data
        .agenda
        .sessions
        .iter()
        .map(|s| s.group.as_str())
        .filter(|g| snapshot::about_path(g).is_ok())
        .collect();
    let docs: BTreeSet<String> = data
        .agenda
        .sessions
        .iter()
        .filter_map(|s| s.agenda_url.as_deref())
        .filter_map(
            |u| match crate::fetch::map_link(u, crate::fetch::DEFAULT_BASE_URL) {
                crate::fetch::Link::Path(p) if crate::fetch::is_materials_path(&p) => Some(p),
                _ => None,
            },
        )
        .collect();
    Gaps {
        meeting: data.agenda.meeting.number,
        about_pages: groups.len(),
        about_pages_missing: groups
            .iter()
            .filter(|g| !data.groups.contains_key(**g))
            .count(),
        documents: docs.len(),
        documents_missing: docs
            .iter()
            .filter(|p| !data.agenda_texts.contains_key(*p))
            .count(),
    }
}

/// An index opened for a reader, with what the reader should be told about it.
#[derive(Debug)]
pub struct Opened {
    pub index: SearchIndex,
    /// For stderr only: the index was built in memory, or its digest is of another version or
    /// damaged.
    pub notes: Vec<String>,
    /// For stderr and the JSON `warnings`: the index is older than the snapshot, the snapshot
    /// is incomplete.
    pub warnings: Vec<String>,
}

impl Opened {
    fn new(index: SearchIndex, notes: Vec<String>, mut warnings: Vec<String>) -> Self {
        warnings.extend(index.meta.gaps.iter().filter_map(Gaps::warning));
        Self {
            index,
            notes,
            warnings,
        }
    }
}

/// Opens the home's index for a reader, never writing anything: the live generation (with a
/// note when the snapshot is newer than it), else an index built in memory from the snapshot.
pub fn open_for_reader(home: &Home, snap: &Snapshot) -> Result<Opened> {
    let (fingerprint, _) = fingerprint(home, snap)?;
    for _ in 0..OPEN_ATTEMPTS {
        let Ok(Some(dir)) = live_generation(home) else {
            break;
        };
        let Ok(Some(meta)) = read_meta(&dir) else {
            break;
        };
        if meta.schema_version != SCHEMA_VERSION {
            break;
        }
        match SearchIndex::open_dir(&dir) {
            Ok(idx) => {
                let mut warnings = Vec::new();
                if meta.fingerprint != fingerprint {
                    warnings.push(format!(
                        "the snapshot in {} is newer than its search index (built {}); \
                         answering from that index until `wgrec index` or the next refresh \
                         rebuilds it",
                        home.root().display(),
                        meta.built_at
                    ));
                }
                // Same answers, so a note for the person at the terminal, not a JSON warning.
                let mut notes = Vec::new();
                if idx.digest.is_none() {
                    notes.push(format!(
                        "the search index in {} was built by another version of wgrec or its \
                         digest is damaged: answers are the same but slower until `wgrec index` \
                         or the next refresh rebuilds it",
                        home.index_dir().display()
                    ));
                }
                return Ok(Opened::new(idx, notes, warnings));
            }
            // Superseded and tidied away while we opened it: try the newer one.
            Err(e) => tracing::info!("index at {} did not open: {e}", dir.display()),
        }
    }
    let idx = build_in_memory(snap)?;
    Ok(Opened::new(
        idx,
        vec![format!(
            "no usable search index in {}; built one in memory for this run (`wgrec index` \
             keeps one)",
            home.index_dir().display()
        )],
        Vec::new(),
    ))
}

/// The bundled meeting's index: kept in the user's cache folder (`$XDG_CACHE_HOME/wgrec` or
/// `~/.cache/wgrec`, created 0700 and used only when it is ours and nobody else may write to
/// it), else built in memory. Never in a shared temp folder, never in the home.
pub fn open_bundled() -> Result<Opened> {
    let snap = Snapshot::bundled();
    if let Some(cache) = bundled_cache()
        && let Ok(idx) = ensure(&cache, &snap)
    {
        return Ok(Opened::new(idx, Vec::new(), Vec::new()));
    }
    Ok(Opened::new(build_in_memory(&snap)?, Vec::new(), Vec::new()))
}

/// Where the index of `snap` is kept: the home's own for the home's snapshot; for the bundled
/// meeting, the cache [`open_bundled`] reads (`None` when there is no safe one). `wgrec index`
/// builds there, so that it mends the index readers actually use, never a stray one in the home.
pub fn kept_in(home: &Home, snap: &Snapshot) -> Option<Home> {
    if snap.is_bundled() {
        bundled_cache()
    } else {
        Some(home.clone())
    }
}

/// `<cache>/wgrec/bundled-<meeting>`, made and checked; `None` when there is no safe one.
pub fn bundled_cache() -> Option<Home> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".cache"))
        })?;
    let ours = base.join("wgrec");
    let dir = ours.join(format!("bundled-{}", snapshot::BUNDLED_MEETING));
    if !base.is_dir() {
        private_dir(&base).ok()?;
    }
    for d in [&ours, &dir] {
        private_dir(d).ok()?;
        if !is_private(d) {
            tracing::warn!(
                "not using {} for the bundled meeting's index: it is not a private folder of \
                 this user",
                d.display()
            );
            return None;
        }
    }
    Some(Home::new(dir))
}

/// Creates `dir` (mode 0700) unless it exists.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// A real folder (not a link), owned by this user, that nobody else may write to.
fn is_private(dir: &Path) -> bool {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(m) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    m.is_dir() && m.uid() == me && m.permissions().mode() & 0o022 == 0
}

/// Deletes finished generations that were finished before the previous one (superseded at least
/// twice: a reader may still be opening the previous one), and half-built ones old enough to be
/// abandoned builds. A finished generation newer than the previous one is kept: it may be a
/// concurrent build (another reader's, or `refresh`'s) about to be swapped in. Failures only warn.
fn cleanup(root: &Path, live: &str, previous: Option<&Path>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let finished_at = |dir: &Path| {
        std::fs::metadata(dir.join(META))
            .and_then(|m| m.modified())
            .ok()
    };
    let prev_name = previous
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    let prev_finished = previous.and_then(finished_at);
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !is_generation_name(&name) || name == live || Some(name.as_str()) == prev_name {
            continue;
        }
        let path = e.path();
        let superseded = match (finished_at(&path), prev_finished) {
            (Some(t), Some(p)) => t < p,
            _ => false,
        };
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_BUILD);
        if (superseded || old)
            && let Err(err) = std::fs::remove_dir_all(&path)
        {
            tracing::warn!("could not remove old index {}: {err}", path.display());
        }
    }
}

/// What ranking needs of a session document (its long texts are read only for excerpts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDoc {
    pub addr: DocAddress,
    pub key: String,
    pub group: String,
    pub group_name: String,
    pub area: Option<String>,
    pub group_type: String,
    pub is_bof: bool,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub start: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub end: DateTime<Utc>,
    pub room: Option<String>,
    pub status: SessionStatus,
}

impl SessionDoc {
    /// Working groups, research groups, BoFs and their kin, as opposed to plenaries, breaks
    /// and side events, which have no charter to match and should rarely win.
    pub fn is_group_session(&self) -> bool {
        self.is_bof
            || matches!(
                self.group_type.as_str(),
                "wg" | "rg" | "ag" | "rag" | "bof" | "program" | "team" | "dir" | "iab" | "area"
            )
    }

    pub fn session_ref(&self) -> SessionRef {
        SessionRef {
            id: self.key.clone(),
            start: self.start,
            end: self.end,
            room: self.room.clone(),
            status: self.status.clone(),
        }
    }
}

/// A stored document's first text value of `f`.
pub fn text_of(d: &TantivyDocument, f: Field) -> Option<&str> {
    d.get_first(f).and_then(|v| v.as_str())
}

pub(crate) fn load_sessions(
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
        let d: TantivyDocument = searcher.doc(addr).map_err(Error::from)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_swaps_and_reuses_the_bundled_meeting() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::new(tmp.path());
        let snap = Snapshot::bundled();
        assert!(!is_fresh(&home, &snap).unwrap());
        let idx = ensure(&home, &snap).unwrap();
        assert_eq!(idx.meetings(), vec![115]);
        assert_eq!(idx.reader.searcher().num_docs(), idx.meta.documents);
        assert!(is_fresh(&home, &snap).unwrap());
        let first = live_generation(&home).unwrap().unwrap();
        // Fresh: opening again reuses the generation.
        let again = ensure(&home, &snap).unwrap();
        assert_eq!(again.dir, first);
        // A rebuild makes a new generation and keeps the previous one for late readers.
        rebuild(&home, &snap).unwrap();
        let second = live_generation(&home).unwrap().unwrap();
        assert_ne!(first, second);
        assert!(first.is_dir());
        rebuild(&home, &snap).unwrap();
        assert!(
            !first.exists(),
            "generations older than the previous one go"
        );
        assert!(idx.meeting(Some(999)).is_err());
        assert_eq!(idx.meeting(None).unwrap().number, 115);
    }

    #[test]
    fn a_half_built_generation_is_never_read() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::new(tmp.path());
        let snap = Snapshot::bundled();
        ensure(&home, &snap).unwrap();
        let live = live_generation(&home).unwrap().unwrap();
        // A build killed before its metadata was written: CURRENT still names the old one.
        std::fs::create_dir(home.index_dir().join("gen-1-deadbeef")).unwrap();
        assert_eq!(live_generation(&home).unwrap().unwrap(), live);
        // CURRENT naming garbage is treated as no index, and the next use rebuilds.
        std::fs::write(home.index_dir().join(CURRENT), "../../etc").unwrap();
        assert!(live_generation(&home).unwrap().is_none());
        let idx = ensure(&home, &snap).unwrap();
        assert_eq!(idx.meetings(), vec![115]);
    }

    /// A home holding the bundled meeting as a snapshot on disk.
    fn home_with_snapshot() -> (tempfile::TempDir, Home, Snapshot) {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::new(tmp.path());
        let dir = home.snapshot_dir();
        Snapshot::extract_bundled(&dir).unwrap();
        let snap = Snapshot::open(&dir).unwrap().unwrap();
        (tmp, home, snap)
    }

    #[test]
    fn a_recorded_fingerprint_holds_only_for_the_same_manifest_file() {
        let (_tmp, home, snap) = home_with_snapshot();
        let first = ensure(&home, &snap).unwrap().dir;
        let meta = read_meta(&first).unwrap().unwrap();
        assert_eq!(meta.manifest_stamp, snap.manifest_stamp());
        assert_eq!(meta.fingerprint, snap.fingerprint().unwrap());
        // While the manifest is the same file, the record is believed without reading it...
        let forged = IndexMeta {
            fingerprint: "recorded".into(),
            ..meta
        };
        std::fs::write(first.join(META), serde_json::to_vec(&forged).unwrap()).unwrap();
        assert!(is_fresh(&home, &snap).unwrap());
        assert_eq!(ensure(&home, &snap).unwrap().dir, first);
        // ...and once it is replaced (same bytes, a new file), the fingerprint is computed.
        let dir = home.snapshot_dir();
        let manifest = dir.join("manifest.json");
        let bytes = std::fs::read(&manifest).unwrap();
        std::fs::write(dir.join(".manifest.tmp"), &bytes).unwrap();
        std::fs::rename(dir.join(".manifest.tmp"), &manifest).unwrap();
        assert!(!is_fresh(&home, &snap).unwrap());
        let second = ensure(&home, &snap).unwrap().dir;
        assert_ne!(second, first);
        let meta = read_meta(&second).unwrap().unwrap();
        assert_eq!(meta.fingerprint, snap.fingerprint().unwrap());
    }

    #[test]
    fn a_digest_cut_short_or_grown_is_read_by_no_one_and_rebuilt_by_writers() {
        let (_tmp, home, snap) = home_with_snapshot();
        let first = ensure(&home, &snap).unwrap();
        let file = first.dir.join(digest::FILE);
        let whole = std::fs::read(&file).unwrap();
        let cut = whole[..whole.len() - 100].to_vec();
        let grown = [whole.as_slice(), b"extra"].concat();
        for damaged in [cut, grown] {
            std::fs::write(&file, &damaged).unwrap();
            assert!(!is_fresh(&home, &snap).unwrap());
            // A reader answers from the generation without the digest, and says so.
            let read = open_for_reader(&home, &snap).unwrap();
            assert_eq!(read.index.dir, first.dir);
            assert!(read.index.digest.is_none());
            assert!(read.notes.iter().any(|w| w.contains("damaged")));
        }
        // A writer builds a new generation with a whole digest.
        let again = ensure(&home, &snap).unwrap();
        assert_ne!(again.dir, first.dir);
        assert!(again.digest.is_some() && is_fresh(&home, &snap).unwrap());
    }

    #[test]
    fn an_entry_damaged_in_place_is_worked_out_from_the_index() {
        let (_tmp, home, snap) = home_with_snapshot();
        let first = ensure(&home, &snap).unwrap();
        let meeting = first.meetings()[0];
        let rows = first.sessions(meeting).unwrap();
        let agenda = first.agenda(meeting).unwrap().unwrap();
        // A byte that cannot start a UTF-8 character, in place of the first letter of a
        // group's name where the digest stores it: the file keeps its length, so it opens.
        let file = first.dir.join(digest::FILE);
        let mut bytes = std::fs::read(&file).unwrap();
        let name = rows[0].group_name.as_bytes();
        let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
        bytes[at] = 0xff;
        std::fs::write(&file, &bytes).unwrap();
        let read = open_for_reader(&home, &snap).unwrap().index;
        assert!(read.digest.is_some());
        let d = read.digest.as_ref().unwrap();
        assert!(d.sessions(meeting).is_err());
        // The same rows, read from the index's own store; the agenda, a separate entry, reads.
        assert_eq!(read.sessions(meeting).unwrap(), rows);
        assert_eq!(read.agenda(meeting).unwrap(), Some(agenda));
    }

    /// One bit changed in any file of a generation, its length kept: queries still open it
    /// (they check only heads), but writers see it and build the generation again.
    #[test]
    fn writers_rebuild_a_generation_damaged_in_place() {
        let (_tmp, home, snap) = home_with_snapshot();
        let flip = |file: &Path| {
            let mut bytes = std::fs::read(file).unwrap();
            let at = bytes.len() / 2;
            bytes[at] ^= 1;
            std::fs::write(file, &bytes).unwrap();
        };
        let segment_file = |dir: &Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|x| x == "store"))
                .unwrap()
        };
        let first = ensure(&home, &snap).unwrap().dir;
        assert!(is_fresh(&home, &snap).unwrap());
        flip(&first.join(digest::FILE));
        assert_eq!(ensure(&home, &snap).unwrap().dir, first);
        assert!(!is_fresh(&home, &snap).unwrap());
        rebuild(&home, &snap).unwrap();
        let second = live_generation(&home).unwrap().unwrap();
        assert_ne!(second, first);
        assert!(is_fresh(&home, &snap).unwrap());
        flip(&segment_file(&second));
        assert!(!is_fresh(&home, &snap).unwrap());
        rebuild(&home, &snap).unwrap();
        let third = live_generation(&home).unwrap().unwrap();
        assert!(is_fresh(&home, &snap).unwrap());
        // A generation written before the checksum was recorded is built again once.
        let meta = read_meta(&third).unwrap().unwrap();
        let older = IndexMeta {
            digest_sha256: None,
            ..meta
        };
        std::fs::write(third.join(META), serde_json::to_vec(&older).unwrap()).unwrap();
        assert!(!is_fresh(&home, &snap).unwrap());
    }

    #[test]
    fn a_digest_of_another_version_is_read_by_no_one_and_rebuilt_by_writers() {
        let (_tmp, home, snap) = home_with_snapshot();
        let first = ensure(&home, &snap).unwrap();
        assert!(first.digest.is_some() && is_fresh(&home, &snap).unwrap());
        std::fs::write(first.dir.join(digest::FILE), [0u8]).unwrap();
        // A reader still answers from the generation, computing what the digest would hold.
        let read = open_for_reader(&home, &snap).unwrap();
        assert_eq!(read.index.dir, first.dir);
        assert!(read.index.digest.is_none());
        assert!(
            read.notes
                .iter()
                .any(|w| w.contains("another version of wgrec"))
        );
        // A writer builds a new generation with a current digest.
        assert!(!is_fresh(&home, &snap).unwrap());
        let again = ensure(&home, &snap).unwrap();
        assert_ne!(again.dir, first.dir);
        assert!(again.digest.is_some());
    }
}
