//! The routes: each reads its parameters (`params`), calls a use case on the generation in
//! service (`state`), and renders a page (`crate::render::html`), JSON, Markdown or ICS. The
//! work runs on tokio's blocking pool: ranking is CPU-bound and must not stall the event loop.

use super::params::{BadRequest, Params, Spec, check_acronym, clip};
use super::state::{Served, State};
use crate::app;
use crate::model::{Meeting, Recommendations};
use crate::plan::Itinerary;
use crate::profiles::{self, DaySpec};
use crate::rank::RecommendQuery;
use crate::render::html::{self, Chrome, MeetingInfo, RecommendForm, Zones};
use crate::render::{guide as guide_render, ics, itinerary as plan_render, list};
use crate::{Error, clock};
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State as Shared};
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use axum::routing::get;
use chrono::Utc;
use chrono_tz::Tz;
use std::sync::Arc;

type St = Shared<Arc<State>>;

pub fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/", get(home))
        .route("/recommend", get(recommend_page))
        .route("/api/recommend", get(recommend_api))
        .route("/search", get(search_page))
        .route("/api/search", get(search_api))
        .route("/group/{acronym}", get(group_page))
        .route("/plan", get(plan_page))
        .route("/plan.md", get(plan_md))
        .route("/plan.ics", get(plan_ics))
        .route("/calendar.ics", get(calendar))
        .route("/now", get(now_page))
        .route("/guide", get(guide_page))
        .route("/guide.md", get(guide_md))
        .route("/guide.json", get(guide_json))
        .route("/guide.html", get(guide_file))
        .route("/healthz", get(healthz))
        .route("/static/{file}", get(asset))
        .fallback(not_found)
}

// ---- assets -------------------------------------------------------------------------------

const CSS: &str = include_str!("assets/style.css");
const JS: &str = include_str!("assets/app.js");

/// A short content hash, so asset URLs change when the asset does and can be cached for long.
fn version(body: &str) -> String {
    use sha2::Digest as _;
    let d = sha2::Sha256::digest(body.as_bytes());
    d[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn asset_versions() -> &'static (String, String) {
    static V: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    V.get_or_init(|| (version(CSS), version(JS)))
}

async fn asset(Path(file): Path<String>) -> Response<Body> {
    let (body, ctype) = match file.as_str() {
        "style.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
    };
    let mut r = Response::new(Body::from(body));
    set(&mut r, header::CONTENT_TYPE, ctype);
    // The URL carries the content hash: a changed asset has a new URL.
    set(
        &mut r,
        header::CACHE_CONTROL,
        "public, max-age=31536000, immutable",
    );
    r
}

// ---- responses and failures ---------------------------------------------------------------

/// Why a request fails, and how it is answered.
enum Fail {
    /// 400: the request cannot be used as given; the message says why.
    Bad(String),
    /// 404.
    NotFound(String),
    /// 500: logged in full, answered without internal detail.
    Internal(Error),
}

impl From<BadRequest> for Fail {
    fn from(e: BadRequest) -> Self {
        Self::Bad(e.0)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        match root(&e) {
            Error::Input(msg) => Self::Bad(msg.clone()),
            Error::UnknownMeeting(..) => Self::Bad(root(&e).to_string()),
            _ => Self::Internal(e),
        }
    }
}

/// The cause under any context wrappers (the variant that decides the status).
fn root(e: &Error) -> &Error {
    let mut cur: &dyn std::error::Error = e;
    let mut last = e;
    while let Some(src) = cur.source() {
        if let Some(lib) = src.downcast_ref::<Error>() {
            last = lib;
        }
        cur = src;
    }
    last
}

impl Fail {
    fn status(&self) -> (StatusCode, &str) {
        match self {
            Self::Bad(m) => (StatusCode::BAD_REQUEST, m),
            Self::NotFound(m) => (StatusCode::NOT_FOUND, m),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on the server. The problem was logged; please try again later.",
            ),
        }
    }

    fn log(&self) {
        if let Self::Internal(e) = self {
            tracing::error!("{e}");
        }
    }

    /// An HTML page saying what was wrong.
    fn page(self, state: &State) -> Response<Body> {
        self.log();
        let (status, msg) = self.status();
        error_page(&state.base, status, msg)
    }

    /// `{"error": "..."}` for the JSON routes.
    fn json(self) -> Response<Body> {
        self.log();
        let (status, msg) = self.status();
        let body = serde_json::json!({ "error": msg }).to_string();
        let mut r = Response::new(Body::from(body));
        *r.status_mut() = status;
        set(&mut r, header::CONTENT_TYPE, "application/json");
        r
    }
}

fn set(r: &mut Response<Body>, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().insert(name, v);
    }
}

fn plain(status: StatusCode, body: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    set(&mut r, header::CONTENT_TYPE, "text/plain; charset=utf-8");
    r
}

