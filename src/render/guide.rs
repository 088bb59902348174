//! The policy guide (`crate::guide`) as Markdown (to send), one self-contained HTML file with
//! print CSS (to print), and JSON (the documented contract).
//!
//! Every format has the same parts in the same order: the title and the meeting's dates and time
//! zone, the "at a glance" table (topic -> groups with their days), "New and notable", then one
//! section per topic. A group is described once, under its first topic (BoFs without a topic
//! under "New and notable"), and named with a pointer everywhere else.

use super::md_escape;
use crate::guide::{GroupMention, Guide, GuideGroup};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The guide's output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    /// By a file's extension: `.html`/`.htm` HTML, `.json` JSON, anything else Markdown.
    pub fn for_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("html" | "htm") => Self::Html,
            Some("json") => Self::Json,
            _ => Self::Markdown,
        }
    }
}

pub fn render(g: &Guide, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => json(g, out),
        Format::Markdown => out.write_all(markdown(g).as_bytes()),
        Format::Html => out.write_all(html(g).as_bytes()),
    }
}

pub fn json(g: &Guide, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, g).map_err(io::Error::other)?;
    writeln!(out)
}

/// `encrypted dns` -> `Encrypted DNS`: topic names are lower case in the vocabulary (titled as
/// a reason's label is).
pub fn topic_title(name: &str) -> String {
    crate::rank::text::label(name, "")
}

fn tz(g: &Guide) -> Tz {
    g.timezone
}

/// `Europe/Dublin (GMT)`: the zone and its abbreviation during the meeting.
fn zone_label(g: &Guide) -> String {
    let tz = tz(g);
    let at = g
        .groups
        .iter()
        .flat_map(|x| x.sessions.first())
        .map(|s| s.start)
        .min()
        .unwrap_or(g.generated);
    let abbr = at.with_timezone(&tz).format("%Z").to_string();
    if abbr.is_empty() || abbr == tz.name() || abbr.starts_with(['+', '-']) {
        tz.name().to_string()
    } else {
        format!("{} ({abbr})", tz.name())
    }
}

/// `Saturday 2 to Friday 8 November 2024`, when the agenda gives the dates.
fn dates(g: &Guide) -> Option<String> {
    let (a, b) = (g.start_date?, g.end_date?);
    Some(
        if a.format("%Y-%m").to_string() == b.format("%Y-%m").to_string() {
            format!("{} to {}", a.format("%A %-d"), b.format("%A %-d %B %Y"))
        } else {
            format!("{} to {}", a.format("%A %-d %B"), b.format("%A %-d %B %Y"))
        },
    )
}

fn intro(g: &Guide) -> String {
    let mut s = String::new();
    if !g.city.is_empty() {
        let _ = write!(s, "{}, ", g.city);
    }
    if let Some(d) = dates(g) {
        let _ = write!(s, "{d}. ");
    }
    let _ = write!(
        s,
        "Times are in {}, the meeting's local time. The topics are those of wgrec's policy \
         vocabulary that groups at this meeting match strongly; each names its few best groups \
         whose work is mainly about policy, and any new work. Each group is described once, \
         under its first topic.",
        zone_label(g)
    );
    s
}

/// `Mon 4 Nov 09:30–11:30, Liffey A`.
fn session_line(s: &crate::model::SessionRef, tz: Tz) -> (String, String) {
    let a = s.start.with_timezone(&tz);
    let b = s.end.with_timezone(&tz);
    (
        format!("{}–{}", a.format("%a %-d %b %H:%M"), b.format("%H:%M")),
        s.room
            .clone()
            .unwrap_or_else(|| "room not announced".into()),
    )
}

/// The days a group meets, `Mon, Thu`.
fn days(gr: &GuideGroup, tz: Tz) -> String {
    let mut d: Vec<(chrono::NaiveDate, String)> = gr
        .sessions
        .iter()
        .map(|s| {
            let t = s.start.with_timezone(&tz);
            (t.date_naive(), t.format("%a").to_string())
        })
        .collect();
    d.dedup();
    d.into_iter().map(|x| x.1).collect::<Vec<_>>().join(", ")
}

fn by_acronym(g: &Guide) -> BTreeMap<&str, &GuideGroup> {
    g.groups.iter().map(|x| (x.acronym.as_str(), x)).collect()
}

fn comparison(g: &Guide) -> String {
    let m: Vec<String> = g
        .new_and_notable
        .compared_with
        .iter()
        .map(|m| format!("IETF {m}"))
        .collect();
    match m.len() {
        0 => String::new(),
        1 => m[0].clone(),
        _ => format!("{} and {}", m[..m.len() - 1].join(", "), m[m.len() - 1]),
    }
}

