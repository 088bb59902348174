//! Build script: links the `wgrec` executable as non-PIE on Linux with the GNU toolchain.
//!
//! Why: a position-independent executable makes the dynamic loader patch every pointer in the
//! binary's statics at each start (about 80,000 relative relocations here: the bundled
//! meeting's file tree, time-zone tables, vocabularies), which cost about three quarters of the
//! instructions of `wgrec --version`. A non-PIE executable has those addresses fixed at link
//! time, so there is nothing to patch. The trade-off: the executable's own code and data load
//! at a fixed address (no ASLR for them; libraries, heap and stack stay randomised), which is
//! acceptable for a command-line tool that holds no secrets (and written in safe Rust).
//!
//! Lazy binding (`-z lazy`) for the same reason: resolving every imported libc function at
//! start-up costs more than resolving the few a run calls. The trade-off: the table of those
//! addresses stays writable (partial instead of full RELRO).
//!
//! Only this package's binaries are affected (`rustc-link-arg-bins`): the library, tests,
//! build scripts and proc-macros link as before.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
        println!("cargo:rustc-link-arg-bins=-Wl,-z,lazy");
    }
}