fn heading_of(status: StatusCode) -> String {
    match status.as_u16() {
        400 => "That request cannot be answered".into(),
        404 => "Not found".into(),
        405 => "Not allowed".into(),
        408 | 503 => "The server is busy".into(),
        413 => "Request too large".into(),
        500 => "Server error".into(),
        n => format!("Error {n}"),
    }
}

/// The error page, with chrome that needs no data (it must render even when the data cannot).
fn error_page(base: &str, status: StatusCode, message: &str) -> Response<Body> {
    let page = html::ErrorPage {
        chrome: bare_chrome(base, &heading_of(status)),
        status: status.as_u16(),
        heading: heading_of(status),
        message: message.to_string(),
    };
    let mut r = html_response(page.render().unwrap_or_else(|_| message.to_string()));
    *r.status_mut() = status;
    r
}

fn bare_chrome(base: &str, title: &str) -> Chrome {
    let (css, js) = asset_versions();
    Chrome {
        base: base.to_string(),
        css: format!("{base}/static/style.css?v={css}"),
        js: format!("{base}/static/app.js?v={js}"),
        title: title.to_string(),
        meeting: String::new(),
        section: "",
        warnings: Vec::new(),
        meeting_param: None,
        mq: String::new(),
    }
}

/// The 500 page for a handler that panicked (the panic itself is logged by the runtime).
pub fn panic_page(base: &str) -> Response<Body> {
    tracing::error!("a request handler panicked; answered 500");
    error_page(
        base,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on the server. The problem was logged; please try again later.",
    )
}

/// Errors the layers answer with an empty body (405, 408, 413, 503 ...) get a page saying so.
pub fn fill_empty_error(r: Response<Body>, base: &str) -> Response<Body> {
    let status = r.status();
    let empty = r
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v == "0")
        || r.headers().get(header::CONTENT_TYPE).is_none();
    if !(status.is_client_error() || status.is_server_error()) || !empty {
        return r;
    }
    let msg = match status.as_u16() {
        405 => "This address only answers GET requests.",
        408 | 503 => "The server took too long or is too busy to answer. Please try again.",
        413 => "The request is too large.",
        _ => "The request could not be answered.",
    };
    let mut out = error_page(base, status, msg);
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = r.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

pub async fn not_found(Shared(state): St) -> Response<Body> {
    Fail::NotFound("There is no page at this address.".into()).page(&state)
}

fn html_response(body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    set(&mut r, header::CONTENT_TYPE, "text/html; charset=utf-8");
    r
}

fn render(t: impl Template) -> Result<Response<Body>, Fail> {
    t.render()
        .map(html_response)
        .map_err(|e| Fail::Internal(Error::parse("a page template", e)))
}

/// Runs `f` on the blocking pool. A panic inside is re-raised here, where the panic layer
/// turns it into the 500 page.
async fn blocking<F>(f: F) -> Response<Body>
where
    F: FnOnce() -> Response<Body> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => plain(StatusCode::SERVICE_UNAVAILABLE, "shutting down\n"),
    }
}

/// A page handler: `f` gets the state, the generation in service and the parameters.
async fn page<F>(
    state: Arc<State>,
    raw: Option<String>,
    specs: &'static [Spec],
    f: F,
) -> Response<Body>
where
    F: FnOnce(&State, &Served, &Params) -> Result<Response<Body>, Fail> + Send + 'static,
{
    answer(state, raw, specs, f, |e, state| e.page(state)).await
}

/// Like [`page`], answering failures as JSON.
async fn api<F>(
    state: Arc<State>,
    raw: Option<String>,
    specs: &'static [Spec],
    f: F,
) -> Response<Body>
where
    F: FnOnce(&State, &Served, &Params) -> Result<Response<Body>, Fail> + Send + 'static,
{
    answer(state, raw, specs, f, |e, _| e.json()).await
}

/// Parses the parameters and runs `f` off the async threads; `failed` answers a failure.
async fn answer<F>(
    state: Arc<State>,
    raw: Option<String>,
    specs: &'static [Spec],
    f: F,
    failed: fn(Fail, &State) -> Response<Body>,
) -> Response<Body>
where
    F: FnOnce(&State, &Served, &Params) -> Result<Response<Body>, Fail> + Send + 'static,
{
    blocking(move || {
        let served = state.served();
        match Params::parse(raw.as_deref(), specs)
            .map_err(Fail::from)
            .and_then(|p| f(&state, &served, &p))
        {
            Ok(r) => r,
            Err(e) => failed(e, &state),
        }
    })
    .await
}

// ---- shared pieces ------------------------------------------------------------------------

