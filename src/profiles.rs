//! Staff profiles files: one official per `[[official]]` table, validated with line numbers.
//!
//! ```toml
//! meeting = 115                     # optional: default is the newest meeting in the snapshot
//!
//! [[official]]
//! name = "Ada Example"
//! interests = ["privacy", "encryption of personal data"]
//! days = ["2022-11-07", "2022-11-08"] # or: from = "2022-11-07"  to = "2022-11-10"
//! must = ["ppm"]                      # groups to include when possible
//! exclude = ["hackathon"]             # groups never to schedule
//! max_per_day = 3                     # default 4
//! gap = 10                            # minutes between sessions, default 0
//! tz = "America/New_York"             # show times in this zone, default the meeting's
//! ```
//!
//! Every problem is reported as `<file>:<line>: <problem>`; the whole file is checked before
//! anything is planned or written.

use crate::model::Meeting;
use crate::parse::line_of;
use crate::{Error, Result};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Sessions per day when a profile does not say.
pub const DEFAULT_MAX_PER_DAY: usize = 4;

/// Largest `max_per_day` (profiles) and `--max-per-day` (command line).
pub const MAX_PER_DAY_LIMIT: usize = 20;

/// Largest `gap` (profiles) and `--gap` (command line), in minutes.
pub const GAP_LIMIT: u32 = 240;

/// Which days an official attends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaySpec {
    /// Every day of the meeting.
    All,
    /// From, to (inclusive).
    Range(NaiveDate, NaiveDate),
    List(Vec<NaiveDate>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Official {
    pub name: String,
    /// File-name stem: the name, lower-cased, non-alphanumerics turned into `-`.
    pub slug: String,
    pub interests: Vec<String>,
    pub days: DaySpec,
    pub must: Vec<String>,
    pub exclude: Vec<String>,
    pub max_per_day: usize,
    pub gap: u32,
    pub tz: Option<Tz>,
    /// Line of the official's `[[official]]` header, for messages.
    pub line: usize,
    /// Line of the days (or from/to) setting, for messages about the dates.
    pub days_line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profiles {
    pub meeting: Option<u32>,
    pub officials: Vec<Official>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    meeting: Option<Spanned<i64>>,
    #[serde(default)]
    official: Vec<Spanned<RawOfficial>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOfficial {
    name: Option<Spanned<String>>,
    #[serde(default)]
    interests: Option<Spanned<Vec<Spanned<String>>>>,
    days: Option<Spanned<Vec<Spanned<String>>>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    #[serde(default)]
    must: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    max_per_day: Option<Spanned<i64>>,
    gap: Option<Spanned<i64>>,
    tz: Option<Spanned<String>>,
}

/// Parses and checks a profiles file. `source` names the file in messages.
pub fn parse(text: &str, source: &str) -> Result<Profiles> {
    let cx = Cx { text, source };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        cx.bad(line, e.message().trim().to_string())
    })?;
    let meeting = match raw.meeting {
        None => None,
        Some(m) => match u32::try_from(*m.get_ref()) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                let line = cx.at(m.span());
                return Err(cx.bad(line, "meeting must be a positive number".into()));
            }
        },
    };
    if raw.official.is_empty() {
        return Err(cx.bad(
            1,
            "no officials: add at least one [[official]] table".into(),
        ));
    }
    let mut officials = Vec::new();
    let mut slugs: BTreeMap<String, usize> = BTreeMap::new();
    for (n, o) in raw.official.into_iter().enumerate() {
        let line = cx.at(o.span());
        let official = cx.official(n, line, o.into_inner())?;
        if let Some(prev) = slugs.insert(official.slug.clone(), line) {
            return Err(cx.bad(
                line,
                format!(
                    "official {:?} would be written to the same file ({}.md) as the official on line {prev}",
                    official.name, official.slug
                ),
            ));
        }
        officials.push(official);
    }
    Ok(Profiles { meeting, officials })
}

/// The file being parsed, for `<file>:<line>: <problem>` messages.
struct Cx<'a> {
    text: &'a str,
    source: &'a str,
}

