//! Strength: is a group's own work about an interest (`strong`), or only related (`possible`)?
//!
//! Ranking finds every group whose texts share words with an interest; many of those share a
//! word and nothing more (a talk title, a word of the group's name, a word most charters use).
//! Strength asks a stricter question of the group's statement of purpose, its charter or
//! description, read sentence by sentence:
//!
//! - Only *specific* evidence counts: the person's own phrase (or their single word), the terms
//!   of the vocabulary topics the interest names, and a sentence holding every content word of
//!   the interest. A single word found in more than [`Thresholds::generic`] of the index's
//!   sessions is generic ("network", "security", "protocol") and never counts.
//! - Words of the group's name or of its session agendas (document titles) count only where
//!   the charter agrees: they can confirm the charter, never stand in for it.
//! - A group is strong when its acronym is the interest or one of the topic's terms (the
//!   vocabulary names the groups that are a topic's home), or when its charter shows the
//!   interest (a) in its opening sentence, the statement of purpose, backed by a second piece
//!   of evidence (another specific term, a second mention, the group's name or an agenda), or (b) through
//!   at least two distinct specific terms in a share of its sentences (how much of the text is
//!   about the interest), or (c) in both its name and at least two mentions in the charter.
//!
//! Everything else that ranking returns is `possible`. The decision is a pure function of the
//! texts, tested below on hand-made cases.

use crate::model::Strength;

/// The knobs of the decision (shares are fractions of 1).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// A single word in more than this share of the index's sessions is generic.
    pub generic: f32,
    /// Share of a charter's sentences that must carry specific evidence for rule (b).
    pub share: f32,
}

pub const THRESHOLDS: Thresholds = Thresholds {
    generic: 0.1,
    share: 0.15,
};

impl Default for Thresholds {
    fn default() -> Self {
        THRESHOLDS
    }
}

/// A group's texts, as stemmed words.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupText {
    pub acronym: String,
    /// The group's name.
    pub name: Vec<String>,
    /// The charter or description, one entry per sentence.
    pub charter: Vec<Vec<String>>,
    /// Session agendas (document titles, agenda text), all sessions together.
    pub agenda: Vec<String>,
}

/// What strength may count: a specific unit of the interest.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    /// Stemmed words of the unit (a phrase when several).
    pub stems: Vec<String>,
    /// Lower-cased words as written joined by `-` (for the acronym).
    pub acronym: String,
    /// A single word most sessions contain: never counts.
    pub generic: bool,
}

/// What the decision saw, for `-v` and for tuning the mechanism as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Features {
    pub acronym: bool,
    /// Distinct specific units found in the charter.
    pub units: usize,
    /// Occurrences of specific units in the charter.
    pub mentions: usize,
    /// Charter sentences holding specific evidence, and all of them.
    pub sentences_with: usize,
    pub sentences: usize,
    /// The opening sentence holds specific evidence.
    pub lead: bool,
    /// The group's name holds a unit the charter has too.
    pub name_agrees: bool,
    /// The session agendas hold a unit the charter has too.
    pub agenda_agrees: bool,
    /// Index of the charter sentence with the most evidence (for the reason).
    pub best_sentence: Option<usize>,
}

