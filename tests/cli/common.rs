//! Test helpers shared by the integration tests: a loopback stand-in for the datatracker and a
//! `wgrec` command builder with an isolated environment.
//!
//! `MockDt` serves a directory laid out like a snapshot (`<path>/` -> `<path>/index.html`) on
//! 127.0.0.1, with `ETag` / `Last-Modified` validators and `304` answers to conditional requests.
//! It records every request (path, headers, status, body bytes sent) and the peak number of
//! requests in flight, and takes fault injections: one-shot scripted replies per path (consumed
//! in order, then the file is served again), a permanent reply per path, and in-memory bodies that
//! replace or add files. It serves no `robots.txt` unless one is `put` (so it answers 404).

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The `Last-Modified` every served file carries.
pub const LAST_MODIFIED: &str = "Tue, 05 Nov 2024 10:00:00 GMT";

/// The shared read-only data folder next to the repository (`../shared`; from a worktree under
/// `wt/<name>` it is `../../shared`).
pub fn shared() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = repo.join("../shared");
    if near.is_dir() {
        return near;
    }
    let far = repo.join("../../shared");
    if far.is_dir() { far } else { near }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A reply the mock sends instead of the file.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sleep before answering (to provoke client timeouts or overlap).
    pub delay: Duration,
    /// Send `Content-Length` (else the body ends when the connection closes).
    pub content_length: bool,
    /// Close the connection without sending anything.
    pub hang_up: bool,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: format!("<html><body>error {status}</body></html>").into_bytes(),
            delay: Duration::ZERO,
            content_length: true,
            hang_up: false,
        }
    }

    /// Reads the request, then closes the connection without a response.
    pub fn hang_up() -> Self {
        Self {
            hang_up: true,
            ..Self::status(0)
        }
    }

    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self {
            body: body.into(),
            ..Self::status(200)
        }
    }

    /// `302 Found` to `location` (absolute, or a path on this server).
    pub fn redirect(location: &str) -> Self {
        Self {
            body: Vec::new(),
            ..Self::status(302)
        }
        .header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn retry_after(self, value: &str) -> Self {
        self.header("Retry-After", value)
    }

    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }

    pub fn without_length(mut self) -> Self {
        self.content_length = false;
        self
    }
}

/// One request as the mock saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
    pub status: u16,
    pub body_len: usize,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub fn is_conditional(&self) -> bool {
        self.headers.contains_key("if-none-match") || self.headers.contains_key("if-modified-since")
    }
}

#[derive(Default)]
struct State {
    root: Option<PathBuf>,
    bodies: Mutex<HashMap<String, Vec<u8>>>,
    scripts: Mutex<HashMap<String, VecDeque<Reply>>>,
    always: Mutex<HashMap<String, Reply>>,
    log: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    /// From this many requests on, every request is hung up on (the server "dies").
    die_after: AtomicUsize,
    seen: AtomicUsize,
}

pub struct MockDt {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
}

impl MockDt {
    /// Serves `root` (may be a read-only folder) plus whatever is `put` later.
    pub fn serve(root: impl Into<PathBuf>) -> Self {
        Self::start(Some(root.into()))
    }

    /// Serves only what is `put`.
    pub fn empty() -> Self {
        Self::start(None)
    }

