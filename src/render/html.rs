//! HTML pages for `wgrec serve`: view models built from plain `model`/`plan` values, rendered by
//! askama templates (`templates/`) that escape every value by default. Nothing here reads the
//! request or the disk; `crate::serve` builds the views and sends the text.
//!
//! Text from the data (group names, excerpts, rooms) and from the visitor (interests, search
//! text) reaches the page only through escaped template values; the `**bold**` marks of the
//! ranking become `<mark>` by splitting the text into segments, never by passing markup through.
//! Links taken from the data are kept only when they are `http(s)` URLs. The one exception to
//! "only through template values" is the policy guide's content, which `render::guide` writes as
//! HTML with every piece of data escaped there (one renderer for the file and the page).

use crate::model::{Agenda, Meeting, Recommendation, Recommendations, SessionRef, SessionStatus};
use crate::plan::{self, Candidate, Itinerary};
use crate::rank::text::capitalised;
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// Zones offered as suggestions in the time-zone field (any IANA name is accepted).
pub const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Madrid",
    "Europe/Prague",
    "Europe/Vienna",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Mexico_City",
];

/// What every page shares: where it lives, its assets, the meeting it is about.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// URL prefix (`""` or `/wgrec`), for links.
    pub base: String,
    /// Stylesheet and script URLs (with a content hash, so they can be cached for long).
    pub css: String,
    pub js: String,
    pub title: String,
    /// `IETF 115, London` for the header.
    pub meeting: String,
    /// Which navigation entry is current (`home`, `now`, `plan`, ...).
    pub section: &'static str,
    /// What a reader should know about the data (an index older than the snapshot, an
    /// incomplete snapshot), shown on every page.
    pub warnings: Vec<String>,
    /// The meeting the page is about when it is not the newest in the data: links and forms
    /// carry it (`mq` is `?meeting=N`, or empty).
    pub meeting_param: Option<u32>,
    pub mq: String,
}

/// A run of text, highlighted or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Seg {
    pub text: String,
    pub hl: bool,
}

/// Splits text with `**bold**` marks into segments; the marks themselves are dropped.
pub fn segments(s: &str) -> Vec<Seg> {
    s.split("**")
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| Seg {
            text: t.to_string(),
            hl: i % 2 == 1,
        })
        .collect()
}

/// A link from the data, kept only when it is an http(s) URL.
pub fn safe_url(u: Option<&str>) -> Option<String> {
    u.map(str::trim)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(str::to_string)
}

