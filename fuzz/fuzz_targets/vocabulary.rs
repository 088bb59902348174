//! Vocabulary files: any text gives topics (merged into the built-in vocabulary without a
//! panic) or an error naming the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wgrec::rank::Vocabulary;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Vocabulary::parse(text, "v.toml") {
        Ok(v) => {
            let mut all = Vocabulary::builtin().unwrap();
            all.merge(v);
            let _ = all.check_includes();
        }
        Err(e) => assert!(e.to_string().contains("v.toml"), "{e}"),
    }
});
