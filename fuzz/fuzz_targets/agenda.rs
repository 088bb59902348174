//! Both agenda formats (`agenda-data`, `agenda.json`): any bytes give an agenda that passes the
//! sanity rules, or an error; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for meeting in [121, 110] {
        if let Ok(a) = wgrec::parse::agenda(data, meeting) {
            assert!(wgrec::parse::check_agenda(&a).is_ok());
            assert!(a.sessions.len() <= wgrec::parse::MAX_SESSIONS);
            for s in &a.sessions {
                assert!(s.end > s.start);
                for t in [&s.group_name, &s.name, &s.note] {
                    assert!(!wgrec::parse::has_controls(t), "{t:?}");
                }
            }
        }
    }
});
