//! robots.txt: any text parses, and matching any path against its rules terminates without a
//! panic. The first line of the input doubles as the path asked about.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wgrec::fetch::robots::{AGENT, Robots};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let r = Robots::parse(&text, AGENT);
    let path = format!("/{}", text.lines().next().unwrap_or(""));
    let _ = r.disallowed_by(&path);
    let _ = r.disallowed_by("/group/quic/about/");
    let _ = r.describe();
});
