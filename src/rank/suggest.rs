//! Spelling suggestions for words of an interest that the meeting's texts and the vocabulary do
//! not know ("privcy" -> "privacy"), from the vocabulary's words and the index's own words.

/// Edit distance with transpositions (optimal string alignment), on characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// How far a suggestion may be from a word of this length.
fn budget(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

/// Up to three known words close to `word`, closest first; the vocabulary's words (`preferred`)
/// win ties over the index's.
pub fn closest(word: &str, preferred: &[String], others: &[String]) -> Vec<String> {
    let w = word.to_lowercase();
    let max = budget(&w);
    if max == 0 {
        return Vec::new();
    }
    let mut found: Vec<(usize, usize, &String)> = Vec::new();
    for (rank, list) in [preferred, others].into_iter().enumerate() {
        for cand in list {
            // Only words of a similar length and the same first letter are plausible typos.
            if cand.chars().next() != w.chars().next()
                || cand.chars().count().abs_diff(w.chars().count()) > max
                || *cand == w
            {
                continue;
            }
            let dist = distance(&w, cand);
            if dist <= max && !found.iter().any(|f| f.2 == cand) {
                found.push((dist, rank, cand));
            }
        }
    }
    found.sort();
    found.into_iter().take(3).map(|f| f.2.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_word() {
        assert_eq!(distance("privcy", "privacy"), 1);
        assert_eq!(distance("rotuing", "routing"), 1);
        let vocab = vec!["privacy".to_string(), "proxy".to_string()];
        let index = vec!["private".to_string(), "privacy".to_string()];
        assert_eq!(closest("privcy", &vocab, &index), vec!["privacy"]);
        assert_eq!(closest("privte", &vocab, &index), vec!["private"]);
        assert!(closest("datenschutz", &vocab, &index).is_empty());
        // Short words are not guessed at.
        assert!(closest("dsn", &["dns".to_string()], &[]).is_empty());
    }
}
