//! The on-disk snapshot: raw datatracker responses laid out as a mirror of the URL paths.
//!
//! Contract: the body of `GET <base>/<path>` is stored at `<snapshot>/<path>`; a path that ends
//! in `/` is stored as `<path>index.html`. `manifest.json` records, per URL path, the URL, status,
//! validators, SHA-256, size and fetch time. Every write is atomic (`crate::atomic`: temp file + rename), and every
//! path built from data is checked so nothing is written outside the snapshot directory.
//!
//! A snapshot is either a directory or the IETF 115 meeting bundled into the binary.
//! Reading: [`Snapshot`]. Writing (used by `fetch`): [`store`] / [`store_file`] / [`remove`] for
//! bodies and [`Manifest::load`] / [`Manifest::save`], each of which leaves a file untouched when
//! its bytes would not change.

use crate::model::{Agenda, GroupInfo};
use crate::{Error, Result, parse};
use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/ietf115/snapshot");

/// The meeting shipped inside the binary.
pub const BUNDLED_MEETING: u32 = 115;

pub const MANIFEST: &str = "manifest.json";

/// Most text (charters and agenda documents, bytes) indexed for one meeting.
pub const MAX_MEETING_TEXT: usize = 64 << 20;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(default = "one")]
    pub version: u32,
    /// URL path (relative, no leading `/`) -> what was stored for it.
    #[serde(default)]
    pub entries: BTreeMap<String, Entry>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub url: String,
    pub status: u16,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub size: u64,
    /// RFC 3339 UTC.
    pub fetched_at: String,
}

#[derive(Debug, Clone)]
enum Source {
    Dir(PathBuf),
    Bundled,
}

/// Read access to a snapshot, wherever it lives.
#[derive(Debug, Clone)]
pub struct Snapshot {
    source: Source,
}

/// Everything the index needs about one meeting, parsed.
#[derive(Debug, Clone)]
pub struct MeetingData {
    pub agenda: Agenda,
    /// Acronym -> about page contents (missing pages are simply absent).
    pub groups: BTreeMap<String, GroupInfo>,
    /// Agenda URL path -> text of the agenda document.
    pub agenda_texts: BTreeMap<String, String>,
}

impl Snapshot {
    /// The snapshot in `dir`, or `None` when there is none (no manifest).
    pub fn open(dir: &Path) -> Result<Option<Self>> {
        Ok(dir.join(MANIFEST).is_file().then(|| Self {
            source: Source::Dir(dir.to_path_buf()),
        }))
    }

    pub fn bundled() -> Self {
        Self {
            source: Source::Bundled,
        }
    }

    /// Writes the bundled snapshot's files into `dir` (tests that need a snapshot on disk).
    #[cfg(test)]
    pub(crate) fn extract_bundled(dir: &Path) -> std::io::Result<()> {
        BUNDLED.extract(dir)
    }

    pub fn is_bundled(&self) -> bool {
        matches!(self.source, Source::Bundled)
    }

