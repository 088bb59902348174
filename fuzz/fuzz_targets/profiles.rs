//! Staff profiles files: any text gives officials or a `<file>:<line>: ...` error; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match wgrec::profiles::parse(text, "p.toml") {
        Ok(p) => assert!(!p.officials.is_empty()),
        Err(e) => assert!(e.to_string().starts_with("p.toml:"), "{e}"),
    }
});
