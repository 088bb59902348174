//! Work done once at build time instead of on every run:
//! - the built-in vocabulary (vocabulary/policy.toml) becomes static tables, normalised exactly
//!   as `Vocabulary::parse` does (a unit test checks that both give the same vocabulary);
//! - the bundled snapshot's fingerprint (`Snapshot::fingerprint`, a unit test checks it too),
//!   which otherwise parses its 78 KB manifest on every run.
//! - the vocabulary's fingerprint, which the index's digest records;
//! - how the `wgrec` executable is linked (`link_args`: non-PIE, lazy binding).

use std::fmt::Write as _;

const LISTS: [&str; 5] = ["aliases", "asked_as", "terms", "related", "include"];

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

struct Topic {
    name: String,
    gloss: String,
    lists: [Vec<String>; 5],
}

/// Links the `wgrec` executable as non-PIE with lazy binding on Linux with glibc.
///
/// Why: a position-independent executable makes the dynamic loader patch every pointer in the
/// binary's statics at each start (about 80,000 relative relocations here: the bundled
/// meeting's file tree, time-zone tables, ...), which cost about 60% of the instructions of
/// `wgrec --version`. A non-PIE executable has those addresses fixed at link time, so there is
/// nothing to patch. The trade-off: the executable's own code and data load at a fixed address
/// (no ASLR for them; libraries, heap and stack stay randomised), acceptable for a tool in
/// safe Rust that holds no secrets. Lazy binding for the same reason: resolving every imported
/// libc function at start-up costs more than resolving the few a run calls; the trade-off is
/// that the table of those addresses stays writable (partial instead of full RELRO).
///
/// Only this package's binaries are affected (`rustc-link-arg-bins`): the library, tests,
/// build scripts and proc-macros link as before. README "Speed, measured" has the figures.
fn link_args() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
        println!("cargo:rustc-link-arg-bins=-Wl,-z,lazy");
    }
}

fn main() {
    link_args();
    vocabulary();
    bundled_fingerprint();
}

/// Same algorithm as `Snapshot::fingerprint`: SHA-256 over every path and its body's SHA-256.
fn bundled_fingerprint() {
    use sha2::{Digest, Sha256};
    let path = "fixtures/ietf115/snapshot/manifest.json";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).expect("the bundled manifest is readable");
    let m: serde_json::Value = serde_json::from_str(&text).expect("the bundled manifest is JSON");
    let entries = m["entries"].as_object().expect("the manifest has entries");
    // serde_json's map is ordered by key here (no preserve_order), like the BTreeMap at run time.
    let mut h = Sha256::new();
    for (path, e) in entries {
        h.update(path.as_bytes());
        h.update(b"\0");
        h.update(
            e["sha256"]
                .as_str()
                .expect("every entry has a sha256")
                .as_bytes(),
        );
        h.update(b"\n");
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=WGREC_BUNDLED_FINGERPRINT={hex}");
}

fn vocabulary() {
    let path = "vocabulary/policy.toml";
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(path).expect("vocabulary/policy.toml is readable");
    // The index's digest records which vocabulary it was computed with: the first three bytes
    // of its SHA-256, as a number literal for `include!`.
    let sha = {
        use sha2::{Digest, Sha256};
        Sha256::digest(text.as_bytes())
    };
    let fingerprint = u32::from_be_bytes([0, sha[0], sha[1], sha[2]]);
    let out =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("vocabulary_fingerprint.rs");
    std::fs::write(out, format!("{fingerprint}")).expect("OUT_DIR is writable");
    let table: toml::Table = text.parse().expect("vocabulary/policy.toml is valid TOML");
    let mut topics: Vec<Topic> = Vec::new();
    let raw = table
        .get("topic")
        .and_then(|t| t.as_array())
        .cloned()
        .unwrap_or_default();
    for t in raw {
        let t = t.as_table().expect("each [[topic]] is a table");
        let s = |k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or_default();
        let list = |k: &str| -> Vec<String> {
            t.get(k)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).map(normalise))
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect()
        };
        let topic = Topic {
            name: normalise(s("name")),
            gloss: s("gloss").split_whitespace().collect::<Vec<_>>().join(" "),
            lists: LISTS.map(list),
        };
        assert!(
            !topic.name.is_empty(),
            "a topic in {path} has an empty name"
        );
        // Same merge as `Vocabulary::merge`: a repeated name extends the earlier topic.
        match topics.iter_mut().find(|x| x.name == topic.name) {
            Some(x) => {
                if !topic.gloss.is_empty() {
                    x.gloss = topic.gloss;
                }
                for (dst, src) in x.lists.iter_mut().zip(topic.lists) {
                    for s in src {
                        if !dst.contains(&s) {
                            dst.push(s);
                        }
                    }
                }
            }
            None => topics.push(topic),
        }
    }
    let mut out = String::from("&[\n");
    for t in &topics {
        write!(
            out,
            "    Topic {{ name: Cow::Borrowed({:?}), gloss: Cow::Borrowed({:?})",
            t.name, t.gloss
        )
        .unwrap();
        for (k, l) in LISTS.iter().zip(&t.lists) {
            write!(out, ", {k}: Cow::Borrowed(&[").unwrap();
            for item in l {
                write!(out, "Cow::Borrowed({item:?}), ").unwrap();
            }
            out.push_str("])");
        }
        out.push_str(" },\n");
    }
    out.push(']');
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("policy_vocabulary.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
