//! Gives the WebAssembly build an 8 MiB stack: deep JSON (up to `json::clean::MAX_DEPTH`
//! levels) is copied recursively. A link argument here survives a `RUSTFLAGS` override.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=-zstack-size=8388608");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
