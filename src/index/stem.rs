//! The prose fields' analyzer: tantivy's English one (words, lower case, Snowball stemming)
//! with exceptions. Snowball cuts some words down to a different word, and a vocabulary term
//! then matches texts about something else: "suite" and "suited" are "suit" (every cipher
//! suite, and every charter "well suited" to something, counted for the firmware-update
//! group), "authorization" is "author" (every draft's authors), "accessibility" is "access",
//! "peering" is "peer", "industrial" is "industry". An exception gives such a word a stem of
//! its own, shared by its inflections only.

use std::borrow::Cow;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// Words whose Snowball stem is another word's, with the stem they get instead (sorted by
/// word, for the binary search; a unit test checks). A stem here is one Snowball gives no
/// other word. Group acronyms too: "cats" (Computing-Aware Traffic Steering) is not a "CAT"
/// (the media groups' Common Access Token), "lamps" no lamp.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("accessibility", "accessibl"),
    ("accessible", "accessibl"),
    ("acme", "acme"),
    ("affordable", "affordabl"),
    ("authorisation", "authoriz"),
    ("authorisations", "authoriz"),
    ("authorise", "authoriz"),
    ("authorised", "authoriz"),
    ("authorization", "authoriz"),
    ("authorizations", "authoriz"),
    ("authorize", "authoriz"),
    ("authorized", "authoriz"),
    ("authorizing", "authoriz"),
    ("cats", "cats"),
    ("container", "container"),
    ("containers", "container"),
    ("deployability", "deployabl"),
    ("disabilities", "disabil"),
    ("disability", "disabil"),
    ("hosting", "hosting"),
    ("industrial", "industrial"),
    ("lamps", "lamps"),
    ("localisation", "localiz"),
    ("localised", "localiz"),
    ("localization", "localiz"),
    ("localized", "localiz"),
    ("mailing", "mailing"),
    ("maintainability", "maintainabl"),
    ("messaging", "messaging"),
    ("peering", "peering"),
    ("registrant", "registrant"),
    ("registrants", "registrant"),
    ("resolver", "resolver"),
    ("resolvers", "resolver"),
    ("responsive", "responsiv"),
    ("responsiveness", "responsiv"),
    ("streaming", "streaming"),
    ("suite", "suite"),
    ("suited", "suited"),
    ("suites", "suite"),
    ("suiting", "suited"),
    ("suits", "suits"),
    ("tracked", "tracking"),
    ("tracking", "tracking"),
    ("transportation", "transportation"),
    ("utilities", "utility"),
    ("utility", "utility"),
    ("verifier", "verifier"),
    ("verifiers", "verifier"),
    ("virtualisation", "virtualiz"),
    ("virtualised", "virtualiz"),
    ("virtualization", "virtualiz"),
    ("virtualized", "virtualiz"),
];

/// The analyzer every prose field and every stemmed reading uses.
pub fn prose_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer)
        .build()
}

/// English Snowball stemming with [`EXCEPTIONS`]; tokens arrive lower-cased.
#[derive(Clone, Copy)]
struct Stemmer;

impl TokenFilter for Stemmer {
    type Tokenizer<T: Tokenizer> = StemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemmerFilter<T> {
        StemmerFilter(inner)
    }
}

#[derive(Clone)]
struct StemmerFilter<T>(T);

impl<T: Tokenizer> Tokenizer for StemmerFilter<T> {
    type TokenStream<'a> = StemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemStream {
            tail: self.0.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct StemStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
}

/// `word`'s stem: its exception, else Snowball's.
fn stem<'a>(stemmer: &frostem::Stemmer, word: &'a str) -> Cow<'a, str> {
    match EXCEPTIONS.binary_search_by(|(w, _)| (*w).cmp(word)) {
        Ok(i) => Cow::Borrowed(EXCEPTIONS[i].1),
        Err(_) => stemmer.stem(word),
    }
}

impl<T: TokenStream> TokenStream for StemStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // A stem that is the word cut short (most are) is the same text truncated in place.
        let cut = match stem(&self.stemmer, &token.text) {
            Cow::Borrowed(s) if token.text.starts_with(s) => Ok(s.len()),
            other => Err(other.into_owned()),
        };
        match cut {
            Ok(len) => token.text.truncate(len),
            Err(s) => token.text = s,
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        let mut an = prose_analyzer();
        let mut ts = an.token_stream(text);
        let mut out = Vec::new();
        while ts.advance() {
            out.push(ts.token().text.clone());
        }
        out
    }

    #[test]
    fn the_exceptions_are_sorted_and_each_changes_snowballs_stem() {
        assert!(EXCEPTIONS.windows(2).all(|w| w[0].0 < w[1].0));
        let snowball = frostem::Stemmer::new(frostem::Algorithm::English);
        for (word, stem) in EXCEPTIONS {
            assert_ne!(
                snowball.stem(word),
                *stem,
                "{word}: Snowball agrees, no exception needed"
            );
        }
    }

    #[test]
    fn a_word_keeps_its_sense_and_the_rest_stem_as_before() {
        assert_eq!(stems("Cipher Suites"), ["cipher", "suite"]);
        assert_eq!(stems("SUIT manifests"), ["suit", "manifest"]);
        assert_eq!(stems("well suited"), ["well", "suited"]);
        assert_eq!(
            stems("authorization of the authors"),
            ["authoriz", "of", "the", "author"]
        );
        assert_eq!(stems("Authorized"), ["authoriz"]);
        assert_eq!(stems("utilities utility"), ["utility", "utility"]);
        assert_eq!(
            stems("routing privacy encrypted"),
            ["rout", "privaci", "encrypt"]
        );
    }
}