    /// The body stored for a URL path (`api/meeting/121/agenda-data`, `group/quic/about/`).
    pub fn read(&self, url_path: &str) -> Result<Option<Vec<u8>>> {
        let rel = relative_file(url_path)?;
        match &self.source {
            Source::Bundled => Ok(BUNDLED.get_file(&rel).map(|f| f.contents().to_vec())),
            Source::Dir(d) => match std::fs::read(d.join(&rel)) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::io(format!("reading {}", d.join(&rel).display()), e)),
            },
        }
    }

    pub fn manifest_bytes(&self) -> Result<Vec<u8>> {
        self.read(MANIFEST)?
            .ok_or_else(|| Error::parse("snapshot", "manifest.json is missing"))
    }

    pub fn manifest(&self) -> Result<Manifest> {
        serde_json::from_slice(&self.manifest_bytes()?)
            .map_err(|e| Error::parse("snapshot manifest.json", e))
    }

    /// Identifies this snapshot's content: a SHA-256 over every stored path and the SHA-256
    /// of its body. Validators, download times and source URLs are left out on purpose, so a
    /// server that changes its ETags on identical bodies changes nothing that counts.
    pub fn fingerprint(&self) -> Result<String> {
        if self.is_bundled() {
            // Computed by build.rs from the same manifest (see `bundled_fingerprint_is_current`).
            return Ok(env!("WGREC_BUNDLED_FINGERPRINT").to_string());
        }
        self.computed_fingerprint()
    }

    /// Identifies the manifest file as stored (size, modification time, inode), without
    /// reading it: every change of the snapshot rewrites the manifest (a new file renamed into
    /// place), so an equal stamp means the same manifest. `None` for the bundled snapshot and
    /// when the file cannot be examined.
    pub fn manifest_stamp(&self) -> Option<String> {
        let Source::Dir(d) = &self.source else {
            return None;
        };
        let m = std::fs::metadata(d.join(MANIFEST)).ok()?;
        let nanos = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let inode = 0;
        Some(format!("{}:{nanos}:{inode}", m.len()))
    }

    fn computed_fingerprint(&self) -> Result<String> {
        let m = self.manifest()?;
        let mut h = Sha256::new();
        for (path, e) in &m.entries {
            h.update(path.as_bytes());
            h.update(b"\0");
            h.update(e.sha256.as_bytes());
            h.update(b"\n");
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Meetings whose agenda is stored, ascending.
    pub fn meetings(&self) -> Result<Vec<u32>> {
        let mut v: Vec<u32> = self
            .manifest()?
            .entries
            .keys()
            .filter_map(|k| agenda_meeting(k))
            .collect();
        v.sort_unstable();
        v.dedup();
        Ok(v)
    }

    /// Parses one meeting's agenda (agenda-data, else agenda.json), without the group pages.
    pub fn load_agenda(&self, number: u32) -> Result<Agenda> {
        let bytes = match self.read(&agenda_data_path(number))? {
            Some(b) => b,
            None => self.read(&agenda_json_path(number))?.ok_or_else(|| {
                let known = self
                    .meetings()
                    .map(|m| m.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default();
                Error::UnknownMeeting(
                    number,
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known
                    },
                )
            })?,
        };
        parse::agenda(&bytes, number)
    }

    /// Parses one meeting: its agenda, its groups' about pages and its session agendas.
    pub fn load_meeting(&self, number: u32) -> Result<MeetingData> {
        let agenda = self.load_agenda(number)?;
        let mut groups = BTreeMap::new();
        let mut agenda_texts = BTreeMap::new();
        // Text kept for the meeting so far; past the cap, further texts are left out.
        let mut text = 0usize;
        for s in &agenda.sessions {
            if text > MAX_MEETING_TEXT {
                tracing::warn!(
                    "meeting {number}: more than {} MiB of text; the rest is left out",
                    MAX_MEETING_TEXT >> 20
                );
                break;
            }
            if !groups.contains_key(&s.group)
                && let Ok(p) = about_path(&s.group)
                && let Some(html) = self.read(&p)?
            {
                match parse::about_page(&String::from_utf8_lossy(&html), &s.group) {
                    Ok(info) => {
                        text += info.charter.len();
                        groups.insert(s.group.clone(), info);
                    }
                    Err(e) => tracing::warn!("skipping about page of {}: {e}", s.group),
                }
            }
            if let Some(url) = &s.agenda_url
                && let Some(p) = url_path(url)
                && !agenda_texts.contains_key(&p)
                && let Ok(Some(doc)) = self.read(&p)
            {
                // A document stored before it was checked may be unreadable: left out, with a
                // word, so readers still answer from the rest.
                match parse::document_text(&doc) {
                    Ok(t) => {
                        text += t.len();
                        agenda_texts.insert(p, t);
                    }
                    Err(e) => tracing::warn!("skipping agenda document {p}: {e}"),
                }
            }
        }
        Ok(MeetingData {
            agenda,
            groups,
            agenda_texts,
        })
    }
}

/// URL path of a meeting's agenda in the agenda-data format.
pub fn agenda_data_path(meeting: u32) -> String {
    format!("api/meeting/{meeting}/agenda-data")
}

/// URL path of a meeting's agenda in the older agenda.json format.
pub fn agenda_json_path(meeting: u32) -> String {
    format!("meeting/{meeting}/agenda.json")
}

/// URL path of a group's about page; the acronym is checked so it can only name one folder.
pub fn about_path(acronym: &str) -> Result<String> {
    let ok = !acronym.is_empty()
        && acronym.len() <= 64
        && acronym
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !acronym.starts_with('.');
    if !ok {
        return Err(Error::input(format!(
            "refusing unsafe group acronym {acronym:?}"
        )));
    }
    Ok(format!("group/{acronym}/about/"))
}

fn agenda_meeting(url_path: &str) -> Option<u32> {
    let n = url_path
        .strip_prefix("api/meeting/")
        .and_then(|r| r.strip_suffix("/agenda-data"))
        .or_else(|| {
            url_path
                .strip_prefix("meeting/")
                .and_then(|r| r.strip_suffix("/agenda.json"))
        })?;
    n.parse().ok()
}

/// The URL path (no leading `/`, no query) of an absolute or root-relative URL.
pub fn url_path(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, r)) => r.split_once('/').map(|(_, p)| p).unwrap_or(""),
        None => url.strip_prefix('/')?,
    };
    let p = rest.split(['?', '#']).next().unwrap_or("");
    (!p.is_empty()).then(|| p.to_string())
}