impl Cx<'_> {
    fn bad(&self, line: usize, msg: String) -> Error {
        Error::input(format!("{}:{line}: {msg}", self.source))
    }

    /// The line a span starts on.
    fn at(&self, span: std::ops::Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    /// One `[[official]]` table (the `n`th, at `line`), every field checked in file order.
    fn official(&self, n: usize, line: usize, o: RawOfficial) -> Result<Official> {
        let name = match &o.name {
            Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_string(),
            Some(s) => return Err(self.bad(self.at(s.span()), "name is empty".into())),
            None => {
                return Err(self.bad(line, format!("official number {} has no name", n + 1)));
            }
        };
        let who = format!("official {name:?}");
        let interests = self.interests(line, &who, o.interests.as_ref())?;
        let (days, days_line) = self.days(line, &who, &o)?;
        let must = self.groups(&who, &o.must, "must")?;
        let exclude = self.groups(&who, &o.exclude, "exclude")?;
        if let Some(g) = must.iter().find(|g| exclude.contains(g)) {
            return Err(self.bad(
                line,
                format!("{who}: group {g} is both in must and in exclude"),
            ));
        }
        let max_per_day = match &o.max_per_day {
            None => DEFAULT_MAX_PER_DAY,
            Some(k) => match usize::try_from(*k.get_ref()) {
                Ok(k) if (1..=MAX_PER_DAY_LIMIT).contains(&k) => k,
                _ => {
                    return Err(self.bad(
                        self.at(k.span()),
                        format!("{who}: max_per_day must be between 1 and {MAX_PER_DAY_LIMIT}"),
                    ));
                }
            },
        };
        let gap = match &o.gap {
            None => 0,
            Some(g) => match u32::try_from(*g.get_ref()) {
                Ok(g) if g <= GAP_LIMIT => g,
                _ => {
                    return Err(self.bad(
                        self.at(g.span()),
                        format!("{who}: gap must be between 0 and {GAP_LIMIT} minutes"),
                    ));
                }
            },
        };
        let tz = match &o.tz {
            None => None,
            Some(z) => Some(z.get_ref().trim().parse::<Tz>().map_err(|_| {
                self.bad(
                    self.at(z.span()),
                    format!("{who}: unknown time zone {:?}", z.get_ref()),
                )
            })?),
        };
        Ok(Official {
            slug: slugify(&name, n + 1),
            name,
            interests,
            days,
            must,
            exclude,
            max_per_day,
            gap,
            tz,
            line,
            days_line,
        })
    }

    /// The interests: at least one, none empty, and passing the ranking's own checks.
    fn interests(
        &self,
        line: usize,
        who: &str,
        list: Option<&Spanned<Vec<Spanned<String>>>>,
    ) -> Result<Vec<String>> {
        let Some(list) = list else {
            return Err(self.bad(line, format!("{who} has no interests")));
        };
        if list.get_ref().is_empty() {
            return Err(self.bad(self.at(list.span()), format!("{who} has no interests")));
        }
        let mut v = Vec::new();
        for i in list.get_ref() {
            let t = i.get_ref().trim();
            if t.is_empty() {
                return Err(self.bad(self.at(i.span()), format!("{who} has an empty interest")));
            }
            v.push(t.to_string());
        }
        // The ranking's own checks (length, count, words), reported on this line.
        crate::rank::validate_interests(&v)
            .map_err(|e| self.bad(self.at(list.span()), format!("{who}: {e}")))?;
        Ok(v)
    }

    /// `days`, or `from` with `to`, or neither (every day); and the line to cite about them.
    fn days(&self, line: usize, who: &str, o: &RawOfficial) -> Result<(DaySpec, usize)> {
        let date = |s: &Spanned<String>| -> Result<NaiveDate> {
            NaiveDate::parse_from_str(s.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
                self.bad(
                    self.at(s.span()),
                    format!("{who}: {:?} is not a date (YYYY-MM-DD)", s.get_ref()),
                )
            })
        };
        Ok(match (&o.days, &o.from, &o.to) {
            (Some(d), None, None) => {
                if d.get_ref().is_empty() {
                    return Err(self.bad(self.at(d.span()), format!("{who}: days is empty")));
                }
                let mut v = d.get_ref().iter().map(date).collect::<Result<Vec<_>>>()?;
                v.sort_unstable();
                v.dedup();
                (DaySpec::List(v), self.at(d.span()))
            }
            (None, Some(f), Some(t)) => {
                let (a, b) = (date(f)?, date(t)?);
                if a > b {
                    return Err(self.bad(
                        self.at(t.span()),
                        format!("{who}: `to` ({b}) is before `from` ({a})"),
                    ));
                }
                (DaySpec::Range(a, b), self.at(f.span()))
            }
            (None, None, None) => (DaySpec::All, line),
            (Some(d), _, _) => {
                return Err(self.bad(
                    self.at(d.span()),
                    format!("{who}: give either days or from/to, not both"),
                ));
            }
            (None, Some(f), None) => {
                return Err(self.bad(self.at(f.span()), format!("{who}: `from` without `to`")));
            }
            (None, None, Some(t)) => {
                return Err(self.bad(self.at(t.span()), format!("{who}: `to` without `from`")));
            }
        })
    }

    /// Group acronyms of a `must` or `exclude` list, lower-cased.
    fn groups(&self, who: &str, list: &[Spanned<String>], what: &str) -> Result<Vec<String>> {
        list.iter()
            .map(|g| {
                let t = g.get_ref().trim().to_ascii_lowercase();
                if t.is_empty() || t.contains(char::is_whitespace) {
                    Err(self.bad(
                        self.at(g.span()),
                        format!(
                            "{who}: {what} entry {:?} is not a group acronym",
                            g.get_ref()
                        ),
                    ))
                } else {
                    Ok(t)
                }
            })
            .collect()
    }
}