/// The sentence naming the topics left out as too broad, if any.
fn broad(g: &Guide) -> Option<String> {
    if g.broad_topics.is_empty() {
        return None;
    }
    let list: Vec<String> = g
        .broad_topics
        .iter()
        .map(|b| format!("{} ({} groups)", topic_title(&b.name), b.groups))
        .collect();
    Some(format!(
        "Left out because too many of the meeting's groups match them to tell any apart: {}.",
        list.join(", ")
    ))
}

// ----------------------------------------------------------------------------- Markdown

fn md_group_label(gr: &GuideGroup) -> String {
    let mut s = format!("{}: {}", md_escape(&gr.acronym), md_escape(&gr.name));
    if gr.is_bof {
        s.push_str(" (BoF)");
    }
    s
}

fn md_group(out: &mut String, gr: &GuideGroup, tz: Tz) {
    let _ = writeln!(out, "### {}\n", md_group_label(gr));
    let _ = writeln!(out, "{}\n", md_escape(&gr.summary));
    if gr.sessions.is_empty() {
        let _ = writeln!(out, "- No session at this meeting is still scheduled.");
    }
    for s in &gr.sessions {
        let (when, room) = session_line(s, tz);
        let _ = writeln!(out, "- {when}, {}", md_escape(&room));
    }
    let others: Vec<String> = gr
        .topics
        .iter()
        .filter(|t| Some(*t) != gr.described_under.as_ref())
        .map(|t| topic_title(t))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "- Also under: {}", md_escape(&others.join(", ")));
    }
    let _ = writeln!(out, "- Datatracker: <{}>\n", gr.url);
}

