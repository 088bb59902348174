//! The policy vocabulary: policy topics mapped to the technical words charters and agendas use.
//!
//! `vocabulary/policy.toml` is compiled in; `--vocabulary FILE` adds topics or extends topics of
//! the same name. Topics are matched against an interest on stemmed words, so "routing-security"
//! and "Routing Security" both select the topic "routing security".

use crate::{Error, Result};
use serde::Deserialize;
use std::borrow::Cow;
use std::path::Path;

/// The vocabulary that ships with wgrec.
pub const BUILTIN: &str = include_str!("../../vocabulary/policy.toml");

/// The topics of [`BUILTIN`], parsed and normalised at build time (build.rs): the run time only
/// copies the list (its texts are borrowed).
static BUILTIN_TOPICS: &[Topic] = include!(concat!(env!("OUT_DIR"), "/policy_vocabulary.rs"));

/// A text of a topic: borrowed from the compiled-in tables, owned when read from a file.
pub type Text = Cow<'static, str>;
/// A list of texts of a topic.
pub type List = Cow<'static, [Text]>;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub name: Text,
    /// One plain line saying what the topic is about, for readers who are not engineers
    /// ("keeping what people do online from being watched ..."); the reasons use it.
    #[serde(default)]
    pub gloss: Text,
    #[serde(default)]
    pub aliases: List,
    /// Words people use for the topic that IETF texts use in another sense ("kids": key
    /// identifiers; "minors": minor revisions): they select the topic in an interest, but are
    /// never looked for in texts, as the topic's evidence or as the person's own word.
    #[serde(default)]
    pub asked_as: List,
    /// Strong technical terms and group acronyms.
    #[serde(default)]
    pub terms: List,
    /// Weaker, broader terms.
    #[serde(default)]
    pub related: List,
    /// Narrower topics this one takes in: their `terms` count as this topic's related words
    /// ("cybersecurity" takes in "supply chain security").
    #[serde(default)]
    pub include: List,
}

impl Topic {
    /// Every phrase that selects this topic in an interest: its name, aliases and the words
    /// people ask it by ([`Topic::asked_as`]).
    pub fn phrasings(&self) -> impl Iterator<Item = &Text> + Clone {
        std::iter::once(&self.name)
            .chain(self.aliases.iter())
            .chain(self.asked_as.iter())
    }

    /// The words that say a text is about this topic: its name, aliases and terms (not the words
    /// people ask it by, which are never searched).
    pub fn own_words(&self) -> impl Iterator<Item = &Text> {
        std::iter::once(&self.name)
            .chain(self.aliases.iter())
            .chain(self.terms.iter())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    topic: Vec<Topic>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    pub topics: Vec<Topic>,
    /// Exactly the built-in vocabulary (what the index's digest was computed with); cleared by
    /// [`Vocabulary::merge`]. Whoever changes `topics` otherwise must clear it too.
    pub builtin: bool,
}

impl Vocabulary {
    /// No topics: plain search on the person's words only (the eval baseline).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The compiled-in vocabulary.
    /// [`BUILTIN`], from the tables build.rs made of it (no TOML parsing at run time).
    pub fn builtin() -> Result<Self> {
        Ok(Self {
            topics: BUILTIN_TOPICS.to_vec(),
            builtin: true,
        })
    }

    /// The built-in vocabulary, extended by `extra` when given.
    pub fn load(extra: Option<&Path>) -> Result<Self> {
        let mut v = Self::builtin()?;
        if let Some(p) = extra {
            let text = std::fs::read_to_string(p).map_err(|e| {
                Error::input(format!("cannot read vocabulary file {}: {e}", p.display()))
            })?;
            v.merge(Self::parse(&text, &p.display().to_string())?);
        }
        v.check_includes()?;
        Ok(v)
    }

