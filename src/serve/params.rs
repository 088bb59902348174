//! Query-string parsing with limits. Every page reads its parameters through [`Params`], which
//! refuses a query string that is too long, has too many parts, names a parameter the page does
//! not take, repeats a single-valued one, or carries a value that is too long, each with a
//! message that says what was wrong (the 400 page shows it).

use chrono::NaiveDate;
use chrono_tz::Tz;

/// The longest query string accepted, in bytes (as sent, percent-encoded).
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The most `key=value` parts in one query string.
pub const MAX_PAIRS: usize = 80;
/// The longest value of most parameters, in characters.
pub const MAX_VALUE_CHARS: usize = 200;
/// The longest search text, in characters.
pub const MAX_SEARCH_CHARS: usize = 500;
/// Most interests in one request (the ranking itself takes up to 20).
pub const MAX_INTERESTS: usize = 10;
/// Most days, areas or groups in one list parameter.
pub const MAX_LIST: usize = 20;

/// A request the server refuses, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl BadRequest {
    pub fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

impl std::fmt::Display for BadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The decoded parameters of one request.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// One parameter a page takes: its name and the most values it may carry.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub max_values: usize,
    pub max_chars: usize,
}

impl Spec {
    pub const fn one(name: &'static str) -> Self {
        Self {
            name,
            max_values: 1,
            max_chars: MAX_VALUE_CHARS,
        }
    }

    pub const fn many(name: &'static str, max_values: usize) -> Self {
        Self {
            name,
            max_values,
            max_chars: MAX_VALUE_CHARS,
        }
    }

    pub const fn chars(mut self, max_chars: usize) -> Self {
        self.max_chars = max_chars;
        self
    }
}

impl Params {
    /// Decodes `raw` (the query string without `?`) and checks it against the page's `specs`.
    /// Empty values count as absent: a form's blank fields are not errors.
    pub fn parse(raw: Option<&str>, specs: &[Spec]) -> Result<Self, BadRequest> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_BYTES {
            return Err(BadRequest::new(format!(
                "the query string is too long ({} bytes; at most {MAX_QUERY_BYTES})",
                raw.len()
            )));
        }
        let mut pairs = Vec::new();
        for (i, (k, v)) in form_urlencoded::parse(raw.as_bytes()).enumerate() {
            if i >= MAX_PAIRS {
                return Err(BadRequest::new(format!(
                    "too many parameters (at most {MAX_PAIRS})"
                )));
            }
            let Some(spec) = specs.iter().find(|s| s.name == k) else {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                return Err(BadRequest::new(if known.is_empty() {
                    format!("this page takes no parameters (got {:?})", clip(&k))
                } else {
                    format!(
                        "unknown parameter {:?}; this page takes: {}",
                        clip(&k),
                        known.join(", ")
                    )
                }));
            };
            if v.chars().any(|c| c.is_control() && c != '\t') {
                return Err(BadRequest::new(format!(
                    "{} holds a control character",
                    spec.name
                )));
            }
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if v.is_empty() {
                continue;
            }
            let n = v.chars().count();
            if n > spec.max_chars {
                return Err(BadRequest::new(format!(
                    "{} is too long ({n} characters; at most {})",
                    spec.name, spec.max_chars
                )));
            }
            pairs.push((spec.name.to_string(), v));
        }
        for spec in specs {
            let n = pairs.iter().filter(|(k, _)| k == spec.name).count();
            if n > spec.max_values {
                return Err(BadRequest::new(if spec.max_values == 1 {
                    format!("{} is given {n} times; give it once", spec.name)
                } else {
                    format!(
                        "too many values for {} ({n}; at most {})",
                        spec.name, spec.max_values
                    )
                }));
            }
        }
        Ok(Self { pairs })
    }

    /// Every value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The value of a single-valued `key`.
    pub fn one(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// An integer in `min..=max`.
    pub fn number(&self, key: &str, min: u64, max: u64, default: u64) -> Result<u64, BadRequest> {
        match self.one(key) {
            None => Ok(default),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(BadRequest::new(format!(
                    "{key} must be a whole number from {min} to {max} (got {:?})",
                    clip(v)
                ))),
            },
        }
    }

    /// A yes/no switch: present with `1`, `on`, `true` or `yes`.
    pub fn flag(&self, key: &str) -> Result<bool, BadRequest> {
        match self.one(key) {
            None => Ok(false),
            Some("1" | "on" | "true" | "yes") => Ok(true),
            Some("0" | "off" | "false" | "no") => Ok(false),
            Some(v) => Err(BadRequest::new(format!(
                "{key} must be on or off (got {:?})",
                clip(v)
            ))),
        }
    }

    /// Dates `YYYY-MM-DD` given as `key`.
    pub fn days(&self, key: &str) -> Result<Vec<NaiveDate>, BadRequest> {
        let mut out: Vec<NaiveDate> = Vec::new();
        for v in self.all(key) {
            let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                BadRequest::new(format!(
                    "{key} {:?} is not a date like 2022-11-07",
                    clip(&v)
                ))
            })?;
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out.sort();
        Ok(out)
    }

    /// The viewer's time zone, an IANA name.
    pub fn tz(&self, key: &str) -> Result<Option<Tz>, BadRequest> {
        self.one(key)
            .map(|v| {
                v.parse::<Tz>().map_err(|_| {
                    BadRequest::new(format!(
                        "{key} {:?} is not an IANA time zone (e.g. Europe/London, America/New_York)",
                        clip(v)
                    ))
                })
            })
            .transpose()
    }

    /// Group or area acronyms: lower case, letters, digits and `-` only.
    pub fn acronyms(&self, key: &str) -> Result<Vec<String>, BadRequest> {
        let mut out = Vec::new();
        for v in self.all(key) {
            let a = check_acronym(&v).map_err(|e| BadRequest::new(format!("{key}: {e}")))?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
        Ok(out)
    }
}