/// A query string from pairs, percent-encoded.
pub fn query(pairs: &[(&str, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// `5–11 November 2022`, or what the meeting's dates allow.
pub fn meeting_dates(m: &Meeting) -> String {
    match (m.start_date, m.end_date) {
        (Some(a), Some(b)) if a.format("%Y-%m").to_string() == b.format("%Y-%m").to_string() => {
            format!("{}–{}", a.format("%-d"), b.format("%-d %B %Y"))
        }
        (Some(a), Some(b)) => format!("{} – {}", a.format("%-d %B"), b.format("%-d %B %Y")),
        (Some(a), None) => a.format("from %-d %B %Y").to_string(),
        _ => String::new(),
    }
}

/// The meeting as the home page and the footer describe it.
#[derive(Debug, Clone)]
pub struct MeetingInfo {
    pub number: u32,
    pub city: String,
    pub dates: String,
    pub timezone: Tz,
    /// When the data in service was built, or that it is the bundled meeting.
    pub data_note: String,
}

impl MeetingInfo {
    pub fn new(m: &Meeting, built_at: &str, bundled: bool) -> Self {
        let data_note = if bundled {
            format!(
                "Data: the IETF {} meeting bundled with wgrec (no live data fetched).",
                m.number
            )
        } else {
            let when = DateTime::parse_from_rfc3339(built_at)
                .map(|t| {
                    t.with_timezone(&Utc)
                        .format("%-d %b %Y %H:%M UTC")
                        .to_string()
                })
                .unwrap_or_else(|_| built_at.to_string());
            format!("Data last refreshed {when}.")
        };
        Self {
            number: m.number,
            city: m.city.clone(),
            dates: meeting_dates(m),
            timezone: m.timezone,
            data_note,
        }
    }
}

/// A checkbox or option of a form.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub on: bool,
}

/// The recommend form, filled with what was asked.
#[derive(Debug, Clone)]
pub struct RecommendForm {
    /// At least three fields, the asked interests first.
    pub interests: Vec<String>,
    pub days: Vec<Choice>,
    pub areas: Vec<Choice>,
    pub tz: String,
    pub zones: Vec<&'static str>,
    /// A day or an area was chosen.
    pub filtered: bool,
}

/// The meeting's days (in its zone) as checkboxes, and its areas as options.
pub fn form_choices(
    agenda: &Agenda,
    chosen_days: &[NaiveDate],
    chosen_areas: &[String],
) -> (Vec<Choice>, Vec<Choice>) {
    let tz: Tz = agenda.meeting.timezone;
    let mut days: Vec<NaiveDate> = agenda
        .sessions
        .iter()
        .filter(|s| !s.status.is_cancelled())
        .map(|s| s.start.with_timezone(&tz).date_naive())
        .collect();
    days.sort();
    days.dedup();
    let days = days
        .into_iter()
        .map(|d| Choice {
            value: d.format("%Y-%m-%d").to_string(),
            label: d.format("%a %-d %b").to_string(),
            on: chosen_days.contains(&d),
        })
        .collect();
    let mut areas: BTreeMap<String, String> = BTreeMap::new();
    for s in &agenda.sessions {
        if let Some(a) = &s.area {
            let a = a.to_lowercase();
            let name = agenda
                .area_names
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&a))
                .map(|(_, v)| format!("{} ({a})", v))
                .unwrap_or_else(|| a.clone());
            areas.insert(a, name);
        }
    }
    let areas = areas
        .into_iter()
        .map(|(value, label)| Choice {
            on: chosen_areas.contains(&value),
            value,
            label,
        })
        .collect();
    (days, areas)
}

impl RecommendForm {
    pub fn new(
        interests: &[String],
        days: Vec<Choice>,
        areas: Vec<Choice>,
        tz: Option<Tz>,
    ) -> Self {
        let mut interests = interests.to_vec();
        while interests.len() < 3 {
            interests.push(String::new());
        }
        let filtered = days.iter().chain(&areas).any(|c| c.on);
        Self {
            interests,
            days,
            areas,
            tz: tz.map(|t| t.name().to_string()).unwrap_or_default(),
            zones: ZONES.to_vec(),
            filtered,
        }
    }
}

/// One session as a line of a result or a group page.
#[derive(Debug, Clone)]
pub struct SessionLine {
    /// `Mon 7 Nov 09:30–11:30` in the meeting's zone.
    pub when: String,
    /// The same in the viewer's zone, when one was chosen and differs.
    pub when_viewer: Option<String>,
    pub room: String,
    /// `cancelled`, `rescheduled`, or nothing.
    pub status: Option<&'static str>,
    pub session_url: String,
    pub agenda_url: Option<String>,
}

/// `Mon 7 Nov 09:30–11:30`, the end's day added when it differs.
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let a = start.with_timezone(&tz);
    let b = end.with_timezone(&tz);
    if a.date_naive() == b.date_naive() {
        format!("{}–{}", a.format("%a %-d %b %H:%M"), b.format("%H:%M"))
    } else {
        format!(
            "{}–{}",
            a.format("%a %-d %b %H:%M"),
            b.format("%a %-d %b %H:%M")
        )
    }
}

/// `Asia/Tokyo (JST)`: the zone with its abbreviation at `at`.
pub fn zone_label(tz: Tz, at: DateTime<Utc>) -> String {
    let abbr = at.with_timezone(&tz).format("%Z").to_string();
    if abbr.is_empty() || abbr == tz.name() || abbr.starts_with(['+', '-']) {
        tz.name().to_string()
    } else {
        format!("{} ({abbr})", tz.name())
    }
}

fn status_word(s: &SessionStatus) -> Option<&'static str> {
    if s.is_cancelled() {
        Some("cancelled")
    } else if *s == SessionStatus::Rescheduled {
        Some("rescheduled")
    } else {
        None
    }
}