    /// Parses the TOML format; errors name the origin and the line.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::parse::line_of(text, s.start));
            let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
            Error::input(format!(
                "invalid vocabulary {origin}{at}: {}",
                e.message().trim()
            ))
        })?;
        let mut v = Self::default();
        for (i, mut t) in file.topic.into_iter().enumerate() {
            t.name = normalise(&t.name).into();
            t.gloss = t
                .gloss
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .into();
            if t.name.is_empty() {
                return Err(Error::input(format!(
                    "invalid vocabulary {origin}: topic #{} has an empty name",
                    i + 1
                )));
            }
            for list in [
                &mut t.aliases,
                &mut t.asked_as,
                &mut t.terms,
                &mut t.related,
                &mut t.include,
            ] {
                *list = list
                    .iter()
                    .map(|s| normalise(s))
                    .filter(|s| !s.is_empty())
                    .map(Text::from)
                    .collect();
            }
            v.merge(Self {
                topics: vec![t],
                builtin: false,
            });
        }
        Ok(v)
    }

    /// Every `include` must name a topic of this vocabulary (after merging user files).
    pub fn check_includes(&self) -> Result<()> {
        for t in &self.topics {
            for i in t.include.iter() {
                if self.get(i).is_none() {
                    return Err(Error::input(format!(
                        "vocabulary topic {:?} includes unknown topic {i:?}",
                        t.name
                    )));
                }
            }
        }
        Ok(())
    }

    /// Adds `other`'s topics; a topic with an existing name extends that topic.
    pub fn merge(&mut self, other: Self) {
        self.builtin &= other.topics.is_empty();
        for t in other.topics {
            match self.topics.iter_mut().find(|x| x.name == t.name) {
                Some(x) => {
                    // A user file may reword a topic's gloss; an empty one keeps ours.
                    if !t.gloss.is_empty() {
                        x.gloss = t.gloss;
                    }
                    for (dst, src) in [
                        (&mut x.aliases, t.aliases),
                        (&mut x.asked_as, t.asked_as),
                        (&mut x.terms, t.terms),
                        (&mut x.related, t.related),
                        (&mut x.include, t.include),
                    ] {
                        for s in src.iter() {
                            if !dst.contains(s) {
                                dst.to_mut().push(s.clone());
                            }
                        }
                    }
                }
                None => self.topics.push(t),
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Topic> {
        let n = normalise(name);
        self.topics.iter().find(|t| t.name == n)
    }

    /// The plain one-line gloss of the topic `name` (`None` for an unknown topic or one
    /// without a gloss, which only a user file can add).
    pub fn gloss(&self, name: &str) -> Option<&str> {
        self.get(name)
            .map(|t| t.gloss.as_ref())
            .filter(|g| !g.is_empty())
    }
}

/// Lower case, single spaces.
pub fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_enough_topics_each_with_terms() {
        let v = Vocabulary::builtin().unwrap();
        assert!(v.topics.len() >= 40, "{}", v.topics.len());
        for t in &v.topics {
            assert!(!t.terms.is_empty(), "{} has no terms", t.name);
            // Every topic explains itself in one plain line, for the reasons.
            let g = v
                .gloss(&t.name)
                .unwrap_or_else(|| panic!("{} has no gloss", t.name));
            assert!(
                (20..=140).contains(&g.chars().count()) && !g.contains('\n'),
                "{}: gloss {g:?} is not one short line",
                t.name
            );
            // A reason shows it in parentheses ("Transport protocols (...): ..."), where its
            // own would nest.
            assert!(!g.contains(['(', ')']), "{}: gloss {g:?} nests", t.name);
        }
        v.check_includes().unwrap();
        let names: std::collections::BTreeSet<_> = v.topics.iter().map(|t| &t.name).collect();
        assert_eq!(names.len(), v.topics.len(), "topic names are unique");
        assert!(v.get("Routing Security").is_some());
    }

    #[test]
    fn the_compiled_vocabulary_is_the_parsed_file() {
        let parsed = Vocabulary::parse(BUILTIN, "vocabulary/policy.toml").unwrap();
        assert_eq!(Vocabulary::builtin().unwrap().topics, parsed.topics);
        assert!(!parsed.topics.is_empty());
    }

    #[test]
    fn user_file_extends_and_adds() {
        let mut v = Vocabulary::builtin().unwrap();
        let n = v.topics.len();
        let extra = Vocabulary::parse(
            "[[topic]]\nname = \"Routing Security\"\nterms = [\"aspa\", \"rpki\"]\n\n[[topic]]\nname = \"widgets\"\nasked_as = [\"Gadgets\"]\nterms = [\"gizmo\"]\n",
            "test",
        )
        .unwrap();
        v.merge(extra);
        assert_eq!(v.topics.len(), n + 1);
        let rs = v.get("routing security").unwrap();
        assert_eq!(rs.terms.iter().filter(|t| *t == "rpki").count(), 1);
        assert!(rs.terms.iter().any(|t| t == "aspa"));
        assert_eq!(v.get("widgets").unwrap().terms, vec!["gizmo"]);
        assert_eq!(v.get("widgets").unwrap().asked_as, vec!["gadgets"]);
        assert_eq!(v.gloss("widgets"), None);
        // Extending a topic without a gloss keeps the built-in one.
        assert!(v.gloss("routing security").is_some());
    }

    #[test]
    fn errors_name_the_line() {
        let err = Vocabulary::parse("[[topic]]\nname = \"x\"\nterms = [\"a\",\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("f.toml") && err.contains("line"), "{err}");
        let err = Vocabulary::parse("[[topic]]\nname = \"x\"\nterm = [\"a\"]\n", "f.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(Vocabulary::parse("[[topic]]\nname = \" \"\n", "f").is_err());
    }
}