/// A safe file-name stem for a name: ASCII letters and digits, single dashes; common Latin
/// letters with diacritics are spelled in ASCII first ("Zoë Ñ" -> `zoe-n`). Names with no
/// ASCII letter or digit left become `official-<n>`. `index` is reserved for the index page.
pub fn slugify(name: &str, n: usize) -> String {
    let s = crate::slug::stem(name);
    if s.is_empty() || s == "index" {
        format!("official-{n}")
    } else {
        s
    }
}

/// The days a spec selects within a meeting, checked against the meeting's dates, and a note
/// for the user when a range reaching beyond the meeting was clamped to its days.
pub fn resolve_days(
    spec: &DaySpec,
    meeting: &Meeting,
) -> std::result::Result<(Vec<NaiveDate>, Option<String>), String> {
    let span = |a: NaiveDate, b: NaiveDate| -> Vec<NaiveDate> {
        a.iter_days().take_while(|d| *d <= b).collect()
    };
    let (first, last) = match (meeting.start_date, meeting.end_date) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            return match spec {
                DaySpec::All => Err(format!(
                    "meeting {} has no dates in the agenda data; give the days",
                    meeting.number
                )),
                DaySpec::Range(a, b) => Ok((span(*a, *b), None)),
                DaySpec::List(v) => Ok((v.clone(), None)),
            };
        }
    };
    let n = meeting.number;
    match spec {
        DaySpec::All => Ok((span(first, last), None)),
        DaySpec::Range(a, b) => {
            // A range wider than the meeting ("all of November") means the meeting's days.
            let (from, to) = ((*a).max(first), (*b).min(last));
            if from > to {
                return Err(format!(
                    "{a} to {b} has no day of IETF {n}; its days are {first} to {last}"
                ));
            }
            let note = ((from, to) != (*a, *b)).then(|| {
                format!(
                    "{a} to {b} reaches beyond IETF {n} ({first} to {last}); planning {from} to {to}"
                )
            });
            Ok((span(from, to), note))
        }
        DaySpec::List(v) => {
            if let Some(d) = v.iter().find(|d| **d < first || **d > last) {
                return Err(format!("{d} is not a day of IETF {n} ({first} to {last})"));
            }
            Ok((v.clone(), None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text, "p.toml").unwrap_err().to_string()
    }

    #[test]
    fn example_file_parses() {
        let text = include_str!("../fixtures/profiles.example.toml");
        let p = parse(text, "profiles.example.toml").unwrap();
        assert_eq!(p.meeting, Some(115));
        assert!(p.officials.len() >= 3);
        let first = &p.officials[0];
        assert!(!first.interests.is_empty());
        assert!(
            p.officials
                .iter()
                .any(|o| matches!(o.days, DaySpec::Range(..)))
        );
        assert!(
            p.officials
                .iter()
                .any(|o| matches!(o.days, DaySpec::List(..)))
        );
        assert!(p.officials.iter().any(|o| !o.must.is_empty()));
        assert!(p.officials.iter().any(|o| o.tz.is_some()));
    }

    #[test]
    fn problems_name_the_line() {
        let base = "meeting = 115\n\n[[official]]\nname = \"A\"\ninterests = [\"privacy\"]\n";
        assert_eq!(
            err(&format!("{base}days = [\"2022-11-31\"]\n")),
            "p.toml:6: official \"A\": \"2022-11-31\" is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            err("[[official]]\nname = \"A\"\ninterests = []\n"),
            "p.toml:3: official \"A\" has no interests"
        );
        assert_eq!(
            err("[[official]]\nname = \"A\"\n"),
            "p.toml:1: official \"A\" has no interests"
        );
        assert!(err(&format!("{base}max_per_day = 0\n")).starts_with("p.toml:6: "));
        assert!(err(&format!("{base}colour = \"red\"\n")).starts_with("p.toml:6: "));
        assert!(err(&format!("{base}tz = \"Mars/Olympus\"\n")).contains("unknown time zone"));
        assert!(err(&format!("{base}from = \"2022-11-07\"\n")).contains("`from` without `to`"));
        let syntax = err("[[official]]\nname = \"A\"\ninterests = [\"x\"\n");
        assert!(
            syntax.starts_with("p.toml:3: ") || syntax.starts_with("p.toml:4: "),
            "{syntax}"
        );
        let dup = err(&format!(
            "{base}\n[[official]]\nname = \"a\"\ninterests = [\"x\"]\n"
        ));
        assert!(
            dup.starts_with("p.toml:7: ") && dup.contains("line 3"),
            "{dup}"
        );
        assert!(err(&format!("{base}must = [\"x\"]\nexclude = [\"X\"]\n")).contains("both"));
        assert!(err("meeting = 115\n").contains("no officials"));
        let long = format!(
            "[[official]]\nname = \"A\"\ninterests = [\"{}\"]\n",
            "x".repeat(300)
        );
        assert!(err(&long).starts_with("p.toml:3: official \"A\": interest #1 is too long"));
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("Dr. Ada O'Neil", 1), "dr-ada-o-neil");
        assert_eq!(slugify("../../etc/passwd", 2), "etc-passwd");
        assert_eq!(slugify("李雷", 3), "official-3");
        assert_eq!(slugify("Index", 4), "official-4");
        assert_eq!(slugify("Zoë Ñ", 5), "zoe-n");
        assert_eq!(slugify("Søren Æbeløß", 6), "soren-aebeloss");
        assert_eq!(slugify("Łukasz Żółć-Čapek", 7), "lukasz-zolc-capek");
        assert_eq!(slugify("Zoë 李", 8), "zoe");
    }

    #[test]
    fn days_are_checked_against_the_meeting() {
        let m = Meeting {
            number: 115,
            city: "London".into(),
            start_date: NaiveDate::from_ymd_opt(2022, 11, 5),
            end_date: NaiveDate::from_ymd_opt(2022, 11, 11),
            timezone: chrono_tz::Europe::London,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(resolve_days(&DaySpec::All, &m).unwrap().0.len(), 7);
        let (days, note) =
            resolve_days(&DaySpec::Range(d("2022-11-07"), d("2022-11-10")), &m).unwrap();
        assert_eq!((days.len(), note), (4, None));
        // Wider than the meeting: clamped, with a note.
        let (days, note) =
            resolve_days(&DaySpec::Range(d("2022-11-01"), d("2022-11-30")), &m).unwrap();
        assert_eq!(
            days.first().zip(days.last()),
            Some((&d("2022-11-05"), &d("2022-11-11")))
        );
        assert_eq!(days.len(), 7);
        assert_eq!(
            note.as_deref(),
            Some(
                "2022-11-01 to 2022-11-30 reaches beyond IETF 115 (2022-11-05 to 2022-11-11); planning 2022-11-05 to 2022-11-11"
            )
        );
        // No meeting day in the range.
        let e = resolve_days(&DaySpec::Range(d("2022-12-01"), d("2022-12-05")), &m).unwrap_err();
        assert_eq!(
            e,
            "2022-12-01 to 2022-12-05 has no day of IETF 115; its days are 2022-11-05 to 2022-11-11"
        );
        let e = resolve_days(&DaySpec::List(vec![d("2022-11-14")]), &m).unwrap_err();
        assert_eq!(
            e,
            "2022-11-14 is not a day of IETF 115 (2022-11-05 to 2022-11-11)"
        );
    }
}