    fn start(root: Option<PathBuf>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            root,
            die_after: AtomicUsize::new(usize::MAX),
            ..State::default()
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    let st = st.clone();
                    std::thread::spawn(move || {
                        let _ = handle(&st, stream);
                    });
                }
            }
        });
        Self { addr, state, stop }
    }

    /// `http://127.0.0.1:<port>`, to pass as `--base-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serve `body` at `path` (URL path without leading `/`), over any file.
    pub fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.state
            .bodies
            .lock()
            .unwrap()
            .insert(path.into(), body.into());
    }

    /// Replies sent, in order, to the next requests for `path`; then the file again.
    pub fn script(&self, path: &str, replies: Vec<Reply>) {
        self.state
            .scripts
            .lock()
            .unwrap()
            .entry(path.into())
            .or_default()
            .extend(replies);
    }

    /// The reply to every request for `path` from now on.
    pub fn always(&self, path: &str, reply: Reply) {
        self.state.always.lock().unwrap().insert(path.into(), reply);
    }

    /// After `n` more requests, hang up on every request: a server that died mid-run.
    pub fn die_after(&self, n: usize) {
        let seen = self.state.seen.load(Ordering::SeqCst);
        self.state.die_after.store(seen + n, Ordering::SeqCst);
    }

    pub fn clear_faults(&self) {
        self.state.scripts.lock().unwrap().clear();
        self.state.always.lock().unwrap().clear();
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.state.log.lock().unwrap().clone()
    }

    pub fn requests_for(&self, path: &str) -> Vec<Seen> {
        self.requests()
            .into_iter()
            .filter(|s| s.path == path)
            .collect()
    }

    /// Forget the request log (between two runs of a test).
    pub fn reset_log(&self) {
        self.state.log.lock().unwrap().clear();
        self.state.peak.store(0, Ordering::SeqCst);
    }

    /// Responses that carried a non-empty `200` body.
    pub fn bodies_sent(&self) -> usize {
        self.requests()
            .iter()
            .filter(|s| s.status == 200 && s.body_len > 0)
            .count()
    }

    /// The most requests that were being answered at the same moment.
    pub fn peak_in_flight(&self) -> usize {
        self.state.peak.load(Ordering::SeqCst)
    }
}

impl Drop for MockDt {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

pub fn etag_of(body: &[u8]) -> String {
    let d = Sha256::digest(body);
    let hex: String = d.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn content_type(path: &str) -> &'static str {
    if path.ends_with('/') || path.ends_with(".html") {
        "text/html; charset=utf-8"
    } else if path.ends_with("agenda-data") || path.ends_with(".json") || path.contains("api/") {
        "application/json"
    } else {
        "text/markdown; charset=utf-8"
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn file_body(state: &State, path: &str) -> Option<Vec<u8>> {
    if let Some(b) = state.bodies.lock().unwrap().get(path) {
        return Some(b.clone());
    }
    let root = state.root.as_ref()?;
    let mut rel = PathBuf::new();
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    for seg in trimmed.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') {
            return None;
        }
        rel.push(seg);
    }
    if path.ends_with('/') {
        rel.push("index.html");
    }
    let full = root.join(rel);
    full.is_file().then(|| std::fs::read(full).ok()).flatten()
}

struct Gauge<'a>(&'a State);

impl<'a> Gauge<'a> {
    fn enter(state: &'a State) -> Self {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.peak.fetch_max(now, Ordering::SeqCst);
        Self(state)
    }
}

impl Drop for Gauge<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn handle(state: &State, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let gauge = Gauge::enter(state);
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .trim_start_matches('/')
        .to_string();

    let dead = state.seen.fetch_add(1, Ordering::SeqCst) >= state.die_after.load(Ordering::SeqCst);
    let injected = if dead {
        Some(Reply::hang_up())
    } else {
        let mut scripts = state.scripts.lock().unwrap();
        match scripts.get_mut(&path).and_then(VecDeque::pop_front) {
            Some(r) => Some(r),
            None => state.always.lock().unwrap().get(&path).cloned(),
        }
    };
    let reply = match injected {
        Some(r) => r,
        None => match file_body(state, &path) {
            None => Reply::status(404),
            Some(body) => {
                let etag = etag_of(&body);
                let inm = headers.get("if-none-match");
                let fresh = match inm {
                    Some(v) => v.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
                    None => {
                        headers.get("if-modified-since").map(String::as_str) == Some(LAST_MODIFIED)
                    }
                };
                let r = if fresh {
                    Reply {
                        body: Vec::new(),
                        ..Reply::status(304)
                    }
                } else {
                    Reply::ok(body).header("Content-Type", content_type(&path))
                };
                r.header("ETag", &etag)
                    .header("Last-Modified", LAST_MODIFIED)
            }
        },
    };
    // Logged on arrival, so a request whose client gave up waiting is still counted.
    state.log.lock().unwrap().push(Seen {
        path,
        headers,
        status: reply.status,
        body_len: reply.body.len(),
    });
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay);
    }
    if reply.hang_up {
        return Ok(());
    }
    // Counted as in flight until the answer starts, so a client that starts its next request as
    // soon as it has read this one is never counted twice.
    drop(gauge);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if reply.content_length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    if reply.status != 304 {
        out.write_all(&reply.body)?;
    }
    out.flush()?;
    let _ = out.shutdown(std::net::Shutdown::Write);
    // Drain so the client never sees a reset before it has read the answer.
    let mut sink = [0u8; 512];
    let _ = reader.get_mut().read(&mut sink);
    Ok(())
}

