//! The layering rule, checked on the source: only the command-line front end (the binary:
//! `src/main.rs`, `src/cli.rs`, `src/cmd/`, and `src/arena.rs`, its allocator) may use the
//! command-line modules or clap; the library below it (`src/lib.rs` and the modules it declares)
//! takes plain types.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `text` reaches into the front end: `crate::cli`/`crate::cmd` paths, or the
/// clap crate itself.
fn offending_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            let code = l.split("//").next().unwrap_or("");
            // Spelled in pieces so this file does not match itself.
            [
                concat!("crate::", "cli"),
                concat!("crate::", "cmd"),
                concat!("clap", "::"),
                concat!("use ", "clap"),
            ]
            .iter()
            .any(|p| code.contains(p))
        })
        .map(str::to_string)
        .collect()
}

/// The binary's files and folder under `src/` (its root is `src/main.rs`).
const FRONT_END: &[&str] = &["main.rs", "cli.rs", "cmd/", "arena.rs"];

#[test]
fn only_the_front_end_uses_cli_cmd_or_clap() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found only {} source files", files.len());
    let mut bad = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if FRONT_END
            .iter()
            .any(|f| rel == *f || (f.ends_with('/') && rel.starts_with(f)))
        {
            continue;
        }
        for line in offending_lines(&std::fs::read_to_string(&f).unwrap()) {
            bad.push(format!("src/{rel}: {}", line.trim()));
        }
    }
    assert!(
        bad.is_empty(),
        "front-end code used below the front end:\n{}",
        bad.join("\n")
    );
}

/// The front end belongs to the binary: the library declares none of its modules, so no
/// library user (the server, the benches, other tools) gets clap types through it; the binary
/// root declares them all.
#[test]
fn the_library_does_not_contain_the_command_line_front_end() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let main = std::fs::read_to_string(src.join("main.rs")).unwrap();
    for m in ["cli", "cmd", "arena"] {
        let decl = |text: &str| {
            text.lines()
                .any(|l| l.trim_start().trim_start_matches("pub ") == format!("mod {m};"))
        };
        assert!(!decl(&lib), "src/lib.rs declares the front-end module {m}");
        assert!(decl(&main), "the binary's main.rs does not declare {m}");
    }
    // The files the first test exempts are exactly the binary's: each exists.
    for f in FRONT_END {
        let path = src.join(f.trim_end_matches('/'));
        assert!(
            path.exists(),
            "src/{f} is missing: FRONT_END is out of date"
        );
    }
    assert!(
        src.join("cmd/mod.rs").is_file(),
        "src/cmd/mod.rs is missing"
    );
    // The binary reaches the library by its name, as any user of it does.
    assert!(
        main.contains("wgrec::"),
        "the binary's main.rs does not use the library"
    );
    assert!(
        !main
            .lines()
            .any(|l| l.trim_start().starts_with("pub mod ") || l.trim_start() == "mod app;"),
        "the binary's main.rs declares library modules"
    );
}

#[test]
fn the_check_sees_an_offending_import() {
    assert_eq!(
        offending_lines(concat!("use crate::", "cli::ListFormat;")).len(),
        1
    );
    assert_eq!(
        offending_lines(concat!("    crate::", "cmd::open_data(x)")).len(),
        1
    );
    assert_eq!(offending_lines(concat!("use cl", "ap::Parser;")).len(), 1);
    assert!(offending_lines(concat!("// crate::", "cli is the parser")).is_empty());
}
