//! Session agenda documents (HTML, Markdown, plain text): any bytes give bounded text without
//! control characters, or an error; never a panic, never a stack overflow.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = wgrec::parse::document_text(data) {
        assert!(!wgrec::parse::has_controls(&t), "{t:?}");
        assert!(t.len() <= wgrec::parse::MAX_TEXT * 3);
    }
});
