//! The polite HTTP client behind `fetch`: one shared rate limit, conditional requests, retries with
//! exponential backoff and jitter that honour `Retry-After`, a per-request timeout and a body size
//! cap, robots.txt rules and `Crawl-delay`, and redirects kept on the datatracker's own hosts.
//! It only downloads; storing is the caller's business.

use super::FetchOptions;
use super::robots::{self, Robots};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;
use tokio::time::Instant;

/// `Accept` for JSON endpoints.
pub const ACCEPT_JSON: &str = "application/json";
/// `Accept` for HTML pages.
pub const ACCEPT_HTML: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";
/// `Accept` for session agenda documents: the Markdown source rather than a rendering of it.
pub const ACCEPT_DOCUMENT: &str = "text/markdown, text/plain;q=0.9, */*;q=0.1";

/// Validators of the stored copy, sent as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful exchange.
#[derive(Debug)]
pub enum Got {
    /// `200 OK` with its whole body.
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// `304 Not Modified`: the stored copy is current.
    NotModified {
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Why a URL could not be fetched; `status` is the final HTTP status when there was one.
#[derive(Debug, Clone)]
pub struct Failure {
    pub status: Option<u16>,
    pub reason: String,
}

impl Failure {
    fn new(status: Option<u16>, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
        }
    }
}

/// At most this many redirects are followed per request.
pub const MAX_REDIRECTS: usize = 5;

/// The longest robots.txt is waited for (the `--timeout` applies when it is shorter).
pub const ROBOTS_TIMEOUT: Duration = Duration::from_secs(10);

/// After this many requests in a row got no answer at all (refused, reset, closed without a
/// response, timed out), the server is taken to be down: the run stops instead of trying (and
/// reporting) every remaining URL.
pub const BREAKER_LIMIT: u32 = 6;

/// How hard to try one URL: attempts, and a timeout tighter than the client's, if any.
#[derive(Debug, Clone, Copy)]
struct Plan {
    attempts: u32,
    timeout: Option<Duration>,
}

/// Spaces requests out so that at most `rate` start per second, across all workers.
struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    fn new(rate: f64) -> Self {
        let interval = if rate.is_finite() && rate > 0.0 {
            Duration::from_secs_f64(1.0 / rate)
        } else {
            Duration::ZERO
        };
        Self {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this request's turn; `false` (without waiting) when that turn would come
    /// after `deadline`.
    async fn wait(&self, deadline: Option<Instant>) -> bool {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            if deadline.is_some_and(|d| at >= d) {
                return false;
            }
            // A delay too long to add (`Crawl-delay: 1e300`) means: no further request.
            *next = at
                .checked_add(self.interval)
                .unwrap_or_else(|| at + Duration::from_secs(1 << 32));
            at
        };
        tokio::time::sleep_until(at).await;
        true
    }
}

pub struct Http {
    client: reqwest::Client,
    base: String,
    limiter: RateLimiter,
    max_body: u64,
    max_attempts: u32,
    backoff_base: Duration,
    max_wait: Duration,
    /// Shared with the redirect policy, which counts every redirect it follows.
    requests: Arc<AtomicU64>,
    bytes: AtomicU64,
    robots: Robots,
    user_agent: String,
    timeout: Duration,
    /// When the whole run must be over (`--max-time`), if anything.
    deadline: Option<Instant>,
    /// robots.txt's `Crawl-delay` (not `--rate`) sets the spacing between requests.
    paced_by_robots: bool,
    /// Set once a request was refused because the deadline had passed.
    out_of_time: std::sync::atomic::AtomicBool,
    /// Requests in a row that got no answer; reset by any HTTP response.
    silent: std::sync::atomic::AtomicU32,
    /// The circuit breaker: open once `silent` reached [`BREAKER_LIMIT`].
    tripped: std::sync::atomic::AtomicBool,
}

enum Attempt {
    Done(Result<Got, Failure>),
    /// Worth another try; the server may have said how long to wait.
    Retry {
        reason: String,
        status: Option<u16>,
        retry_after: Option<Duration>,
    },
}

impl Http {
    pub fn new(opts: &FetchOptions) -> crate::Result<Self> {
        let requests = Arc::new(AtomicU64::new(0));
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            .redirect(redirect_policy(&opts.base_url, requests.clone()))
            .build()
            .map_err(|e| {
                crate::Error::io("cannot set up the HTTP client", std::io::Error::other(e))
            })?;
        Ok(Self {
            client,
            base: opts.base_url.trim_end_matches('/').to_string(),
            limiter: RateLimiter::new(opts.rate),
            max_body: opts.max_body,
            max_attempts: opts.max_attempts.max(1),
            backoff_base: opts.backoff_base,
            max_wait: opts.max_wait,
            requests,
            bytes: AtomicU64::new(0),
            robots: Robots::allow_all(),
            user_agent: opts.user_agent.clone(),
            timeout: opts.timeout,
            deadline: opts.deadline.map(Instant::from_std),
            paced_by_robots: false,
            out_of_time: Default::default(),
            silent: Default::default(),
            tripped: Default::default(),
        })
    }