/// The `meeting=N` parameter, when given.
fn meeting_number(p: &Params) -> Result<Option<u32>, Fail> {
    p.one("meeting")
        .map(|v| {
            v.parse::<u32>().map_err(|_| {
                Fail::Bad(format!(
                    "meeting must be a meeting number (got {:?})",
                    clip(v)
                ))
            })
        })
        .transpose()
}

/// The meeting asked for (`meeting=N`), else the newest.
fn meeting_of(served: &Served, p: &Params) -> Result<Meeting, Fail> {
    let n = meeting_number(p)?;
    Ok(served.index().meeting(n)?.clone())
}

fn chrome(
    state: &State,
    served: &Served,
    m: &Meeting,
    title: &str,
    section: &'static str,
) -> Chrome {
    let mut c = bare_chrome(&state.base, title);
    c.warnings = served.data.warnings.clone();
    if served.index().meetings().last() != Some(&m.number) {
        c.meeting_param = Some(m.number);
        c.mq = format!("?meeting={}", m.number);
    }
    c.meeting = if m.city.is_empty() {
        format!("IETF {}", m.number)
    } else {
        format!("IETF {}, {}", m.number, m.city)
    };
    c.section = section;
    c
}

/// The meeting parameter to carry into links, when one was asked for.
fn meeting_pair(p: &Params) -> (&'static str, String) {
    ("meeting", p.one("meeting").unwrap_or_default().to_string())
}

fn interests_of(p: &Params) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in p.all("interest") {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&i)) {
            out.push(i);
        }
    }
    out
}

/// Acronyms given as repeated parameters and/or separated by spaces or commas in one field.
fn acronym_list(p: &Params, key: &str) -> Result<Vec<String>, Fail> {
    let mut out = Vec::new();
    for v in p.all(key) {
        for a in v.split([' ', ',', ';']).filter(|a| !a.is_empty()) {
            let a = check_acronym(a).map_err(|e| Fail::Bad(format!("{key}: {e}")))?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    if out.len() > super::params::MAX_LIST {
        return Err(Fail::Bad(format!(
            "too many groups in {key} (at most {})",
            super::params::MAX_LIST
        )));
    }
    Ok(out)
}

// ---- home ---------------------------------------------------------------------------------

const HOME: &[Spec] = &[Spec::one("meeting")];

pub async fn home(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, HOME, |state, served, p| {
        let m = meeting_of(served, p)?;
        let agenda = served.agenda(m.number)?;
        let meta = &served.index().meta;
        let (days, areas) = html::form_choices(&agenda, &[], &[]);
        let held: Vec<_> = agenda
            .sessions
            .iter()
            .filter(|s| !s.status.is_cancelled())
            .collect();
        let mut groups: Vec<&str> = held.iter().map(|s| s.group.as_str()).collect();
        groups.sort_unstable();
        groups.dedup();
        let mut other: Vec<u32> = served
            .index()
            .meetings()
            .into_iter()
            .filter(|n| *n != m.number)
            .collect();
        other.reverse();
        render(html::HomePage {
            chrome: chrome(state, served, &m, &format!("IETF {}", m.number), "home"),
            info: MeetingInfo::new(&m, &meta.built_at, meta.bundled),
            form: RecommendForm::new(&[], days, areas, None),
            other_meetings: other,
            sessions: held.len(),
            groups: groups.len(),
        })
    })
    .await
}

// ---- recommend ----------------------------------------------------------------------------

const RECOMMEND: &[Spec] = &[
    Spec::many("interest", super::params::MAX_INTERESTS),
    Spec::many("day", super::params::MAX_LIST).chars(10),
    Spec::many("area", super::params::MAX_LIST).chars(40),
    Spec::many("exclude", super::params::MAX_LIST),
    Spec::one("no_bofs").chars(5),
    Spec::one("top").chars(3),
    Spec::one("meeting").chars(6),
    Spec::one("tz").chars(64),
];

/// The query of a recommend request; refuses a request without interests.
fn recommend_query(p: &Params) -> Result<RecommendQuery, Fail> {
    let interests = interests_of(p);
    if interests.is_empty() {
        return Err(Fail::Bad(
            "give at least one interest (interest=...), e.g. interest=privacy".into(),
        ));
    }
    let meeting = meeting_number(p)?;
    Ok(RecommendQuery {
        meeting,
        interests,
        top: p.number("top", 1, 50, 10)? as usize,
        days: p.days("day")?,
        areas: p.acronyms("area")?,
        exclude_groups: acronym_list(p, "exclude")?,
        no_bofs: p.flag("no_bofs")?,
        vocabulary: None,
    })
}

/// The ranked list for `q`, from the generation's cache when it was asked before.
fn recommend_cached(
    state: &State,
    served: &Served,
    q: &RecommendQuery,
) -> Result<Arc<Recommendations>, Fail> {
    let key = format!(
        "recommend|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}",
        q.meeting, q.interests, q.days, q.areas, q.exclude_groups, q.no_bofs, q.top
    );
    Ok(served.list(key, || {
        app::query::recommend(&served.data, q, &state.vocabulary)
    })?)
}

fn json_response(recs: &Recommendations) -> Result<Response<Body>, Fail> {
    let mut buf = Vec::with_capacity(4096);
    list::json(recs, &mut buf).map_err(|e| Fail::Internal(Error::io("writing JSON", e)))?;
    let mut r = Response::new(Body::from(buf));
    set(&mut r, header::CONTENT_TYPE, "application/json");
    Ok(r)
}

async fn recommend_api(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    api(state, raw, RECOMMEND, |state, served, p| {
        let q = recommend_query(p)?;
        let recs = recommend_cached(state, served, &q)?;
        json_response(&recs)
    })
    .await
}

async fn recommend_page(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, RECOMMEND, |state, served, p| {
        let q = recommend_query(p)?;
        let viewer = p.tz("tz")?;
        let recs = recommend_cached(state, served, &q)?;
        let m = served.index().meeting(Some(recs.meeting))?.clone();
        let agenda = served.agenda(recs.meeting)?;
        let zones = Zones::new(&m.timezone, viewer);
        let (days, areas) = html::form_choices(&agenda, &q.days, &q.areas);
        let mut pairs: Vec<(&str, String)> = q
            .interests
            .iter()
            .map(|i| ("interest", i.clone()))
            .collect();
        let days_pairs: Vec<(&str, String)> = q
            .days
            .iter()
            .map(|d| ("day", d.format("%Y-%m-%d").to_string()))
            .collect();
        pairs.extend(days_pairs.clone());
        let mut plan_pairs = pairs.clone();
        if let Some(tz) = viewer {
            plan_pairs.push(("tz", tz.name().to_string()));
        }
        plan_pairs.push(meeting_pair(p));
        let raw_query = raw_query_of(p, RECOMMEND);
        let (strong, possible) = html::split_by_strength(html::result_items(&recs, zones, &agenda));
        render(html::RecommendPage {
            chrome: chrome(
                state,
                served,
                &m,
                &format!("Sessions for {}", q.interests.join(", ")),
                "home",
            ),
            form: RecommendForm::new(&q.interests, days, areas, viewer),
            interests: q.interests.join(" · "),
            zones_label: zones.label(first_start(&agenda)),
            strong,
            possible,
            notes: recs.notes.clone(),
            plan_link: format!("{}/plan?{}", state.base, html::query(&plan_pairs)),
            api_link: format!("{}/api/recommend?{raw_query}", state.base),
        })
    })
    .await
}

