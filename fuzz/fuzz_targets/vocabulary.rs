//! Vocabulary files: any text gives topics (merged into the built-in vocabulary without a
//! panic) or an error naming the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use wgrec::rank::Vocabulary;

/// Parsed once: the built-in file is the same for every input.
static BUILTIN: LazyLock<Vocabulary> = LazyLock::new(|| Vocabulary::builtin().unwrap());

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Vocabulary::parse(text, "v.toml") {
        Ok(v) => {
            let mut all = BUILTIN.clone();
            all.merge(v);
            let _ = all.check_includes();
        }
        Err(e) => assert!(e.to_string().contains("v.toml"), "{e}"),
    }
});