    /// Whether a request was refused because the run's time limit had passed.
    pub fn out_of_time(&self) -> bool {
        self.out_of_time.load(Ordering::Relaxed)
    }

    /// Whether the circuit breaker is open: the server stopped answering.
    pub fn tripped(&self) -> bool {
        self.tripped.load(Ordering::Relaxed)
    }

    /// The spacing between requests in force (the rate, or robots.txt's `Crawl-delay`).
    pub fn interval(&self) -> Duration {
        self.limiter.interval
    }

    /// Whether robots.txt's `Crawl-delay` (rather than `--rate`) sets the pace.
    pub fn paced_by_robots(&self) -> bool {
        self.paced_by_robots
    }

    /// Time left before the run's deadline (`None`: no deadline).
    pub fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    fn late(&self) -> Failure {
        self.out_of_time.store(true, Ordering::Relaxed);
        Failure::new(
            None,
            "not fetched: the run's time limit (--max-time) was reached",
        )
    }

    fn no_answer(&self) {
        let n = self.silent.fetch_add(1, Ordering::Relaxed) + 1;
        if n >= BREAKER_LIMIT && !self.tripped.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "{n} requests in a row got no answer: the server seems down; stopping early"
            );
        }
    }

    /// Reads the server's robots.txt (once per process and server: later clients reuse the
    /// answer) and applies it: its rules to every later `get`, and its `Crawl-delay`, capped, as
    /// the least spacing between requests. Anything but a `200` (a 404, a 5xx, a timeout) means
    /// "everything allowed": robots.txt trouble never stops a run. Returns a short account.
    pub async fn load_robots(&mut self) -> String {
        let Some(url) = reqwest::Url::parse(&self.base)
            .ok()
            .and_then(|b| b.join("/robots.txt").ok())
        else {
            return "not applicable".into();
        };
        let key = format!("{url} {}", self.user_agent);
        let cached = ROBOTS_CACHE.lock().ok().and_then(|c| c.get(&key).cloned());
        let (rules, account) = match cached {
            Some(c) => c,
            None => {
                // One short try: robots.txt trouble must not hold the run up.
                let once = Plan {
                    attempts: 1,
                    timeout: Some(self.timeout.min(ROBOTS_TIMEOUT)),
                };
                let got = self.get_url(url.as_str(), "text/plain", None, once).await;
                let r = match got {
                    Ok(Got::Body { bytes, .. }) => {
                        let r = Robots::parse(&String::from_utf8_lossy(&bytes), robots::AGENT);
                        let d = r.describe();
                        (r, d)
                    }
                    Ok(Got::NotModified { .. }) => (
                        Robots::allow_all(),
                        "unexpected 304: everything allowed".into(),
                    ),
                    Err(f) if f.status == Some(404) => {
                        (Robots::allow_all(), "none (404): everything allowed".into())
                    }
                    Err(f) => {
                        tracing::warn!("{url}: {}; treating everything as allowed", f.reason);
                        (
                            Robots::allow_all(),
                            format!("unavailable ({}): everything allowed", f.reason),
                        )
                    }
                };
                if let Ok(mut c) = ROBOTS_CACHE.lock() {
                    c.insert(key, r.clone());
                }
                r
            }
        };
        if let Some(d) = rules.crawl_delay()
            && d > self.limiter.interval
        {
            tracing::info!(
                "robots.txt asks for {} s between requests; slowing down",
                d.as_secs_f64()
            );
            self.limiter.interval = d;
            self.paced_by_robots = true;
        }
        tracing::info!("{url}: {account}");
        self.robots = rules;
        account
    }

    /// The robots.txt line that forbids fetching this snapshot path, if one does.
    pub fn disallowed(&self, url_path: &str) -> Option<String> {
        let u = reqwest::Url::parse(&self.url(url_path)).ok()?;
        let path = match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        };
        self.robots.disallowed_by(&path)
    }

    /// The URL of a snapshot path on the configured server.
    pub fn url(&self, url_path: &str) -> String {
        format!("{}/{}", self.base, url_path)
    }

    /// HTTP requests sent so far, retries included.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Body bytes received so far (after content decoding).
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// `GET <base>/<url_path>`, conditional when validators are given, retried when worth it.
    /// A path robots.txt disallows is refused without a request.
    pub async fn get(
        &self,
        url_path: &str,
        accept: &str,
        validators: Option<&Validators>,
    ) -> Result<Got, Failure> {
        if let Some(rule) = self.disallowed(url_path) {
            return Err(Failure::new(None, disallowed_reason(&rule)));
        }
        let plan = Plan {
            attempts: self.max_attempts,
            timeout: None,
        };
        self.get_url(&self.url(url_path), accept, validators, plan)
            .await
    }

    async fn get_url(
        &self,
        url: &str,
        accept: &str,
        validators: Option<&Validators>,
        plan: Plan,
    ) -> Result<Got, Failure> {
        let max_attempts = plan.attempts;
        let url = url.to_string();
        let mut last = Failure::new(None, String::new());
        for attempt in 1..=max_attempts {
            if self.tripped() {
                return Err(Failure::new(
                    None,
                    "not fetched: the server stopped answering",
                ));
            }
            if !self.limiter.wait(self.deadline).await {
                return Err(self.late());
            }
            // Never wait for an answer past the deadline.
            let timeout = match self.time_left() {
                Some(left) if left.is_zero() => return Err(self.late()),
                Some(left) => Some(plan.timeout.unwrap_or(self.timeout).min(left)),
                None => plan.timeout,
            };
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (reason, status, retry_after) =
                match self.attempt(&url, accept, validators, timeout).await {
                    Attempt::Done(r) => return r,
                    Attempt::Retry {
                        reason,
                        status,
                        retry_after,
                    } => (reason, status, retry_after),
                };
            if attempt == max_attempts {
                last = Failure::new(status, reason);
                break;
            }
            if let Some(ra) = retry_after
                && ra > self.max_wait
            {
                return Err(Failure::new(
                    status,
                    format!(
                        "{reason}; the server asked to wait {} s, more than the {} s allowed",
                        ra.as_secs(),
                        self.max_wait.as_secs()
                    ),
                ));
            }
            // Retry-After is a floor, never a reason to hurry: `0` still waits the backoff.
            let wait = self
                .backoff(attempt)
                .max(retry_after.unwrap_or_default())
                .min(self.max_wait);
            if self.time_left().is_some_and(|left| wait >= left) {
                return Err(Failure::new(
                    status,
                    format!("{reason}; {}", self.late().reason),
                ));
            }
            tracing::info!(
                "{url}: {reason}; retry {attempt}/{} in {} ms",
                max_attempts - 1,
                wait.as_millis()
            );
            tokio::time::sleep(wait).await;
        }
        Err(Failure::new(
            last.status,
            if max_attempts > 1 {
                format!("{} (gave up after {max_attempts} attempts)", last.reason)
            } else {
                last.reason
            },
        ))
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .backoff_base
            .saturating_mul(1u32 << (attempt - 1).min(16))
            .min(self.max_wait);
        step / 2 + step.mul_f64(fastrand::f64() / 2.0)
    }

    /// Stays whole: one request and how each outcome (status, size, redirect, timeout) is
    /// classified for the retry loop.
    async fn attempt(
        &self,
        url: &str,
        accept: &str,
        validators: Option<&Validators>,
        timeout: Option<Duration>,
    ) -> Attempt {
        let mut req = self.client.get(url).header(header::ACCEPT, accept);
        if let Some(t) = timeout {
            req = req.timeout(t);
        }
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                if !e.is_redirect() && !e.is_builder() {
                    self.no_answer();
                }
                return transport_error(&e);
            }
        };
        self.silent.store(0, Ordering::Relaxed);
        let status = resp.status();
        let etag = header_string(resp.headers(), header::ETAG);
        let last_modified = header_string(resp.headers(), header::LAST_MODIFIED);
        if status == StatusCode::NOT_MODIFIED {
            return Attempt::Done(Ok(Got::NotModified {
                etag,
                last_modified,
            }));
        }
        if status == StatusCode::OK {
            // The length the server announced (reqwest drops it when it decodes gzip itself).
            let announced = resp.content_length();
            if let Some(len) = announced
                && len > self.max_body
            {
                return Attempt::Done(Err(self.too_large(len)));
            }
            let mut body = Vec::new();
            loop {
                match resp.chunk().await {
                    Ok(Some(chunk)) => {
                        self.bytes.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        if (body.len() + chunk.len()) as u64 > self.max_body {
                            return Attempt::Done(Err(
                                self.too_large((body.len() + chunk.len()) as u64)
                            ));
                        }
                        body.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) => return transport_error(&e),
                }
            }
            if let Some(len) = announced
                && body.len() as u64 != len
            {
                // A connection cut short: a truncated body is never stored. Worth a retry.
                return Attempt::Retry {
                    reason: format!(
                        "truncated body ({} of the {len} bytes announced)",
                        body.len()
                    ),
                    status: Some(200),
                    retry_after: None,
                };
            }
            return Attempt::Done(Ok(Got::Body {
                bytes: body,
                etag,
                last_modified,
            }));
        }
        if status.is_redirection() {
            // A redirect reqwest did not follow (no usable Location): name where it pointed.
            let to = header_string(resp.headers(), header::LOCATION);
            let reason = match to {
                Some(loc) => {
                    let target = reqwest::Url::parse(url)
                        .ok()
                        .and_then(|u| u.join(&loc).ok())
                        .map_or_else(|| crate::parse::clean_line(&loc), |u| u.to_string());
                    format!("{}: redirect to {target} refused", status_reason(status))
                }
                None => format!("{}: a redirect without a Location", status_reason(status)),
            };
            return Attempt::Done(Err(Failure::new(Some(status.as_u16()), reason)));
        }
        let reason = status_reason(status);
        if retryable(status) {
            Attempt::Retry {
                reason,
                status: Some(status.as_u16()),
                retry_after: retry_after(resp.headers()),
            }
        } else {
            Attempt::Done(Err(Failure::new(Some(status.as_u16()), reason)))
        }
    }

    fn too_large(&self, len: u64) -> Failure {
        Failure::new(
            Some(200),
            format!(
                "body too large ({len} bytes or more; the limit is {} bytes)",
                self.max_body
            ),
        )
    }
}