/// The request's parameters again, as a query string (for the JSON link).
fn raw_query_of(p: &Params, specs: &[Spec]) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for s in specs {
        if s.name == "tz" {
            continue;
        }
        for v in p.all(s.name) {
            pairs.push((s.name, v));
        }
    }
    html::query(&pairs)
}

fn first_start(agenda: &crate::model::Agenda) -> chrono::DateTime<Utc> {
    agenda
        .sessions
        .iter()
        .map(|s| s.start)
        .min()
        .unwrap_or_else(clock::now)
}

// ---- search -------------------------------------------------------------------------------

const SEARCH: &[Spec] = &[
    Spec::one("q").chars(super::params::MAX_SEARCH_CHARS),
    Spec::one("top").chars(3),
    Spec::one("meeting").chars(6),
    Spec::one("tz").chars(64),
];

fn search_cached(
    state: &State,
    served: &Served,
    p: &Params,
    text: &str,
) -> Result<Arc<Recommendations>, Fail> {
    let m = meeting_of(served, p)?;
    let top = p.number("top", 1, 50, 10)? as usize;
    let key = format!("search|{}|{top}|{text}", m.number);
    Ok(served.list(key, || {
        app::query::search(&served.data, text, Some(m.number), top, &state.vocabulary)
    })?)
}

async fn search_api(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    api(state, raw, SEARCH, |state, served, p| {
        let text = p
            .one("q")
            .ok_or_else(|| Fail::Bad("give the search text as q=...".into()))?
            .to_string();
        let recs = search_cached(state, served, p, &text)?;
        json_response(&recs)
    })
    .await
}

async fn search_page(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, SEARCH, |state, served, p| {
        let m = meeting_of(served, p)?;
        let viewer = p.tz("tz")?;
        let q = p.one("q").unwrap_or_default().to_string();
        let zones = Zones::new(&m.timezone, viewer);
        let agenda = served.agenda(m.number)?;
        let (items, notes) = if q.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let recs = search_cached(state, served, p, &q)?;
            (
                html::result_items(&recs, zones, &agenda),
                recs.notes.clone(),
            )
        };
        let (strong, possible) = html::split_by_strength(items);
        let title = if q.is_empty() {
            "Search".to_string()
        } else {
            format!("Search: {q}")
        };
        render(html::SearchPage {
            chrome: chrome(state, served, &m, &title, "search"),
            api_link: format!("{}/api/search?{}", state.base, raw_query_of(p, SEARCH)),
            q,
            tz: viewer.map(|t| t.name().to_string()).unwrap_or_default(),
            zones: html::ZONES.to_vec(),
            zones_label: zones.label(first_start(&agenda)),
            strong,
            possible,
            notes,
        })
    })
    .await
}