/// The file (relative to the snapshot root) holding a URL path, refusing anything that could
/// escape the root: `..`, absolute parts, empty or odd segments, backslashes, NULs.
pub fn relative_file(url_path: &str) -> Result<PathBuf> {
    let refuse = || Error::input(format!("refusing unsafe snapshot path {url_path:?}"));
    if url_path.is_empty() || url_path.starts_with('/') || url_path.contains(['\\', '\0']) {
        return Err(refuse());
    }
    let mut out = PathBuf::new();
    let trimmed = url_path.strip_suffix('/').unwrap_or(url_path);
    for seg in trimmed.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.len() > 200 {
            return Err(refuse());
        }
        out.push(seg);
    }
    if url_path.ends_with('/') {
        out.push("index.html");
    }
    if out.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(refuse());
    }
    Ok(out)
}

impl Manifest {
    /// An empty manifest.
    pub fn new() -> Self {
        Self {
            version: 1,
            entries: BTreeMap::new(),
        }
    }

    /// The manifest stored in `dir`; empty when there is none yet.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(MANIFEST);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| Error::parse(format!("{}", path.display()), e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::new()),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// The bytes `save` writes: pretty JSON with sorted keys and a final newline, so the same
    /// manifest always serialises to the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).expect("manifest serialises");
        b.push(b'\n');
        b
    }

    /// Writes the manifest into `dir` atomically, unless the file already holds these exact
    /// bytes (a run that changed nothing rewrites nothing). Returns whether it wrote.
    pub fn save(&self, dir: &Path) -> Result<bool> {
        let file = dir.join(MANIFEST);
        no_link_to(dir, &file)?;
        store_bytes(&file, &self.to_bytes())
    }
}

/// The file under `dir` that will hold the body of `url_path`, for writing. On top of the checks
/// of [`relative_file`] it refuses the manifest's own name and hidden segments (temp files start
/// with a dot), so no server answer can overwrite bookkeeping.
pub fn store_file(dir: &Path, url_path: &str) -> Result<PathBuf> {
    let rel = relative_file(url_path)?;
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if hidden || rel == Path::new(MANIFEST) {
        return Err(Error::input(format!(
            "refusing to store {url_path:?}: reserved name"
        )));
    }
    Ok(dir.join(rel))
}

/// Stores the body of `url_path` under `dir`, atomically, unless the file already holds exactly
/// these bytes. Returns whether the file changed. Refuses to write through a symbolic link
/// (`dir` or any folder below it).
pub fn store(dir: &Path, url_path: &str, bytes: &[u8]) -> Result<bool> {
    let file = store_file(dir, url_path)?;
    no_link_to(dir, &file)?;
    store_bytes(&file, bytes)
}

/// Checks (and creates) the folders from `dir` down to `file`'s, refusing symbolic links,
/// `dir` included.
fn no_link_to(dir: &Path, file: &Path) -> Result<()> {
    if let Ok(m) = std::fs::symlink_metadata(dir)
        && m.file_type().is_symlink()
    {
        return Err(symlink_refusal(dir));
    }
    real_dir(dir, file.parent().unwrap_or(dir))
}

/// Removes the stored body of `url_path` under `dir`. Returns whether there was one.
pub fn remove(dir: &Path, url_path: &str) -> Result<bool> {
    let path = store_file(dir, url_path)?;
    if path.parent().is_some_and(|p| p.exists()) {
        no_link_to(dir, &path)?;
    }
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(format!("removing {}", path.display()), e)),
    }
}

fn store_bytes(path: &Path, bytes: &[u8]) -> Result<bool> {
    match std::fs::read(path) {
        Ok(old) if old == bytes => return Ok(false),
        _ => {}
    }
    crate::atomic::write(path, bytes)?;
    Ok(true)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates `dir` (and its missing parents), refusing to go through a symbolic link in any part
/// of it that already exists below `root`: data must never be written (or deleted) outside the
/// home because a folder inside it was replaced by a link. `root` itself may be a link.
pub fn real_dir(root: &Path, dir: &Path) -> Result<()> {
    let rel = dir.strip_prefix(root).unwrap_or(Path::new(""));
    let mut at = root.to_path_buf();
    if !root.exists() {
        std::fs::create_dir_all(root)
            .map_err(|e| Error::io(format!("creating {}", root.display()), e))?;
    }
    for c in rel.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(symlink_refusal(&at)),
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::io(
                    format!("creating {}", at.display()),
                    std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        "a file is in the way of the folder",
                    ),
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && at.is_dir() => {}
                Err(e) => return Err(Error::io(format!("creating {}", at.display()), e)),
            },
            Err(e) => return Err(Error::io(format!("checking {}", at.display()), e)),
        }
    }
    Ok(())
}