/// Where the times are shown: the meeting's zone and, when chosen, the viewer's.
#[derive(Debug, Clone, Copy)]
pub struct Zones {
    pub meeting: Tz,
    pub viewer: Option<Tz>,
}

impl Zones {
    pub fn new(meeting_tz: &Tz, viewer: Option<Tz>) -> Self {
        let meeting = *meeting_tz;
        Self {
            meeting,
            viewer: viewer.filter(|v| *v != meeting),
        }
    }

    pub fn line(&self, s: &SessionRef, meeting: u32, group: &str, agenda: &Agenda) -> SessionLine {
        let agenda_url = agenda
            .sessions
            .iter()
            .find(|a| a.id == s.id)
            .and_then(|a| safe_url(a.agenda_url.as_deref()));
        SessionLine {
            when: span(s.start, s.end, self.meeting),
            when_viewer: self.viewer.map(|v| span(s.start, s.end, v)),
            room: s.room.clone().unwrap_or_default(),
            status: status_word(&s.status),
            session_url: plan::session_url(meeting, group),
            agenda_url,
        }
    }

    /// Names the zones for a page's heading, e.g. `Times in Europe/London (GMT); yours: Asia/Tokyo (JST)`.
    pub fn label(&self, at: DateTime<Utc>) -> String {
        match self.viewer {
            Some(v) => format!(
                "Times in {}, and in {}",
                zone_label(self.meeting, at),
                zone_label(v, at)
            ),
            None => format!("Times in {}", zone_label(self.meeting, at)),
        }
    }
}

/// One group in a ranked list.
#[derive(Debug, Clone)]
pub struct ResultItem {
    pub rank: usize,
    pub group: String,
    pub group_name: String,
    pub area: String,
    pub is_bof: bool,
    /// `Strong match` / `Possible match`, when the ranking says.
    pub strength: Option<String>,
    /// CSS class for the strength.
    pub strength_class: &'static str,
    /// The plain-sentence reason, when the ranking gives one.
    pub reason: Option<String>,
    /// The interests served and the words that matched.
    pub matched_interests: String,
    pub matched_terms: String,
    pub excerpt: Vec<Seg>,
    pub sessions: Vec<SessionLine>,
}

/// The ranked list as the page shows it.
pub fn result_items(recs: &Recommendations, zones: Zones, agenda: &Agenda) -> Vec<ResultItem> {
    recs.results
        .iter()
        .map(|r| result_item(r, recs.meeting, zones, agenda))
        .collect()
}

fn result_item(r: &Recommendation, meeting: u32, zones: Zones, agenda: &Agenda) -> ResultItem {
    let (strength, strength_class) = strength_of(r);
    ResultItem {
        rank: r.rank,
        group: r.group.clone(),
        group_name: r.group_name.clone(),
        area: r.area.clone().unwrap_or_default(),
        is_bof: r.is_bof,
        strength,
        strength_class,
        reason: reason_of(r),
        matched_interests: matched_words(&r.matched_interests, &r.strong_interests),
        matched_terms: r.matched_terms.join(", "),
        excerpt: segments(&super::beyond_reason(&r.reason, &r.excerpt)),
        sessions: r
            .sessions
            .iter()
            .map(|s| zones.line(s, meeting, &r.group, agenda))
            .collect(),
    }
}

/// The ranking's strength in words (`Strong match`), and the CSS class for it.
fn strength_of(r: &Recommendation) -> (Option<String>, &'static str) {
    (Some(capitalised(r.strength.label())), r.strength.as_str())
}

/// The ranking's plain-sentence reason, when it gives one.
fn reason_of(r: &Recommendation) -> Option<String> {
    Some(r.reason.trim().to_string()).filter(|s| !s.is_empty())
}

/// A ranked list split as the page shows it: strong matches first, then possible ones (the
/// ranking already orders them so; this keeps the order within each part).
pub fn split_by_strength(items: Vec<ResultItem>) -> (Vec<ResultItem>, Vec<ResultItem>) {
    items
        .into_iter()
        .partition(|r| r.strength_class == "strong")
}

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub info: MeetingInfo,
    pub form: RecommendForm,
    /// The other meetings in the data, newest first.
    pub other_meetings: Vec<u32>,
    pub sessions: usize,
    pub groups: usize,
}