// ---- group --------------------------------------------------------------------------------

const GROUP: &[Spec] = &[Spec::one("meeting").chars(6), Spec::one("tz").chars(64)];

async fn group_page(
    Shared(state): St,
    Path(acronym): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response<Body> {
    page(state, raw, GROUP, move |state, served, p| {
        let acronym = check_acronym(&acronym).map_err(Fail::Bad)?;
        let m = meeting_of(served, p)?;
        let viewer = p.tz("tz")?;
        let Some(g) = served.index().group(m.number, &acronym)? else {
            return Err(Fail::NotFound(format!(
                "No group {acronym:?} meets at IETF {}.",
                m.number
            )));
        };
        let agenda = served.agenda(m.number)?;
        let zones = Zones::new(&m.timezone, viewer);
        let mut sessions: Vec<_> = agenda
            .sessions
            .iter()
            .filter(|s| s.group.eq_ignore_ascii_case(&acronym))
            .collect();
        sessions.sort_by_key(|s| (s.start, s.id.clone()));
        let lines = sessions
            .iter()
            .map(|s| {
                let r = crate::model::SessionRef {
                    id: s.id.clone(),
                    start: s.start,
                    end: s.end,
                    room: s.room.clone(),
                    status: s.status.clone(),
                };
                zones.line(&r, m.number, &s.group, &agenda)
            })
            .collect();
        let about = g
            .charter
            .split("\n\n")
            .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|para| !para.is_empty())
            .collect();
        let kind = match g.group_type.as_str() {
            "wg" => "Working group".to_string(),
            "rg" => "Research group".to_string(),
            "ag" => "Area group".to_string(),
            "" => String::new(),
            other => other.to_uppercase(),
        };
        let area = match (&g.area, &g.area_name) {
            (Some(a), Some(n)) => format!("{n} ({a})"),
            (Some(a), None) => format!("{a} area"),
            _ => String::new(),
        };
        render(html::GroupPage {
            chrome: chrome(state, served, &m, &g.acronym, ""),
            name: if g.name.is_empty() {
                g.acronym.clone()
            } else {
                g.name.clone()
            },
            group_url: format!("{}/group/{}/about/", crate::plan::DATATRACKER, g.acronym),
            acronym: g.acronym,
            area,
            kind,
            is_bof: g.is_bof,
            about,
            zones_label: zones.label(first_start(&agenda)),
            sessions: lines,
            meeting: m.number,
        })
    })
    .await
}

// ---- plan ---------------------------------------------------------------------------------

const PLAN: &[Spec] = &[
    Spec::many("interest", super::params::MAX_INTERESTS),
    Spec::many("day", super::params::MAX_LIST).chars(10),
    Spec::one("max").chars(3),
    Spec::one("gap").chars(4),
    Spec::many("must", super::params::MAX_LIST),
    Spec::many("exclude", super::params::MAX_LIST),
    Spec::one("name").chars(100),
    Spec::one("possible").chars(5),
    Spec::one("meeting").chars(6),
    Spec::one("tz").chars(64),
];

/// A plan request, read and checked.
struct PlanAsk {
    interests: Vec<String>,
    days: Vec<chrono::NaiveDate>,
    max: u64,
    gap: u64,
    must: Vec<String>,
    exclude: Vec<String>,
    name: Option<String>,
    meeting: Option<u32>,
    tz: Option<Tz>,
    include_possible: bool,
}

impl PlanAsk {
    fn read(p: &Params) -> Result<Self, Fail> {
        Ok(Self {
            interests: interests_of(p),
            days: p.days("day")?,
            max: p.number(
                "max",
                1,
                profiles::MAX_PER_DAY_LIMIT as u64,
                profiles::DEFAULT_MAX_PER_DAY as u64,
            )?,
            gap: p.number("gap", 0, u64::from(profiles::GAP_LIMIT), 0)?,
            must: acronym_list(p, "must")?,
            exclude: acronym_list(p, "exclude")?,
            name: p.one("name").map(str::to_string),
            meeting: meeting_number(p)?,
            tz: p.tz("tz")?,
            include_possible: p.flag("possible")?,
        })
    }