/// The reason given for a URL robots.txt keeps wgrec away from.
pub fn disallowed_reason(rule: &str) -> String {
    format!("disallowed by robots.txt ({rule})")
}

/// robots.txt answers, per robots URL and User-Agent, for the life of the process.
type RobotsCache = HashMap<String, (Robots, String)>;
static ROBOTS_CACHE: LazyLock<std::sync::Mutex<RobotsCache>> =
    LazyLock::new(|| std::sync::Mutex::new(HashMap::new()));

/// Hosts a redirect may lead to: the base URL's own (same port; http may become https), plus the
/// datatracker's and www.ietf.org when the base is the real datatracker. At most
/// [`MAX_REDIRECTS`] are followed; each one counts as a request.
fn redirect_policy(base: &str, requests: Arc<AtomicU64>) -> reqwest::redirect::Policy {
    let base = reqwest::Url::parse(base).ok();
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        match redirect_refusal(base.as_ref(), attempt.url()) {
            Some(why) => attempt.error(why),
            None => {
                requests.fetch_add(1, Ordering::Relaxed);
                attempt.follow()
            }
        }
    })
}

/// Why a redirect to `to` is refused, or `None` when it may be followed.
pub(crate) fn redirect_refusal(base: Option<&reqwest::Url>, to: &reqwest::Url) -> Option<String> {
    let refuse = || {
        Some(format!(
            "redirect to {} refused: it leaves {}",
            to.as_str(),
            base.map_or("the configured server".into(), |b| b
                .origin()
                .ascii_serialization())
        ))
    };
    let base = base?;
    if !matches!(to.scheme(), "http" | "https")
        || (base.scheme() == "https" && to.scheme() == "http")
    {
        return refuse();
    }
    let Some(host) = to.host_str().map(str::to_ascii_lowercase) else {
        return refuse();
    };
    let same_host = base.host_str().map(str::to_ascii_lowercase).as_deref() == Some(host.as_str());
    if same_host
        && (to.port_or_known_default() == base.port_or_known_default()
            || (to.scheme() != base.scheme() && to.port().is_none()))
    {
        return None;
    }
    let default_base = base.host_str() == Some(super::DATATRACKER_HOST)
        && base.port().is_none()
        && base.scheme() == "https";
    if default_base
        && (host == super::DATATRACKER_HOST || host == super::WWW_HOST)
        && to.port().is_none()
    {
        return None;
    }
    refuse()
}