fn count(hay: &[String], needle: &[String]) -> usize {
    if needle.is_empty() || hay.len() < needle.len() {
        return 0;
    }
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Measures the evidence. `all_words`: the content words of an interest of several words (a
/// sentence holding all of them counts as the phrase), empty otherwise.
pub(crate) fn features(text: &GroupText, units: &[Evidence], all_words: &[String]) -> Features {
    let mut f = Features {
        sentences: text.charter.len(),
        ..Features::default()
    };
    let specific: Vec<&Evidence> = units.iter().filter(|u| !u.generic).collect();
    f.acronym = units
        .iter()
        .any(|u| !u.acronym.is_empty() && u.acronym == text.acronym);
    let mut found = vec![false; specific.len()];
    let mut all_words_seen = false;
    let mut best: Option<(usize, usize)> = None;
    for (si, sentence) in text.charter.iter().enumerate() {
        let mut here = 0;
        for (ui, u) in specific.iter().enumerate() {
            let n = count(sentence, &u.stems);
            if n > 0 {
                found[ui] = true;
                f.mentions += n;
                here += n;
            }
        }
        if all_words.len() > 1 && all_words.iter().all(|w| sentence.contains(w)) {
            // Every word of the interest in one sentence reads as the interest itself.
            if !all_words_seen && here == 0 {
                f.mentions += 1;
            }
            all_words_seen = true;
            here += 1;
        }
        if here > 0 {
            f.sentences_with += 1;
            if si == 0 {
                f.lead = true;
            }
            if best.is_none_or(|(n, _)| here > n) {
                best = Some((here, si));
            }
        }
    }
    f.best_sentence = best.map(|b| b.1);
    f.units = found.iter().filter(|x| **x).count() + usize::from(all_words_seen);
    f.name_agrees = specific
        .iter()
        .zip(&found)
        .any(|(u, in_charter)| *in_charter && count(&text.name, &u.stems) > 0)
        || (all_words_seen && all_words.iter().all(|w| text.name.contains(w)));
    f.agenda_agrees = specific
        .iter()
        .zip(&found)
        .any(|(u, in_charter)| *in_charter && count(&text.agenda, &u.stems) > 0);
    f
}

/// The decision rules of the module doc.
pub(crate) fn decide(f: &Features, t: &Thresholds) -> Strength {
    let share = if f.sentences == 0 {
        0.0
    } else {
        f.sentences_with as f32 / f.sentences as f32
    };
    let strong = f.acronym
        || (f.lead
            && f.units >= 1
            && (f.units >= 2 || f.mentions >= 2 || f.name_agrees || f.agenda_agrees))
        || (f.units >= 2 && f.sentences_with >= 2 && share >= t.share)
        || (f.name_agrees && f.mentions >= 2);
    if strong {
        Strength::Strong
    } else {
        Strength::Possible
    }
}

/// Splits prose into sentences: at `.`, `?` or `!` followed by a space and an upper-case
/// letter or digit, and at line breaks that end a block (charters come as paragraphs and
/// list items). A period after a number, a lower-case letter or an abbreviation with dots
/// ("1.", "e.g.") does not end one.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in text.split('\n') {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        let chars: Vec<(usize, char)> = block.char_indices().collect();
        let mut from = 0;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '?' | '!') {
                continue;
            }
            let next = chars.get(k + 1).map(|x| x.1);
            let after = chars.get(k + 2).map(|x| x.1);
            if next != Some(' ') || !after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit()) {
                continue;
            }
            // "e.g. X", "i.e. Y", "Fig. 2", "1. Item": abbreviations, not sentence ends.
            let word_start = block[..i]
                .rfind(|ch: char| ch.is_whitespace())
                .map_or(0, |p| p + 1);
            let word = &block[word_start..i];
            let numeral = !word.is_empty() && word.chars().all(|ch| ch.is_ascii_digit());
            let letter = word.chars().count() == 1 && word.chars().all(char::is_lowercase);
            if c == '.' && (numeral || letter || word.contains('.')) {
                continue;
            }
            let s = block[from..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            from = i + 1;
        }
        let rest = block[from..].trim();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn ev(s: &str) -> Evidence {
        Evidence {
            stems: st(s),
            acronym: s.replace(' ', "-"),
            generic: false,
        }
    }

    fn text(acronym: &str, name: &str, charter: &[&str], agenda: &str) -> GroupText {
        GroupText {
            acronym: acronym.into(),
            name: st(name),
            charter: charter.iter().map(|s| st(s)).collect(),
            agenda: st(agenda),
        }
    }

    fn strength(t: &GroupText, units: &[Evidence]) -> Strength {
        decide(&features(t, units, &[]), &THRESHOLDS)
    }

    #[test]
    fn a_word_only_in_a_title_or_the_name_is_possible() {
        let units = [ev("spectrum")];
        let title = text(
            "pq",
            "post quantum",
            &["we work on signatur"],
            "hybrid spectrum",
        );
        assert_eq!(strength(&title, &units), Strength::Possible);
        let name = text("so", "spectrum oper", &["we run network"], "");
        assert_eq!(strength(&name, &units), Strength::Possible);
        let charter = text(
            "rs",
            "radio share",
            &[
                "defin how spectrum is share",
                "other thing",
                "spectrum databas too",
            ],
            "",
        );
        assert_eq!(strength(&charter, &units), Strength::Strong);
    }

    #[test]
    fn one_passing_mention_is_possible_and_generic_words_never_count() {
        let units = [ev("privaci"), ev("oblivi http")];
        let passing = text(
            "x",
            "x",
            &[
                "transport",
                "more",
                "more",
                "it consid privaci",
                "more",
                "more",
            ],
            "",
        );
        assert_eq!(strength(&passing, &units), Strength::Possible);
        let mut generic = ev("network");
        generic.generic = true;
        let t = text("n", "network", &["network network network"], "");
        assert_eq!(strength(&t, &[generic]), Strength::Possible);
        // The vocabulary's home group is strong by its acronym.
        let home = text("oblivious-http", "x", &["y"], "");
        let mut unit = ev("oblivi http");
        unit.acronym = "oblivious-http".into();
        assert_eq!(strength(&home, &[unit]), Strength::Strong);
        // Purpose plus a second piece of evidence.
        let lead = text(
            "o",
            "o",
            &["build oblivi http for privaci", "other", "other"],
            "",
        );
        assert_eq!(strength(&lead, &units), Strength::Strong);
    }

    #[test]
    fn all_words_of_the_interest_in_one_sentence_count_as_the_phrase() {
        let t = text("d", "d", &["stop dns abus now and dns abus later"], "");
        let f = features(&t, &[], &st("dns abus"));
        assert_eq!(f.units, 1);
        assert!(f.lead);
        let t = text("d", "dns servic", &["dns discoveri", "on local link"], "");
        let f = features(&t, &[], &st("dns abus"));
        assert_eq!(f.units, 0);
        assert_eq!(decide(&f, &THRESHOLDS), Strength::Possible);
    }

    #[test]
    fn sentences_split_at_ends_not_abbreviations() {
        let s = sentences("Works on A, e.g. B. Then C? Yes.\nItem 1. Done\n\nLast one");
        assert_eq!(
            s,
            vec![
                "Works on A, e.g. B.",
                "Then C?",
                "Yes.",
                "Item 1. Done",
                "Last one"
            ]
        );
    }
}