/// A group or area acronym as the datatracker spells them, lower-cased.
pub fn check_acronym(v: &str) -> Result<String, String> {
    let a = v.trim().to_ascii_lowercase();
    if a.is_empty() || a.len() > 40 || !a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!(
            "{:?} is not a group or area acronym (letters, digits and '-', at most 40)",
            clip(v)
        ));
    }
    Ok(a)
}

/// At most 60 characters of `s`, for messages.
pub fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(59).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[Spec] = &[Spec::many("interest", 3), Spec::one("top")];

    #[test]
    fn reads_repeated_and_single_values() {
        let p = Params::parse(Some("interest=a+b&interest=&interest=c%20d&top=5"), SPECS).unwrap();
        assert_eq!(p.all("interest"), ["a b", "c d"]);
        assert_eq!(p.number("top", 1, 50, 10).unwrap(), 5);
    }

    #[test]
    fn refuses_what_is_out_of_bounds_with_a_reason() {
        let err = |q: &str| Params::parse(Some(q), SPECS).unwrap_err().0;
        assert!(err("colour=red").contains("unknown parameter \"colour\""));
        assert!(err("top=1&top=2").contains("give it once"));
        assert!(err("interest=a&interest=b&interest=c&interest=d").contains("at most 3"));
        assert!(err(&format!("interest={}", "x".repeat(201))).contains("too long"));
        assert!(err(&"interest=a&".repeat(2000)).contains("query string is too long"));
        assert!(err("interest=a%00b").contains("control character"));
        let p = Params::parse(Some("top=0"), SPECS).unwrap();
        assert!(
            p.number("top", 1, 50, 10)
                .unwrap_err()
                .0
                .contains("from 1 to 50")
        );
    }

    #[test]
    fn dates_zones_and_acronyms() {
        let specs = &[Spec::many("day", 5), Spec::one("tz"), Spec::many("area", 3)];
        let p = Params::parse(
            Some("day=2022-11-08&day=2022-11-07&tz=Asia/Tokyo&area=SEC"),
            specs,
        )
        .unwrap();
        assert_eq!(p.days("day").unwrap().len(), 2);
        assert_eq!(p.tz("tz").unwrap(), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(p.acronyms("area").unwrap(), ["sec"]);
        let bad = Params::parse(Some("day=tomorrow&tz=Mars/Base&area=a/b"), specs).unwrap();
        assert!(bad.days("day").is_err());
        assert!(bad.tz("tz").unwrap_err().0.contains("IANA"));
        assert!(bad.acronyms("area").is_err());
    }
}
