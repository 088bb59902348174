//! A plan's explanations: the one-line reason a candidate carries, from the ranking's excerpt.

/// The sentence of the ranking's excerpt that holds the first match, on one line, at most ~160 characters. Heading
/// marks and the excerpt's `...` ends are dropped; the `**bold**` marks of the matching words are
/// kept (renderers show or strip them).
pub fn one_line_reason(excerpt: &str) -> String {
    let flat: String = excerpt.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut t = flat.trim_start_matches(['#', ' ']).trim();
    t = t.strip_prefix("...").unwrap_or(t).trim_start();
    t = t.strip_suffix("...").unwrap_or(t).trim_end();
    // The sentence holding the first matched word says most about why it matters. A period
    // after a digit ends a list number ("4. Secure routing"), not a sentence.
    let mut sentences = Vec::new();
    let mut from = 0;
    for (i, _) in t.match_indices(". ") {
        let before = t[..i].chars().next_back();
        if before.is_some_and(|c| !c.is_ascii_digit()) {
            sentences.push(&t[from..=i]);
            from = i + 2;
        }
    }
    sentences.push(&t[from..]);
    let sentence = sentences
        .iter()
        .find(|x| x.contains("**"))
        .or(sentences.first())
        .copied()
        .unwrap_or("")
        .trim();
    // A numbered list (a session agenda) says why through its matching items; its first part
    // is usually the agenda's heading (group, date, room), which the plan already shows.
    let mut items: Vec<Vec<&str>> = vec![Vec::new()];
    for w in sentence.split(' ') {
        let numbered =
            w.len() > 1 && w.ends_with('.') && w[..w.len() - 1].bytes().all(|b| b.is_ascii_digit());
        if numbered {
            items.push(Vec::new());
        } else if let Some(last) = items.last_mut() {
            last.push(w);
        }
    }
    let listed: String;
    let mut sentence = sentence;
    if items.len() > 1 {
        let mut hits: Vec<String> = Vec::new();
        for it in &items[1..] {
            let item = it.join(" ");
            if item.contains("**") && !hits.contains(&item) {
                hits.push(item);
            }
        }
        listed = if hits.is_empty() {
            String::new()
        } else {
            format!("Agenda: {}", hits.join("; "))
        };
        sentence = &listed;
    }
    // A long sentence is cut to a window that starts shortly before the first match.
    let mut lead = "";
    if let Some(p) = sentence.find("**")
        && sentence.chars().count() > 160
        && p > 60
    {
        let mut start = p - 50;
        while !sentence.is_char_boundary(start) {
            start -= 1;
        }
        if let Some(sp) = sentence[start..p].find(' ') {
            start += sp + 1;
        }
        sentence = &sentence[start..];
        lead = "…";
    }
    let mut out = format!("{lead}{}", truncate_chars(sentence, 160));
    // A cut inside a bold run leaves an unpaired mark.
    if out.matches("**").count() % 2 == 1
        && let Some(i) = out.rfind("**")
    {
        out.replace_range(i..i + 2, "");
    }
    out
}

/// `reason` without the `**` marks, for plain-text outputs.
pub fn plain(reason: &str) -> String {
    reason.replace("**", "")
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t = t.trim_end().to_string();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_one_clean_line() {
        assert_eq!(
            one_line_reason("# **Privacy** Preserving\n Measurement. Second sentence..."),
            "**Privacy** Preserving Measurement."
        );
        assert_eq!(
            one_line_reason("...ion. Work on **routing** security. More."),
            "Work on **routing** security."
        );
        assert_eq!(
            one_line_reason(
                "...Detection 4. **Secure** **routing** 5. Impact 6. **Secure** **routing**..."
            ),
            "Agenda: **Secure** **routing**"
        );
        assert_eq!(
            one_line_reason(
                "# WG (wg) - IETF 115, room: R 1. Chair slides 2. **DNS** privacy 3. Other"
            ),
            "Agenda: **DNS** privacy"
        );
        assert_eq!(
            one_line_reason("# **WG** (wg), room: R 1. Chair slides 2. Other"),
            ""
        );
        let far = format!("{} then **match** here", "word ".repeat(40));
        let r = one_line_reason(&far);
        assert!(r.starts_with('…') && r.contains("**match**"), "{r}");
        assert_eq!(
            one_line_reason("...to hide **names**..."),
            "to hide **names**"
        );
        let long = format!(
            "{}**bold words here** {}",
            "word ".repeat(8),
            "more ".repeat(40)
        );
        let r = one_line_reason(&long);
        assert_eq!(r.matches("**").count() % 2, 0, "{r}");
        assert!(r.ends_with('…') && r.chars().count() <= 161, "{r}");
        assert_eq!(plain("a **b** c"), "a b c");
    }
}
