//! Times the fused and the incremental paths natively on a query response file (CPU profiling
//! aid: `cargo run --release --example profile_bulk -- FILE [fused|revision|ids|stable] [rounds]`).
use sentinel_elastic_wasm::bulk::{Job, Options};
use sentinel_elastic_wasm::revision::Ids;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read(&args[1]).expect("a response file");
    let mode = args.get(2).map_or("fused", String::as_str);
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(10);
    let mut options = Options {
        index: "logs-azure_api".into(),
        tenant_name: Some(b"\"Contoso\"".to_vec()),
        now_ms: 1_763_553_600_000.0,
        ..Default::default()
    };
    // `ids` and `stable` are the incremental mode's two extras alone: `key@time` ids, and the
    // `@timestamp` taken from TimeGenerated.
    options.ids = if matches!(mode, "revision" | "ids") { Ids::Revision } else { Ids::First };
    options.stable_timestamp = matches!(mode, "revision" | "stable");
    let mut best = f64::MAX;
    let mut bytes = 0;
    for _ in 0..rounds {
        let input = text.clone();
        let started = Instant::now();
        let mut job = Job::new(input, &options).unwrap();
        while !job.step(32).unwrap() {
            bytes += job.pending().len();
            job.clear_pending();
        }
        let bulk = job.finish().unwrap();
        bytes += bulk.ndjson.len();
        best = best.min(started.elapsed().as_secs_f64() * 1e3);
    }
    println!("{mode}: best {best:.1} ms, {:.0} MB/s ({} bytes out per round)", text.len() as f64 / best / 1e3, bytes / rounds);
}