    /// The parameters again, for download and subscription links.
    fn pairs(&self, with_tz: bool) -> Vec<(&'static str, String)> {
        let mut v: Vec<(&'static str, String)> = self
            .interests
            .iter()
            .map(|i| ("interest", i.clone()))
            .collect();
        v.extend(
            self.days
                .iter()
                .map(|d| ("day", d.format("%Y-%m-%d").to_string())),
        );
        v.push(("max", self.max.to_string()));
        if self.gap > 0 {
            v.push(("gap", self.gap.to_string()));
        }
        if !self.must.is_empty() {
            v.push(("must", self.must.join(" ")));
        }
        if !self.exclude.is_empty() {
            v.push(("exclude", self.exclude.join(" ")));
        }
        if let Some(n) = &self.name {
            v.push(("name", n.clone()));
        }
        if self.include_possible {
            v.push(("possible", "on".to_string()));
        }
        if let Some(m) = self.meeting {
            v.push(("meeting", m.to_string()));
        }
        if with_tz && let Some(tz) = self.tz {
            v.push(("tz", tz.name().to_string()));
        }
        v
    }

    fn plan(&self, served: &Served) -> Result<(Itinerary, Meeting), Fail> {
        if self.interests.is_empty() {
            return Err(Fail::Bad(
                "give at least one interest (interest=...), e.g. interest=privacy".into(),
            ));
        }
        let spec = app::plan::PlanSpec {
            name: self.name.as_deref(),
            interests: &self.interests,
            days: if self.days.is_empty() {
                DaySpec::All
            } else {
                DaySpec::List(self.days.clone())
            },
            max_per_day: self.max as usize,
            gap: self.gap as u32,
            must: &self.must,
            exclude: &self.exclude,
            tz: self.tz,
            include_possible: self.include_possible,
        };
        Ok(app::plan::plan(
            &served.data,
            self.meeting,
            &spec,
            None,
            |e| e,
            &app::no_notes,
        )?)
    }

    fn view<'a>(&'a self, it: &Itinerary, m: &'a Meeting) -> plan_render::View<'a> {
        plan_render::View {
            name: self.name.as_deref(),
            interests: &self.interests,
            city: Some(m.city.as_str()),
            display_tz: self.tz.unwrap_or(it.timezone),
            generated: clock::now(),
        }
    }
}

/// The address this server is reached at, from the request (for the subscription links).
fn origin(headers: &HeaderMap) -> Option<(String, String)> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let ok = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if !ok {
        return None;
    }
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    Some((
        if https { "https" } else { "http" }.to_string(),
        host.to_string(),
    ))
}

/// Stays whole: parameters, plan, calendar links and page, in the order a request needs them.
async fn plan_page(
    Shared(state): St,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response<Body> {
    page(state, raw, PLAN, move |state, served, p| {
        let ask = PlanAsk::read(p)?;
        let m0 = served.index().meeting(ask.meeting)?.clone();
        let agenda = served.agenda(m0.number)?;
        let (days, _) = html::form_choices(&agenda, &ask.days, &[]);
        let mut interests = ask.interests.clone();
        while interests.len() < 3 {
            interests.push(String::new());
        }
        let form = html::PlanForm {
            interests,
            days,
            max: ask.max,
            gap: ask.gap,
            must: ask.must.join(" "),
            exclude: ask.exclude.join(" "),
            name: ask.name.clone().unwrap_or_default(),
            tz: ask.tz.map(|t| t.name().to_string()).unwrap_or_default(),
            zones: html::ZONES.to_vec(),
            possible: ask.include_possible,
        };
        let zones = Zones::new(&m0.timezone, ask.tz);
        let zones_label = zones.label(first_start(&agenda));
        if ask.interests.is_empty() {
            return render(html::PlanPage {
                chrome: chrome(state, served, &m0, "Plan an itinerary", "plan"),
                form,
                planned: false,
                heading: String::new(),
                zones_label,
                days: Vec::new(),
                sessions: 0,
                must_problems: Vec::new(),
                not_held: Vec::new(),
                if_time_allows: Vec::new(),
                notes: Vec::new(),
                md_link: String::new(),
                ics_link: String::new(),
                webcal_link: None,
                feed_link: String::new(),
            });
        }
        let (it, m) = ask.plan(served)?;
        let q = html::query(&ask.pairs(true));
        let feed_q = html::query(&ask.pairs(false));
        let feed_path = format!("{}/calendar.ics?{feed_q}", state.base);
        let (feed_link, webcal_link) = match origin(&headers) {
            Some((scheme, host)) => (
                format!("{scheme}://{host}{feed_path}"),
                Some(format!("webcal://{host}{feed_path}")),
            ),
            None => (feed_path.clone(), None),
        };
        let heading = match &ask.name {
            Some(n) => format!("IETF {} itinerary: {n}", m.number),
            None => format!("IETF {} itinerary: {}", m.number, ask.interests.join(", ")),
        };
        render(html::PlanPage {
            chrome: chrome(state, served, &m, &heading, "plan"),
            form,
            planned: true,
            heading,
            zones_label,
            days: html::plan_days(&it, zones),
            sessions: it.slots().count(),
            must_problems: it
                .must
                .iter()
                .filter(|o| !o.included)
                .map(|o| {
                    o.problem
                        .clone()
                        .unwrap_or_else(|| format!("{} is not in the plan", o.group))
                })
                .collect(),
            not_held: html::not_held(&it, zones),
            if_time_allows: html::if_time_allows(&it, zones),
            notes: it.notes.clone(),
            md_link: format!("{}/plan.md?{q}", state.base),
            ics_link: format!("{}/plan.ics?{q}", state.base),
            webcal_link,
            feed_link,
        })
    })
    .await
}

fn download(body: String, ctype: &str, filename: &str, attachment: bool) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    set(&mut r, header::CONTENT_TYPE, ctype);
    let disposition = if attachment { "attachment" } else { "inline" };
    set(
        &mut r,
        header::CONTENT_DISPOSITION,
        &format!("{disposition}; filename=\"{filename}\""),
    );
    r
}