/// The error for a symbolic link where wgrec would write or delete.
pub fn symlink_refusal(at: &Path) -> Error {
    Error::Unsafe(format!(
        "{} is a symbolic link; wgrec does not write or delete through links inside its home \
         (replace it with a real folder)",
        at.display()
    ))
}

/// The first symbolic link found in the tree under `dir` (`dir` included), if any.
pub fn find_symlink(dir: &Path) -> Option<PathBuf> {
    let m = std::fs::symlink_metadata(dir).ok()?;
    if m.file_type().is_symlink() {
        return Some(dir.to_path_buf());
    }
    if !m.is_dir() {
        return None;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_symlink() {
                return Some(e.path());
            }
            if ft.is_dir() {
                stack.push(e.path());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fingerprint_is_current() {
        let s = Snapshot::bundled();
        assert_eq!(s.fingerprint().unwrap(), s.computed_fingerprint().unwrap());
    }

    #[test]
    fn paths_map_onto_files() {
        assert_eq!(
            relative_file("group/quic/about/").unwrap(),
            PathBuf::from("group/quic/about/index.html")
        );
        assert_eq!(
            relative_file("api/meeting/121/agenda-data").unwrap(),
            PathBuf::from("api/meeting/121/agenda-data")
        );
        for bad in [
            "../x",
            "group/../../x/about/",
            "/etc/passwd",
            "a//b",
            "a\\b",
            "",
        ] {
            assert!(relative_file(bad).is_err(), "{bad}");
        }
        assert!(about_path("../../x").is_err());
        assert!(about_path("quic").is_ok());
    }

    #[test]
    fn url_paths() {
        assert_eq!(
            url_path("https://datatracker.ietf.org/meeting/121/materials/agenda-121-quic")
                .as_deref(),
            Some("meeting/121/materials/agenda-121-quic")
        );
        assert_eq!(
            url_path("/meeting/121/x?y=1").as_deref(),
            Some("meeting/121/x")
        );
        assert_eq!(url_path("https://h").as_deref(), None);
    }

    #[test]
    fn store_writes_only_changes_and_refuses_reserved_names() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(store(d, "group/quic/about/", b"one").unwrap());
        assert!(!store(d, "group/quic/about/", b"one").unwrap());
        assert!(store(d, "group/quic/about/", b"two").unwrap());
        assert_eq!(
            std::fs::read(d.join("group/quic/about/index.html")).unwrap(),
            b"two"
        );
        assert!(store(d, "meeting/1/agenda.json", b"{}").unwrap());
        assert!(remove(d, "meeting/1/agenda.json").unwrap());
        assert!(!remove(d, "meeting/1/agenda.json").unwrap());
        assert!(remove(d, MANIFEST).is_err());
        assert!(remove(d, "../x").is_err());
        assert!(store(d, MANIFEST, b"x").is_err());
        assert!(store(d, "group/.hidden/about/", b"x").is_err());
        assert!(store(d, "group/../../x/about/", b"x").is_err());
        let mut m = Manifest::load(d).unwrap();
        assert!(m.entries.is_empty());
        m.entries.insert(
            "group/quic/about/".into(),
            Entry {
                url: "https://datatracker.ietf.org/group/quic/about/".into(),
                status: 200,
                etag: Some("\"x\"".into()),
                last_modified: None,
                sha256: sha256_hex(b"two"),
                size: 3,
                fetched_at: "2024-11-01T00:00:00Z".into(),
            },
        );
        assert!(m.save(d).unwrap());
        assert!(!m.save(d).unwrap());
        assert_eq!(Manifest::load(d).unwrap(), m);
    }

    #[test]
    fn bundled_meeting_loads() {
        let s = Snapshot::bundled();
        assert_eq!(s.meetings().unwrap(), vec![BUNDLED_MEETING]);
        let m = s.load_meeting(BUNDLED_MEETING).unwrap();
        assert_eq!(m.agenda.sessions.len(), 159);
        assert!(m.groups.len() > 100);
        assert!(!m.groups["sidrops"].charter.is_empty());
    }
}
