//! Links the `pagsearch` binary as a position-dependent executable on Linux.
//!
//! A search is a short process, and a position-independent executable
//! spends part of it on start-up: the dynamic loader applies some 40,000
//! relocations and copies the pages they touch. Linked at a fixed address,
//! those are resolved when the binary is built (measured: 0.5–0.8 ms less
//! a search process, about a sixth of one on 1,000 reports). The price is
//! that the executable's own code sits at the same address each run; its
//! libraries, stack, heap and mapped index files are still placed at
//! random. `PAGSEARCH_PIE=1` at build time keeps the usual
//! position-independent executable. The library and the tests are not
//! affected.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PAGSEARCH_PIE");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let keep_pie = std::env::var_os("PAGSEARCH_PIE").is_some_and(|v| v == "1");
    if os == "linux" && env == "gnu" && !keep_pie {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