/// The environment of every `wgrec` a test runs: its own home, no `HOME`, no inherited wgrec
/// settings, and tiny retry delays.
pub fn isolate<'a>(c: &'a mut std::process::Command, home: &Path) -> &'a mut std::process::Command {
    // Nothing of the developer's or another test's settings leaks in: every WGREC_* variable
    // (clock, test pauses, eval weights, ...) is cleared, then the few a test needs are set.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("WGREC_") {
            c.env_remove(&name);
        }
    }
    c.env_remove("HOME")
        .env_remove("WGREC_BASE_URL")
        .env_remove("RUST_LOG")
        .env("WGREC_HOME", home)
        .env("WGREC_BACKOFF_MS", "5")
        .env("WGREC_MAX_WAIT_MS", "3000")
}

/// `wgrec`, isolated (see [`isolate`]), with a guard against a hung run.
/// The result for `group` in a `recommend --format json` answer; panics, showing the answer,
/// when it is not there.
pub fn result_for<'v>(v: &'v serde_json::Value, group: &str) -> &'v serde_json::Value {
    v["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["group"] == group))
        .unwrap_or_else(|| panic!("{group} is not among the results: {v}"))
}

pub fn wgrec(home: &Path) -> assert_cmd::Command {
    let mut std_cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wgrec"));
    isolate(&mut std_cmd, home);
    let mut c = assert_cmd::Command::from_std(std_cmd);
    c.timeout(Duration::from_secs(120));
    c
}

/// Runs `c`, which must succeed, and returns its stdout (stderr shown on failure).
pub fn stdout_of(c: &mut assert_cmd::Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `wgrec fetch --meeting N --base-url <mock>` at a rate that keeps tests quick.
pub fn fetch_cmd(home: &Path, mock: &MockDt, meeting: u32) -> assert_cmd::Command {
    let mut c = wgrec(home);
    c.args([
        "fetch",
        "--meeting",
        &meeting.to_string(),
        "--base-url",
        &mock.url(),
        "--rate",
        "1000",
    ]);
    c
}

/// Every file under `dir` with its bytes, keyed by relative path (for before/after comparisons).
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    fn walk(base: &Path, d: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(d) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// The README's first command on a fresh machine (the first line of its first `sh` block),
/// as the arguments after `cargo run --release --`; shell quotes are honoured.
pub fn readme_first_command() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let block = readme
        .split("```sh\n")
        .nth(1)
        .expect("README.md has a sh code block");
    let line = block.lines().next().unwrap_or_default();
    let args = line
        .strip_prefix("cargo run --release -- ")
        .unwrap_or_else(|| {
            panic!("README's first command is not `cargo run --release -- ...`: {line}")
        });
    split_shell_words(args)
}

/// Splits a command line as a POSIX shell would for plain words and '...'/"..." quoting.
fn split_shell_words(line: &str) -> Vec<String> {
    let (mut words, mut cur, mut quote, mut in_word) = (Vec::new(), String::new(), None, false);
    for ch in line.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quote in {line:?}");
    if in_word {
        words.push(cur);
    }
    words
}
