//! robots.txt for the fetcher (RFC 9309 plus the common `Crawl-delay` extension): picks the
//! `wgrec` group, else the `*` group, and answers whether a URL path may be fetched by the
//! longest matching `Allow`/`Disallow` rule (`*` wildcards and a final `$` anchor understood; an
//! `Allow` wins a tie). Written here rather than pulled in as a crate: it is small and the rules
//! we need are few.

use std::time::Duration;

/// The product token wgrec looks for in `User-agent` lines.
pub const AGENT: &str = "wgrec";

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    allow: bool,
    pattern: String,
}

#[derive(Debug, Default)]
struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
    delay: Option<f64>,
}

/// The rules that apply to wgrec. The default allows everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
    /// The `User-agent` value of the group that applied, if any.
    group: Option<String>,
}

/// The product token of a `User-agent` value, lower-cased (`WgRec/1.0` -> `wgrec`).
fn token(v: &str) -> String {
    v.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*'))
        .collect::<String>()
        .to_ascii_lowercase()
}

impl Robots {
    /// No robots.txt, or one that could not be had: everything allowed.
    pub fn allow_all() -> Self {
        Self::default()
    }

    /// Parses a robots.txt for the product token `agent`. Unknown lines are ignored.
    pub fn parse(text: &str, agent: &str) -> Self {
        let mut groups: Vec<Group> = Vec::new();
        // Consecutive User-agent lines share one group; any rule line closes the list.
        let mut in_agents = false;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push(Group::default());
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.agents.push(token(value));
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    // An empty Disallow means "nothing disallowed": no rule at all.
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.rules.push(Rule {
                            allow: key == "allow",
                            pattern: value.to_string(),
                        });
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && let Ok(s) = value.parse::<f64>()
                        && s.is_finite()
                        && s >= 0.0
                    {
                        g.delay = Some(g.delay.map_or(s, |d| d.max(s)));
                    }
                }
                _ => {}
            }
        }
        let agent = agent.to_ascii_lowercase();
        let pick = |name: &str| -> Vec<&Group> {
            groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == name))
                .collect()
        };
        let mut chosen = pick(&agent);
        let mut name = agent.clone();
        if chosen.is_empty() {
            chosen = pick("*");
            name = "*".into();
        }
        if chosen.is_empty() {
            return Self::allow_all();
        }
        // Several groups for the same agent are merged (RFC 9309 section 2.2.1).
        Self {
            rules: chosen.iter().flat_map(|g| g.rules.clone()).collect(),
            crawl_delay: chosen
                .iter()
                .filter_map(|g| g.delay)
                .reduce(f64::max)
                // A delay too long for a Duration (`1e300`) is the longest one, not a panic.
                .map(|d| Duration::try_from_secs_f64(d).unwrap_or(Duration::MAX)),
            group: Some(name),
        }
    }

    /// Why `path` (absolute, with its query, e.g. `/group/quic/about/`) may not be fetched:
    /// the deciding `Disallow` line; `None` when it may.
    pub fn disallowed_by(&self, path: &str) -> Option<String> {
        if path == "/robots.txt" {
            return None;
        }
        let best = self
            .rules
            .iter()
            .filter(|r| matches(&r.pattern, path))
            // Longest pattern wins; on equal length Allow (true) sorts last and wins.
            .max_by_key(|r| (r.pattern.len(), r.allow))?;
        (!best.allow).then(|| format!("Disallow: {}", best.pattern))
    }

    /// The `Crawl-delay` of the chosen group, as written. It is honoured as such; the fetcher
    /// stops with a clear error when the pages would not fit in the run's time limit.
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }

    /// A short account for the fetch summary.
    pub fn describe(&self) -> String {
        match &self.group {
            None => "no group for wgrec or *: everything allowed".into(),
            Some(g) => {
                let disallows = self.rules.iter().filter(|r| !r.allow).count();
                let mut s = format!(
                    "group {g}: {disallows} disallow and {} allow rules",
                    self.rules.len() - disallows
                );
                if let Some(d) = self.crawl_delay {
                    s.push_str(&format!(", crawl-delay {} s", d.as_secs_f64()));
                }
                s
            }
        }
    }
}