async fn plan_md(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, PLAN, |_, served, p| {
        let ask = PlanAsk::read(p)?;
        let (it, m) = ask.plan(served)?;
        let text = plan_render::markdown(&it, &ask.view(&it, &m));
        Ok(download(
            text,
            "text/markdown; charset=utf-8",
            &format!("ietf{}-itinerary.md", m.number),
            true,
        ))
    })
    .await
}

async fn plan_ics(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, PLAN, |_, served, p| {
        let ask = PlanAsk::read(p)?;
        let (it, m) = ask.plan(served)?;
        let text = ics::itinerary(&it, ask.name.as_deref(), clock::now());
        Ok(download(
            text,
            "text/calendar; charset=utf-8",
            &format!("ietf{}-itinerary.ics", m.number),
            true,
        ))
    })
    .await
}

/// The subscription feed: the plan computed from the index in service at each request, so a
/// subscribed calendar follows moves and cancellations after each refresh.
async fn calendar(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, PLAN, |_, served, p| {
        let ask = PlanAsk::read(p)?;
        let (it, m) = ask.plan(served)?;
        let text = ics::subscription(ics::itinerary(&it, ask.name.as_deref(), clock::now()));
        let mut r = download(
            text,
            "text/calendar; charset=utf-8",
            &format!("ietf{}.ics", m.number),
            false,
        );
        // Calendars poll; each poll must see the index in service, not a cached copy.
        set(&mut r, header::CACHE_CONTROL, "no-cache");
        Ok(r)
    })
    .await
}

// ---- now ----------------------------------------------------------------------------------

const NOW: &[Spec] = &[Spec::one("meeting").chars(6), Spec::one("tz").chars(64)];

async fn now_page(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, NOW, |state, served, p| {
        let m = meeting_of(served, p)?;
        let viewer = p.tz("tz")?;
        let agenda = served.agenda(m.number)?;
        let zones = Zones::new(&m.timezone, viewer);
        let now = clock::now();
        let held: Vec<_> = agenda
            .sessions
            .iter()
            .filter(|s| !s.status.is_cancelled())
            .collect();
        let item = |s: &crate::model::Session| html::NowItem {
            when: html::span(s.start, s.end, zones.meeting),
            when_viewer: zones.viewer.map(|v| html::span(s.start, s.end, v)),
            group: s.group.clone(),
            name: s.group_name.clone(),
            room: s.room.clone().unwrap_or_default(),
            linked: true,
        };
        let mut current: Vec<_> = held
            .iter()
            .filter(|s| s.start <= now && now < s.end)
            .copied()
            .collect();
        current.sort_by_key(|s| (s.start, s.group.clone()));
        let next_start = held.iter().map(|s| s.start).filter(|t| *t > now).min();
        let mut next: Vec<_> = held
            .iter()
            .filter(|s| Some(s.start) == next_start)
            .copied()
            .collect();
        next.sort_by_key(|s| s.group.clone());
        let first = held.iter().map(|s| s.start).min();
        let last = held.iter().map(|s| s.end).max();
        let status = match (first, last) {
            (Some(f), _) if now < f => format!(
                "IETF {} has not started yet; its first session is {}.",
                m.number,
                f.with_timezone(&zones.meeting).format("%A %-d %B at %H:%M")
            ),
            (_, Some(l)) if now >= l => format!("IETF {} is over.", m.number),
            _ if current.is_empty() => "Nothing is on right now.".to_string(),
            _ => String::new(),
        };
        let now_label = {
            let t = now.with_timezone(&zones.meeting);
            let mut s = t.format("%a %-d %b %Y %H:%M").to_string();
            if let Some(v) = zones.viewer {
                s.push_str(&format!(
                    " ({} yours)",
                    now.with_timezone(&v).format("%a %H:%M")
                ));
            }
            s
        };
        let next_label = next_start
            .map(|t| {
                t.with_timezone(&zones.meeting)
                    .format("%a %-d %b %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        render(html::NowPage {
            chrome: chrome(state, served, &m, "Now", "now"),
            now_label,
            zones_label: zones.label(now),
            tz: viewer.map(|t| t.name().to_string()).unwrap_or_default(),
            zones: html::ZONES.to_vec(),
            status,
            current: current.into_iter().map(item).collect(),
            next_label,
            next: next.into_iter().map(item).collect(),
        })
    })
    .await
}

