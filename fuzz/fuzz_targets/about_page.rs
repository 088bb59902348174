//! Group about pages: any bytes give a group with a name and no control characters, or an
//! error; never a panic, never a stack overflow. The guide's one-sentence summary of the
//! charter is bounded too, and putting run-in headings on their own lines keeps every word.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    // Putting headings on their own lines only breaks lines: the words stay, in order.
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let apart = wgrec::parse::headings_apart(&html, "Quick UDP Internet Connections", "quic");
    assert_eq!(words(&apart), words(&html));
    if let Ok(g) = wgrec::parse::about_page(&html, "quic") {
        assert!(!g.name.is_empty());
        for t in [&g.name, &g.charter] {
            assert!(!wgrec::parse::has_controls(t), "{t:?}");
        }
        assert!(g.charter.len() <= wgrec::parse::MAX_TEXT);
        if let Some(s) = wgrec::guide::summary_sentence(&g.charter, "quic", &g.name) {
            assert!(s.split_whitespace().count() <= wgrec::guide::SUMMARY_WORDS, "{s:?}");
        }
    }
});