/// `/recommend`.
#[derive(Template)]
#[template(path = "recommend.html")]
pub struct RecommendPage {
    pub chrome: Chrome,
    pub form: RecommendForm,
    pub interests: String,
    pub zones_label: String,
    /// Strong matches, then possible ones.
    pub strong: Vec<ResultItem>,
    pub possible: Vec<ResultItem>,
    /// Plain notes from the ranking (an interest without a strong match, spellings to try).
    pub notes: Vec<String>,
    /// Same interests and days, as a plan (`/plan?...`) and as JSON.
    pub plan_link: String,
    pub api_link: String,
}

/// `/search`.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub q: String,
    pub tz: String,
    pub zones: Vec<&'static str>,
    pub zones_label: String,
    pub strong: Vec<ResultItem>,
    pub possible: Vec<ResultItem>,
    pub notes: Vec<String>,
    pub api_link: String,
}

/// `/group/<acronym>`.
#[derive(Template)]
#[template(path = "group.html")]
pub struct GroupPage {
    pub chrome: Chrome,
    pub acronym: String,
    pub name: String,
    pub area: String,
    pub kind: String,
    pub is_bof: bool,
    /// The group's description (charter) in paragraphs.
    pub about: Vec<String>,
    pub zones_label: String,
    pub sessions: Vec<SessionLine>,
    pub group_url: String,
    pub meeting: u32,
}

/// One chosen session of a plan.
#[derive(Debug, Clone)]
pub struct PlanSlot {
    pub time: String,
    pub time_viewer: Option<String>,
    pub group: String,
    pub group_name: String,
    pub is_bof: bool,
    pub must: bool,
    pub room: String,
    pub url: String,
    /// `Strong match` / `Possible match`, and its CSS class.
    pub strength: String,
    pub strength_class: &'static str,
    /// The plain sentence saying why.
    pub reason: String,
    /// The fragment of the description or agenda, matches highlighted.
    pub excerpt: Vec<Seg>,
    pub matched: String,
    pub alternatives: Vec<String>,
    pub also_meets: Vec<String>,
}

/// One day of a plan.
#[derive(Debug, Clone)]
pub struct PlanDay {
    pub label: String,
    pub slots: Vec<PlanSlot>,
}

/// The plan form, filled with what was asked.
#[derive(Debug, Clone)]
pub struct PlanForm {
    pub interests: Vec<String>,
    pub days: Vec<Choice>,
    pub max: u64,
    pub gap: u64,
    pub must: String,
    pub exclude: String,
    pub name: String,
    pub tz: String,
    pub zones: Vec<&'static str>,
    /// Fill free slots with possible matches too.
    pub possible: bool,
}

/// `/plan`.
#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub chrome: Chrome,
    pub form: PlanForm,
    /// False when no interest was given yet: the page is only the form.
    pub planned: bool,
    pub heading: String,
    pub zones_label: String,
    pub days: Vec<PlanDay>,
    pub sessions: usize,
    pub must_problems: Vec<String>,
    pub not_held: Vec<String>,
    /// Possible matches that clash with nothing planned.
    pub if_time_allows: Vec<String>,
    pub notes: Vec<String>,
    pub md_link: String,
    pub ics_link: String,
    pub webcal_link: Option<String>,
    pub feed_link: String,
}