// ---- policy guide -------------------------------------------------------------------------

const GUIDE: &[Spec] = &[Spec::one("meeting").chars(6), Spec::one("since").chars(6)];

/// The guide a request asks for (`meeting=N`, else the newest; `since=M`), from the
/// generation's cache. An unknown meeting or a `since` that is not an earlier meeting in the
/// data is a 400 saying so.
fn guide_of(served: &Served, p: &Params) -> Result<(Meeting, Arc<crate::guide::Guide>), Fail> {
    let m = meeting_of(served, p)?;
    let since = p
        .one("since")
        .map(|v| {
            v.parse::<u32>().map_err(|_| {
                Fail::Bad(format!(
                    "since must be a meeting number (got {:?})",
                    clip(v)
                ))
            })
        })
        .transpose()?;
    let g = served.guide(m.number, since)?;
    Ok((m, g))
}

/// The guide's parameters again, for its download links.
fn guide_pairs(p: &Params) -> String {
    raw_query_of(p, GUIDE)
}

async fn guide_page(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    page(state, raw, GUIDE, |state, served, p| {
        let (m, g) = guide_of(served, p)?;
        let since = g.new_and_notable.since.as_ref().map(|s| s.meeting);
        let mut earlier: Vec<(u32, bool)> = served
            .index()
            .meetings()
            .into_iter()
            .filter(|n| *n < m.number)
            .map(|n| (n, Some(n) == since))
            .collect();
        earlier.reverse();
        let q = guide_pairs(p);
        let link = |path: &str| {
            if q.is_empty() {
                format!("{}{path}", state.base)
            } else {
                format!("{}{path}?{q}", state.base)
            }
        };
        render(html::GuidePage {
            chrome: chrome(state, served, &m, &guide_render::title(&g), "guide"),
            body: guide_render::html_body(&g),
            earlier,
            since,
            md_link: link("/guide.md"),
            json_link: link("/guide.json"),
            file_link: link("/guide.html"),
        })
    })
    .await
}

async fn guide_md(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    guide_download(state, raw, guide_render::markdown, "text/markdown", "md").await
}

/// The self-contained file, as a download: its inline styles are for the file on its own (the
/// site's Content-Security-Policy allows none on its pages).
async fn guide_file(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    guide_download(state, raw, guide_render::html, "text/html", "html").await
}

/// The guide rendered by `render` as an attachment named `ietfN-policy-guide.EXT`.
async fn guide_download(
    state: Arc<State>,
    raw: Option<String>,
    render: fn(&crate::guide::Guide) -> String,
    content_type: &'static str,
    ext: &'static str,
) -> Response<Body> {
    page(state, raw, GUIDE, move |_, served, p| {
        let (m, g) = guide_of(served, p)?;
        Ok(download(
            render(&g),
            &format!("{content_type}; charset=utf-8"),
            &format!("ietf{}-policy-guide.{ext}", m.number),
            true,
        ))
    })
    .await
}

async fn guide_json(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    api(state, raw, GUIDE, |_, served, p| {
        let (_, g) = guide_of(served, p)?;
        let mut buf = Vec::with_capacity(16 * 1024);
        guide_render::json(&g, &mut buf)
            .map_err(|e| Fail::Internal(Error::io("writing JSON", e)))?;
        let mut r = Response::new(Body::from(buf));
        set(&mut r, header::CONTENT_TYPE, "application/json");
        Ok(r)
    })
    .await
}

// ---- health -------------------------------------------------------------------------------

async fn healthz(Shared(state): St, RawQuery(raw): RawQuery) -> Response<Body> {
    api(state, raw, &[], |_, served, _| {
        let idx = served.index();
        let body = serde_json::json!({
            "status": "ok",
            "meetings": idx.meetings(),
            "generation": idx.dir.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            "built_at": idx.meta.built_at,
            "bundled": idx.meta.bundled,
        });
        let mut r = Response::new(Body::from(body.to_string()));
        set(&mut r, header::CONTENT_TYPE, "application/json");
        set(&mut r, header::CACHE_CONTROL, "no-store");
        Ok(r)
    })
    .await
}