fn md_mentions(list: &[GroupMention], g: &Guide) -> String {
    let groups = by_acronym(g);
    list.iter()
        .map(|m| {
            let mut s = format!("{} ({})", md_escape(&m.acronym), md_escape(&m.name));
            if let Some(gr) = groups.get(m.acronym.as_str()) {
                let _ = write!(s, ", {}", md_escape(&where_described(gr)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn where_described(gr: &GuideGroup) -> String {
    match &gr.described_under {
        Some(t) => format!("see {}", topic_title(t)),
        None => "see New and notable".to_string(),
    }
}

/// The guide as Markdown. Stays whole: the document top to bottom, as it reads.
pub fn markdown(g: &Guide) -> String {
    let tz = tz(g);
    let groups = by_acronym(g);
    let mut out = String::new();
    let _ = writeln!(out, "# IETF {} policy guide\n", g.meeting);
    let _ = writeln!(out, "{}\n", md_escape(&intro(g)));

    let _ = writeln!(out, "## At a glance\n");
    if g.topics.is_empty() {
        let _ = writeln!(
            out,
            "No group at this meeting matches a policy topic strongly.\n"
        );
    } else {
        let _ = writeln!(out, "| Topic | Groups (days) |");
        let _ = writeln!(out, "|---|---|");
        for t in &g.topics {
            let cells: Vec<String> = t
                .groups
                .iter()
                .map(|a| {
                    let d = groups
                        .get(a.as_str())
                        .map(|x| days(x, tz))
                        .unwrap_or_default();
                    format!("{} ({})", md_escape(a), d)
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} |",
                md_escape(&topic_title(&t.name)),
                cells.join(", ")
            );
        }
        out.push('\n');
    }

    if let Some(b) = broad(g) {
        let _ = writeln!(out, "{}\n", md_escape(&b));
    }

    let nn = &g.new_and_notable;
    let _ = writeln!(out, "## New and notable\n");
    if nn.bofs.is_empty() {
        let _ = writeln!(out, "**BoFs:** none at this meeting.\n");
    } else {
        let listed: Vec<String> = nn
            .bofs
            .iter()
            .filter_map(|b| groups.get(b.as_str()))
            .map(|gr| {
                let mut s = format!("{} ({})", md_escape(&gr.acronym), md_escape(&gr.name));
                if gr.described_under.is_some() {
                    let _ = write!(s, ", {}", md_escape(&where_described(gr)));
                }
                s
            })
            .collect();
        let _ = writeln!(
            out,
            "**BoFs** (birds-of-a-feather sessions, where new work is proposed): {}.\n",
            listed.join("; ")
        );
    }
    if nn.compared_with.is_empty() {
        let _ = writeln!(
            out,
            "**Meeting for the first time:** the snapshot holds no earlier meeting to compare \
             with.\n"
        );
    } else if nn.first_time.is_empty() {
        let _ = writeln!(
            out,
            "**Meeting for the first time** (compared with {}): none.\n",
            comparison(g)
        );
    } else {
        let _ = writeln!(
            out,
            "**Meeting for the first time** (compared with {}): {}.\n",
            comparison(g),
            md_mentions(&nn.first_time, g)
        );
    }
    if let Some(s) = &nn.since {
        if s.gone.is_empty() {
            let _ = writeln!(
                out,
                "**Gone since IETF {}:** every group that met then meets again.\n",
                s.meeting
            );
        } else {
            let _ = writeln!(
                out,
                "**Gone since IETF {}** (met then, not at this meeting): {}.\n",
                s.meeting,
                md_mentions(&s.gone, g)
            );
        }
        if s.topics.is_empty() {
            let _ = writeln!(
                out,
                "**Topics since IETF {}:** the same groups match every topic.\n",
                s.meeting
            );
        } else {
            let _ = writeln!(out, "**Topics that changed since IETF {}:**\n", s.meeting);
            for c in &s.topics {
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    md_escape(&topic_title(&c.topic)),
                    gained_and_lost(c, md_escape)
                );
            }
            out.push('\n');
        }
    }
    for gr in g.groups.iter().filter(|x| x.described_under.is_none()) {
        md_group(&mut out, gr, tz);
    }

    for t in &g.topics {
        let _ = writeln!(out, "## {}\n", md_escape(&topic_title(&t.name)));
        if let Some(gl) = &t.gloss {
            let _ = writeln!(out, "*{}*\n", md_escape(gl));
        }
        let mut elsewhere = Vec::new();
        for a in &t.groups {
            let Some(gr) = groups.get(a.as_str()) else {
                continue;
            };
            if gr.described_under.as_deref() == Some(t.name.as_str()) {
                md_group(&mut out, gr, tz);
            } else {
                elsewhere.push(format!(
                    "{} ({}, {})",
                    md_escape(&gr.acronym),
                    md_escape(&gr.name),
                    md_escape(&where_described(gr))
                ));
            }
        }
        if !elsewhere.is_empty() {
            let _ = writeln!(out, "Also on this topic: {}.\n", elsewhere.join("; "));
        }
    }
    let _ = writeln!(
        out,
        "---\n\n{} groups in {} topics. Written by wgrec on {} from the IETF {} agenda and the \
         groups' datatracker pages.",
        g.groups.len(),
        g.topics.len(),
        g.generated.format("%Y-%m-%d %H:%M UTC"),
        g.meeting
    );
    out
}

// ----------------------------------------------------------------------------- HTML

/// "gained a, b; lost c" for a topic that changed, its group lists escaped for the format.
fn gained_and_lost(c: &crate::guide::TopicChange, escape: fn(&str) -> String) -> String {
    let mut parts = Vec::new();
    if !c.gained.is_empty() {
        parts.push(format!("gained {}", escape(&c.gained.join(", "))));
    }
    if !c.lost.is_empty() {
        parts.push(format!("lost {}", escape(&c.lost.join(", "))));
    }
    parts.join("; ")
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An id for an HTML anchor: letters, digits and `-` only.
fn anchor(prefix: &str, s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{body}")
}

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 11pt;
  line-height: 1.4; color: #111; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 20pt; margin: 0 0 .3rem; }
h2 { font-size: 15pt; margin: 1.4rem 0 .4rem; border-bottom: 1px solid #999; padding-bottom: .1rem; }
h3 { font-size: 12pt; margin: 1rem 0 .2rem; }
p { margin: .3rem 0; }
.intro { color: #333; }
.gloss { font-style: italic; color: #333; }
table.glance { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
table.glance th, table.glance td { border: 1px solid #bbb; padding: .15rem .35rem; text-align: left;
  vertical-align: top; }
table.glance th { background: #eee; }
table.glance td:first-child { white-space: nowrap; font-weight: bold; }
.group { break-inside: avoid; page-break-inside: avoid; }
.group ul { margin: .2rem 0 .5rem; padding-left: 1.2rem; }
.bof { font-size: 8.5pt; border: 1px solid #555; border-radius: 3px; padding: 0 .25rem;
  margin-left: .3rem; vertical-align: middle; font-weight: normal; }
.see { color: #333; }
a { color: #0645ad; }
footer { margin-top: 2rem; font-size: 9pt; color: #444; border-top: 1px solid #999; padding-top: .3rem; }
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h1 { font-size: 16pt; }
  .intro { font-size: 9pt; }
  #glance h2 { margin-top: .6rem; }
  table.glance { font-size: 8pt; line-height: 1.2; }
  table.glance th, table.glance td { padding: 1px 3px; }
  #glance { break-after: page; page-break-after: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: #111; text-decoration: none; }
  .url::after { content: " (" attr(href) ")"; font-size: 8.5pt; color: #333; word-break: break-all; }
}
"#;

fn html_group(out: &mut String, gr: &GuideGroup, tz: Tz) {
    let _ = writeln!(
        out,
        "<section class=\"group\" id=\"{}\">",
        anchor("g", &gr.acronym)
    );
    let bof = if gr.is_bof {
        "<span class=\"bof\">BoF</span>"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<h3>{}: {}{bof}</h3>",
        html_escape(&gr.acronym),
        html_escape(&gr.name)
    );
    let _ = writeln!(out, "<p>{}</p>", html_escape(&gr.summary));
    let _ = writeln!(out, "<ul>");
    if gr.sessions.is_empty() {
        let _ = writeln!(
            out,
            "<li>No session at this meeting is still scheduled.</li>"
        );
    }
    for s in &gr.sessions {
        let (when, room) = session_line(s, tz);
        let _ = writeln!(
            out,
            "<li>{}, {}</li>",
            html_escape(&when),
            html_escape(&room)
        );
    }
    let others: Vec<String> = gr
        .topics
        .iter()
        .filter(|t| Some(*t) != gr.described_under.as_ref())
        .map(|t| {
            format!(
                "<a href=\"#{}\">{}</a>",
                anchor("t", t),
                html_escape(&topic_title(t))
            )
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "<li>Also under: {}</li>", others.join(", "));
    }
    let _ = writeln!(
        out,
        "<li>Datatracker: <a class=\"url\" href=\"{0}\">group page</a></li>",
        html_escape(&gr.url)
    );
    let _ = writeln!(out, "</ul>\n</section>");
}

fn html_ref(gr: &GuideGroup) -> String {
    format!(
        "<a href=\"#{}\">{}</a> ({})",
        anchor("g", &gr.acronym),
        html_escape(&gr.acronym),
        html_escape(&gr.name)
    )
}

fn html_mentions(list: &[GroupMention], g: &Guide) -> String {
    let groups = by_acronym(g);
    list.iter()
        .map(|m| match groups.get(m.acronym.as_str()) {
            Some(gr) => html_ref(gr),
            None => format!("{} ({})", html_escape(&m.acronym), html_escape(&m.name)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The guide's title, as the HTML document and the web page show it.
pub fn title(g: &Guide) -> String {
    format!("IETF {} policy guide", g.meeting)
}

/// The guide as one self-contained HTML file (styles inline, print styles for A4): the document
/// around [`html_body`].
pub fn html(g: &Guide) -> String {
    let title = title(g);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"wgrec\">\n<title>{}</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n{}</body>\n</html>\n",
        html_escape(&title),
        html_body(g)
    )
}

/// The guide's content as HTML flow content (heading, "at a glance", "new and notable", the
/// topics, a footer), every piece of data escaped: the body of [`html`]'s file, and what
/// `wgrec serve` puts inside its page at `/guide`. Its ids start with `g-` (groups), `t-`
/// (topics), or are `glance` and `notable`.
/// Stays whole: the document top to bottom, as it reads.
pub fn html_body(g: &Guide) -> String {
    let tz = tz(g);
    let groups = by_acronym(g);
    let title = title(g);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"intro\">{}</p>\n</header>",
        html_escape(&title),
        html_escape(&intro(g))
    );

    let _ = writeln!(out, "<section id=\"glance\">\n<h2>At a glance</h2>");
    if g.topics.is_empty() {
        let _ = writeln!(
            out,
            "<p>No group at this meeting matches a policy topic strongly.</p>"
        );
    } else {
        let _ = writeln!(
            out,
            "<table class=\"glance\">\n<thead><tr><th scope=\"col\">Topic</th>\
             <th scope=\"col\">Groups (days)</th></tr></thead>\n<tbody>"
        );
        for t in &g.topics {
            let cells: Vec<String> = t
                .groups
                .iter()
                .map(|a| {
                    let d = groups
                        .get(a.as_str())
                        .map(|x| days(x, tz))
                        .unwrap_or_default();
                    format!(
                        "<a href=\"#{}\">{}</a>&nbsp;({})",
                        anchor("g", a),
                        html_escape(a),
                        html_escape(&d)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td></tr>",
                anchor("t", &t.name),
                html_escape(&topic_title(&t.name)),
                cells.join(", ")
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    if let Some(b) = broad(g) {
        let _ = writeln!(out, "<p class=\"see\">{}</p>", html_escape(&b));
    }
    let _ = writeln!(out, "</section>");

    let nn = &g.new_and_notable;
    let _ = writeln!(out, "<section id=\"notable\">\n<h2>New and notable</h2>");
    if nn.bofs.is_empty() {
        let _ = writeln!(out, "<p><strong>BoFs:</strong> none at this meeting.</p>");
    } else {
        let list: Vec<String> = nn
            .bofs
            .iter()
            .filter_map(|b| groups.get(b.as_str()))
            .map(|gr| html_ref(gr))
            .collect();
        let _ = writeln!(
            out,
            "<p><strong>BoFs</strong> (birds-of-a-feather sessions, where new work is \
             proposed): {}.</p>",
            list.join("; ")
        );
    }
    if nn.compared_with.is_empty() {
        let _ = writeln!(
            out,
            "<p><strong>Meeting for the first time:</strong> the snapshot holds no earlier \
             meeting to compare with.</p>"
        );
    } else {
        let list = if nn.first_time.is_empty() {
            "none".to_string()
        } else {
            html_mentions(&nn.first_time, g)
        };
        let _ = writeln!(
            out,
            "<p><strong>Meeting for the first time</strong> (compared with {}): {list}.</p>",
            html_escape(&comparison(g))
        );
    }
    if let Some(s) = &nn.since {
        if s.gone.is_empty() {
            let _ = writeln!(
                out,
                "<p><strong>Gone since IETF {}:</strong> every group that met then meets \
                 again.</p>",
                s.meeting
            );
        } else {
            let _ = writeln!(
                out,
                "<p><strong>Gone since IETF {}</strong> (met then, not at this meeting): \
                 {}.</p>",
                s.meeting,
                html_mentions(&s.gone, g)
            );
        }
        if s.topics.is_empty() {
            let _ = writeln!(
                out,
                "<p><strong>Topics since IETF {}:</strong> the same groups match every \
                 topic.</p>",
                s.meeting
            );
        } else {
            let _ = writeln!(
                out,
                "<p><strong>Topics that changed since IETF {}:</strong></p>\n<ul>",
                s.meeting
            );
            for c in &s.topics {
                let _ = writeln!(
                    out,
                    "<li>{}: {}</li>",
                    html_escape(&topic_title(&c.topic)),
                    gained_and_lost(c, html_escape)
                );
            }
            let _ = writeln!(out, "</ul>");
        }
    }
    for gr in g.groups.iter().filter(|x| x.described_under.is_none()) {
        html_group(&mut out, gr, tz);
    }
    let _ = writeln!(out, "</section>");

    for t in &g.topics {
        let _ = writeln!(
            out,
            "<section class=\"topic\" id=\"{}\">\n<h2>{}</h2>",
            anchor("t", &t.name),
            html_escape(&topic_title(&t.name))
        );
        if let Some(gl) = &t.gloss {
            let _ = writeln!(out, "<p class=\"gloss\">{}</p>", html_escape(gl));
        }
        let mut elsewhere = Vec::new();
        for a in &t.groups {
            let Some(gr) = groups.get(a.as_str()) else {
                continue;
            };
            if gr.described_under.as_deref() == Some(t.name.as_str()) {
                html_group(&mut out, gr, tz);
            } else {
                elsewhere.push(html_ref(gr));
            }
        }
        if !elsewhere.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"see\">Also on this topic: {}.</p>",
                elsewhere.join("; ")
            );
        }
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(
        out,
        "<footer>{} groups in {} topics. Written by wgrec on {} from the IETF {} agenda and the \
         groups' datatracker pages.</footer>",
        g.groups.len(),
        g.topics.len(),
        g.generated.format("%Y-%m-%d %H:%M UTC"),
        g.meeting
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_escapes() {
        assert_eq!(topic_title("encrypted dns"), "Encrypted DNS");
        assert_eq!(topic_title("dnssec"), "DNSSEC");
        assert_eq!(
            topic_title("ip addressing and number resources"),
            "IP addressing and number resources"
        );
        assert_eq!(topic_title("privacy"), "Privacy");
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(anchor("g", "6man"), "g-6man");
        assert_eq!(
            anchor("t", "post-quantum cryptography"),
            "t-post-quantum-cryptography"
        );
    }
}
