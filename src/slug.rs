//! File-name stems from people's names, shared by the profiles' output files and the calendar
//! UIDs: plain text work with no stage of its own, kept low so neither has to reach into the
//! other.

/// The name as lower-case ASCII letters, digits and single dashes, at most 60 characters;
/// empty when nothing is left (e.g. a name in a non-Latin script).
pub fn stem(name: &str) -> String {
    let mut s = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            s.push(ch);
        } else if let Some(ascii) = transliterate(ch) {
            s.push_str(ascii);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let mut s = s.trim_end_matches('-').to_string();
    s.truncate(60);
    s.trim_end_matches('-').to_string()
}

/// ASCII spelling of a lower-case Latin letter with a diacritic (or a ligature), so names keep
/// their letters in file names. Our own small table: no Unicode-normalisation dependency.
fn transliterate(ch: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđð", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ţťŧț", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("þ", "th"),
        ("ĳ", "ij"),
    ];
    TABLE
        .iter()
        .find(|(from, _)| from.contains(ch))
        .map(|(_, to)| *to)
}