/// 408, 429 and every 5xx are worth another try; other statuses will not change by retrying.
fn retryable(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

fn status_reason(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(r) => format!("HTTP {} {r}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
    }
}

/// Timeouts, refused or dropped connections and connections closed without a response are
/// transient and retried; a refused redirect or a bad URL is not.
fn transport_error(e: &reqwest::Error) -> Attempt {
    let reason = describe(e);
    if !e.is_redirect() && !e.is_builder() {
        Attempt::Retry {
            reason,
            status: None,
            retry_after: None,
        }
    } else {
        Attempt::Done(Err(Failure::new(None, reason)))
    }
}

/// A short account of a transport error, without the URL (the caller prints it once).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut parts = Vec::new();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.contains(&t) {
            parts.push(t);
        }
        src = s.source();
    }
    let kind = if e.is_connect() {
        "connection failed"
    } else if e.is_redirect() {
        "redirect error"
    } else if e.is_body() || e.is_decode() {
        "error reading the body"
    } else {
        "request failed"
    };
    if parts.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {}", parts.join(": "))
    }
}

fn header_string(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `Retry-After`: delay seconds or an HTTP date (a date in the past means no wait).
fn retry_after(h: &HeaderMap) -> Option<Duration> {
    parse_retry_after(&header_string(h, header::RETRY_AFTER)?, SystemTime::now())
}

pub(crate) fn parse_retry_after(v: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let opts = FetchOptions {
            backoff_base: Duration::from_millis(100),
            max_wait: Duration::from_secs(1),
            ..FetchOptions::default()
        };
        let http = Http::new(&opts).unwrap();
        for _ in 0..50 {
            let b1 = http.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100));
            let b3 = http.backoff(3);
            assert!(b3 >= Duration::from_millis(200) && b3 <= Duration::from_millis(400));
            assert!(http.backoff(30) <= Duration::from_secs(1));
        }
    }

    #[test]
    fn redirects_stay_on_the_datatracker() {
        let u = |s: &str| reqwest::Url::parse(s).unwrap();
        let dt = u("https://datatracker.ietf.org");
        let ok = |base: &reqwest::Url, to: &str| redirect_refusal(Some(base), &u(to)).is_none();
        assert!(ok(&dt, "https://datatracker.ietf.org/group/quic/about/"));
        assert!(ok(&dt, "https://DataTracker.ietf.org/x"));
        assert!(ok(
            &dt,
            "https://www.ietf.org/charter/charter-ietf-quic-01.txt"
        ));
        assert!(!ok(&dt, "http://www.ietf.org/x"), "https downgrade");
        assert!(!ok(&dt, "https://ietf.org/x"));
        assert!(!ok(&dt, "https://www.ietf.org:8443/x"));
        assert!(!ok(&dt, "https://evil.example/x"));
        assert!(!ok(&dt, "ftp://datatracker.ietf.org/x"));
        let why = redirect_refusal(Some(&dt), &u("https://evil.example/x")).unwrap();
        assert_eq!(
            why,
            "redirect to https://evil.example/x refused: it leaves https://datatracker.ietf.org"
        );
        // A mirror: its own host and port only (an upgrade to https on the same host is fine).
        let mirror = u("http://127.0.0.1:8765/mirror/");
        assert!(ok(&mirror, "http://127.0.0.1:8765/elsewhere"));
        assert!(ok(&mirror, "https://127.0.0.1/x"));
        assert!(!ok(&mirror, "http://127.0.0.1:8766/x"));
        assert!(!ok(&mirror, "http://localhost:8765/x"));
        assert!(!ok(&mirror, "https://www.ietf.org/x"));
    }

    #[test]
    fn which_statuses_are_retried() {
        for s in [408u16, 429, 500, 502, 503, 504] {
            assert!(retryable(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [400u16, 401, 403, 404, 410] {
            assert!(!retryable(StatusCode::from_u16(s).unwrap()), "{s}");
        }
    }
}