/// Whether a robots.txt path pattern matches `path` from its start: `*` matches any run of
/// characters, a final `$` anchors the pattern at the end of the path.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let Some(rest) = path.strip_prefix(parts[0]) else {
        return false;
    };
    let mut pos = path.len() - rest.len();
    let last = parts.len() - 1;
    if last == 0 {
        return !anchored || pos == path.len();
    }
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == last && anchored {
            return path.len() - pos >= part.len() && path[pos..].ends_with(part);
        }
        // Leftmost match is enough: a later `*` can absorb anything left over.
        match path[pos..].find(part) {
            Some(j) => pos += j + part.len(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "\
# comment line
User-agent: *
Disallow: /group/
Allow: /group/quic/
Crawl-delay: 2

User-agent: OtherBot
User-agent: wgrec/0.1
Disallow: /meeting/*/materials/*.pdf$
Disallow: /api/   # trailing comment
Allow: /api/meeting/
crawl-delay: 0.5

Sitemap: https://example.org/sitemap.xml
";

    #[test]
    fn the_wgrec_group_wins_over_star() {
        let r = Robots::parse(TXT, AGENT);
        assert_eq!(r.group.as_deref(), Some("wgrec"));
        // The * group's rules do not apply when a wgrec group exists.
        assert_eq!(r.disallowed_by("/group/hrpc/about/"), None);
        assert_eq!(
            r.disallowed_by("/api/v1/meeting/meeting/?type=ietf")
                .as_deref(),
            Some("Disallow: /api/")
        );
        assert_eq!(r.disallowed_by("/api/meeting/121/agenda-data"), None);
        assert_eq!(
            r.disallowed_by("/meeting/121/materials/slides-1.pdf")
                .as_deref(),
            Some("Disallow: /meeting/*/materials/*.pdf$")
        );
        assert_eq!(r.disallowed_by("/meeting/121/materials/x.pdf.md"), None);
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(500)));
    }

    #[test]
    fn star_group_with_longest_match() {
        let r = Robots::parse(TXT, "somebot");
        assert_eq!(r.group.as_deref(), Some("*"));
        assert_eq!(
            r.disallowed_by("/group/hrpc/about/").as_deref(),
            Some("Disallow: /group/")
        );
        assert_eq!(r.disallowed_by("/group/quic/about/"), None);
        assert_eq!(r.disallowed_by("/meeting/121/agenda.json"), None);
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert_eq!(r.disallowed_by("/robots.txt"), None);
    }

    #[test]
    fn allow_wins_a_tie_and_empty_disallow_allows_all() {
        let r = Robots::parse("User-agent: *\nDisallow: /a\nAllow: /a\n", AGENT);
        assert_eq!(r.disallowed_by("/a/b"), None);
        let r = Robots::parse("User-agent: *\nDisallow:\n", AGENT);
        assert_eq!(r.disallowed_by("/anything"), None);
        let r = Robots::parse("User-agent: *\nDisallow: /\n", AGENT);
        assert_eq!(r.disallowed_by("/x").as_deref(), Some("Disallow: /"));
        // Nothing for us at all.
        let r = Robots::parse("User-agent: googlebot\nDisallow: /\n", AGENT);
        assert_eq!(r, Robots::allow_all());
        assert_eq!(r.disallowed_by("/x"), None);
        assert_eq!(Robots::parse("<html>not robots</html>", AGENT), r);
    }

    #[test]
    fn groups_for_the_same_agent_merge() {
        let r = Robots::parse(
            "User-agent: wgrec\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n\nUser-agent: WGREC\nDisallow: /b/\nCrawl-delay: 3\n",
            AGENT,
        );
        assert!(r.disallowed_by("/a/x").is_some());
        assert!(r.disallowed_by("/b/x").is_some());
        assert!(r.disallowed_by("/c/x").is_none());
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn crawl_delay_is_parsed_as_written() {
        let r = Robots::parse("User-agent: *\nCrawl-delay: 1.5\n", AGENT);
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(1500)));
        let r = Robots::parse("User-agent: *\nCrawl-delay: 3600\n", AGENT);
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(3600)));
        assert!(
            r.describe().contains("crawl-delay 3600 s"),
            "{}",
            r.describe()
        );
        // Beyond what a Duration holds: the longest wait (the fetcher then stops at once).
        let r = Robots::parse("User-agent: *\nCrawl-delay: 1e300\n", AGENT);
        assert_eq!(r.crawl_delay(), Some(Duration::MAX));
        for bad in ["soon", "-1", "NaN", "inf", ""] {
            let r = Robots::parse(&format!("User-agent: *\nCrawl-delay: {bad}\n"), AGENT);
            assert_eq!(r.crawl_delay(), None, "{bad}");
        }
    }

    #[test]
    fn pattern_matching() {
        assert!(matches("/group/", "/group/quic/about/"));
        assert!(!matches("/group/", "/groups"));
        assert!(matches("/*.json$", "/meeting/121/agenda.json"));
        assert!(!matches("/*.json$", "/meeting/121/agenda.json?x=1"));
        assert!(matches("/a*b*c", "/a-b-c-d"));
        assert!(!matches("/a*b*c", "/a-c-b"));
        assert!(matches("/x$", "/x"));
        assert!(!matches("/x$", "/xy"));
        assert!(matches("*", "/anything"));
        assert!(matches("/a*$", "/a/b"));
        assert!(matches("/a*a$", "/aba"));
        assert!(!matches("/a*a$", "/a"));
    }
}