fn hm(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

/// The plan's days and slots as the page shows them.
pub fn plan_days(it: &Itinerary, zones: Zones) -> Vec<PlanDay> {
    it.days
        .iter()
        .map(|d| PlanDay {
            label: d.date.format("%A %-d %B").to_string(),
            slots: d
                .slots
                .iter()
                .map(|s| {
                    let c = &s.chosen;
                    let t = |tz| format!("{}–{}", hm(c.session.start, tz), hm(c.session.end, tz));
                    PlanSlot {
                        time: t(zones.meeting),
                        time_viewer: zones
                            .viewer
                            .map(|v| span(c.session.start, c.session.end, v)),
                        group: c.group.clone(),
                        group_name: c.group_name.clone(),
                        is_bof: c.is_bof,
                        must: s.must,
                        room: c.session.room.clone().unwrap_or_default(),
                        url: c.url.clone(),
                        strength: capitalised(c.strength.label()),
                        strength_class: c.strength.as_str(),
                        reason: c.reason.trim().to_string(),
                        excerpt: segments(&super::beyond_reason(&c.reason, &c.excerpt)),
                        matched: matched_words(&c.matched_interests, &c.strong_interests),
                        alternatives: s.alternatives.iter().map(alternative).collect(),
                        also_meets: s
                            .also_meets
                            .iter()
                            .map(|m| span(m.start, m.end, zones.meeting))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The interests a result serves, "possibly" before those it is only possibly related to when
/// it is strong for others: the strength shown above them is the strong one.
fn matched_words(matched: &[String], strong: &[String]) -> String {
    match super::interests_by_strength(matched, strong) {
        (strong, possible) if !strong.is_empty() && !possible.is_empty() => {
            format!("{}; possibly {}", strong.join("; "), possible.join("; "))
        }
        _ => matched.join("; "),
    }
}

fn alternative(a: &Candidate) -> String {
    if a.group_name.is_empty() || a.group_name.eq_ignore_ascii_case(&a.group) {
        a.group.clone()
    } else {
        format!("{} ({})", a.group, a.group_name)
    }
}

/// Possible matches outside the plan that clash with nothing in it, in words.
pub fn if_time_allows(it: &Itinerary, zones: Zones) -> Vec<String> {
    it.if_time_allows
        .iter()
        .map(|c| {
            format!(
                "{} ({})",
                alternative(c),
                span(c.session.start, c.session.end, zones.meeting)
            )
        })
        .collect()
}

/// Relevant sessions that will not be held, in words.
pub fn not_held(it: &Itinerary, zones: Zones) -> Vec<String> {
    it.not_held
        .iter()
        .map(|c| {
            let what = if c.session.status.is_cancelled() {
                "cancelled"
            } else {
                "rescheduled"
            };
            format!(
                "{} ({}): {what}",
                c.group,
                span(c.session.start, c.session.end, zones.meeting)
            )
        })
        .collect()
}

/// One session on `/now`.
#[derive(Debug, Clone)]
pub struct NowItem {
    pub when: String,
    pub when_viewer: Option<String>,
    pub group: String,
    pub name: String,
    pub room: String,
    /// A group's session (has a group page), as opposed to a break or plenary.
    pub linked: bool,
}

/// `/now`.
#[derive(Template)]
#[template(path = "now.html")]
pub struct NowPage {
    pub chrome: Chrome,
    pub now_label: String,
    pub zones_label: String,
    pub tz: String,
    pub zones: Vec<&'static str>,
    /// Said when nothing is on (before or after the meeting, between slots).
    pub status: String,
    pub current: Vec<NowItem>,
    pub next_label: String,
    pub next: Vec<NowItem>,
}

/// `/guide`: the meeting's policy guide inside the site's page.
#[derive(Template)]
#[template(path = "guide.html")]
pub struct GuidePage {
    pub chrome: Chrome,
    /// `render::guide::html_body`: markup whose data is already escaped.
    pub body: String,
    /// Earlier meetings in the data a visitor may compare with, newest first, and whether it is
    /// the one compared with.
    pub earlier: Vec<(u32, bool)>,
    pub since: Option<u32>,
    /// Links to the guide as Markdown and JSON (with the same parameters).
    pub md_link: String,
    pub json_link: String,
    pub file_link: String,
}

/// The 400/404/500 page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub heading: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_marks_become_segments() {
        let s = segments("a **b** c **d**");
        assert_eq!(
            s,
            vec![
                Seg {
                    text: "a ".into(),
                    hl: false
                },
                Seg {
                    text: "b".into(),
                    hl: true
                },
                Seg {
                    text: " c ".into(),
                    hl: false
                },
                Seg {
                    text: "d".into(),
                    hl: true
                },
            ]
        );
    }

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(safe_url(Some("javascript:alert(1)")), None);
        assert_eq!(
            safe_url(Some("https://datatracker.ietf.org/x")).as_deref(),
            Some("https://datatracker.ietf.org/x")
        );
    }

    #[test]
    fn query_strings_are_encoded() {
        assert_eq!(
            query(&[("interest", "a&b c".into()), ("day", String::new())]),
            "interest=a%26b+c"
        );
    }
}
