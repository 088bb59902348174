//! `wgrec --version` and `-V`: answered before clap builds the command tree (start-up cost,
//! issue 13), so this checks that the text is still exactly clap's, and that any other command
//! line still goes through clap.

use crate::common::{stdout_of, wgrec};

#[test]
fn version_is_clap_s_text_and_other_command_lines_still_parse() {
    let home = tempfile::tempdir().unwrap();
    // What clap renders for the command's name and the package version.
    let clap_text = format!("wgrec {}\n", env!("CARGO_PKG_VERSION"));
    // The bare flags take the short path; with another flag before it, clap answers.
    for args in [&["--version"][..], &["-V"], &["-q", "--version"]] {
        assert_eq!(
            stdout_of(wgrec(home.path()).args(args)),
            clap_text,
            "{args:?}"
        );
    }
    wgrec(home.path()).arg("--versions").assert().code(2);
}
