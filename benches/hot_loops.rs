//! The hot loops of `clause check`, through the library API:
//!
//! - `pipeline/parse_only`: `load_all` (discover, read, parse, resolve
//!   Terraform and Ansible values, build every document's input);
//! - `pipeline/parse_and_check`: `check` with the built-in rules (the same
//!   plus evaluation, suppressions and sorting);
//! - `evaluate/*`: the evaluation alone on documents loaded once, on one
//!   thread, and the conversion of every input into a regorus value.
//!
//! After criterion's report it prints `parse_and_check / parse_only`, the
//! issue's "total within 3x of parse-only" ratio.
//!
//!   cargo bench --bench hot_loops                      # fixtures/ + examples/
//!   CLAUSE_BENCH_TREE=/tmp/gen1k cargo bench --bench hot_loops
//!
//! `CLAUSE_BENCH_TREE` takes one or more folders separated by `:` (e.g. a
//! tree from `bench/generate.py`, or `../shared/corpus`).

// The allocator the clause binary uses (src/main.rs), so times compare with
// the CLI's and parse-only is not slowed by another allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clause::check::{CheckConfig, load_all};
use clause::{RuleSet, check};
use criterion::{Criterion, SamplingMode};
use serde::Deserialize;
use std::hint::black_box;

/// Time and iterations each benchmark measured, for the closing ratio.
static MEASURED: Mutex<BTreeMap<&'static str, (Duration, u64)>> = Mutex::new(BTreeMap::new());

fn record(name: &'static str, iters: u64, elapsed: Duration) {
    if let Ok(mut m) = MEASURED.lock() {
        let e = m.entry(name).or_default();
        e.0 += elapsed;
        e.1 += iters;
    }
}

fn mean(name: &str) -> Option<Duration> {
    let m = MEASURED.lock().ok()?;
    let (t, n) = m.get(name)?;
    (*n > 0).then(|| *t / *n as u32)
}

fn trees() -> Vec<PathBuf> {
    match std::env::var("CLAUSE_BENCH_TREE") {
        Ok(v) if !v.is_empty() => std::env::split_paths(&v).collect(),
        _ => {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            vec![root.join("fixtures"), root.join("examples")]
        }
    }
}

fn timed(name: &'static str, iters: u64, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let elapsed = start.elapsed();
    record(name, iters, elapsed);
    elapsed
}

fn benches(c: &mut Criterion) {
    let config = CheckConfig {
        paths: trees(),
        ..CheckConfig::default()
    };
    let rules = match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(errors) => panic!("the built-in rules do not load: {errors:?}"),
    };

    let mut group = c.benchmark_group("pipeline");
    // Whole-tree iterations take seconds: one iteration a sample.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("parse_only", |b| {
        b.iter_custom(|iters| {
            timed("parse_only", iters, || {
                black_box(load_all(black_box(&config)));
            })
        })
    });
    group.bench_function("parse_and_check", |b| {
        b.iter_custom(|iters| {
            timed("parse_and_check", iters, || {
                black_box(check(black_box(&rules), black_box(&config)));
            })
        })
    });
    group.finish();

    let (loaded, _) = load_all(&config);
    let documents: Vec<&clause::Document> = loaded.iter().flat_map(|l| &l.documents).collect();
    let mut group = c.benchmark_group("evaluate");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("to_regorus_value", |b| {
        b.iter(|| {
            for doc in &documents {
                black_box(regorus::Value::deserialize(black_box(&doc.input)).ok());
            }
        })
    });
    group.bench_function("evaluate_one_thread", |b| {
        let mut evaluator = rules.evaluator();
        b.iter_custom(|iters| {
            timed("evaluate_one_thread", iters, || {
                for doc in &documents {
                    black_box(evaluator.evaluate(black_box(doc)));
                }
            })
        })
    });
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    if let (Some(parse), Some(total)) = (mean("parse_only"), mean("parse_and_check")) {
        println!(
            "\nparse_only {:.2} ms, parse_and_check {:.2} ms: total / parse-only = {:.2} (target <= 3)",
            parse.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            total.as_secs_f64() / parse.as_secs_f64()
        );
    }
    if let Some(eval) = mean("evaluate_one_thread") {
        println!(
            "evaluate_one_thread {:.2} ms (evaluation alone, documents loaded once)",
            eval.as_secs_f64() * 1e3
        );
    }
}
