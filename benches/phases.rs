//! Times the phases of `clause check` on real trees through the library API,
//! so `bench/compare.sh` can set parse-only time beside the whole check.
//!
//!   cargo bench --bench phases -- [OPTIONS] [TREE...]
//!
//! Options:
//!   --mode both|parse|check   what to run (default both)
//!   --runs N                  repetitions; the median is printed (default 3)
//!   --per-rule                also time every rule alone, one thread, and
//!                             list the costliest
//!   --json                    print one JSON object instead of a table
//!
//! Without a tree it reads `fixtures/` and `examples/` (what plain
//! `cargo bench` runs). Threads follow `RAYON_NUM_THREADS`, as in the CLI.
//!
//! "parse" is `clause::check::parse_only`: discovery, reading, parsing,
//! Terraform and Ansible value resolution, and building every document's
//! input. "check" is `clause::check` with the built-in rules: the same, plus
//! evaluation, suppressions and sorting. Loading the rules is timed apart.

// The allocator the clause binary uses (src/main.rs), so times compare with
// the CLI's and parse-only is not slowed by another allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clause::check::{CheckConfig, load_all, parse_only};
use clause::{RuleSet, check};

struct Args {
    mode: String,
    runs: usize,
    per_rule: bool,
    json: bool,
    trees: Vec<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        mode: "both".into(),
        runs: 3,
        per_rule: false,
        json: false,
        trees: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            // What `cargo bench` passes to every harness-less bench.
            "--bench" => {}
            "--mode" => args.mode = it.next().unwrap_or_default(),
            "--runs" => args.runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(3).max(1),
            "--per-rule" => args.per_rule = true,
            "--json" => args.json = true,
            s if s.starts_with("--") => {
                eprintln!("phases: unknown option {s}");
                std::process::exit(2);
            }
            tree => args.trees.push(PathBuf::from(tree)),
        }
    }
    if !["both", "parse", "check"].contains(&args.mode.as_str()) {
        eprintln!("phases: --mode is both, parse or check");
        std::process::exit(2);
    }
    if args.trees.is_empty() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        args.trees = vec![root.join("fixtures"), root.join("examples")];
    }
    args
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args = parse_args();
    let config = CheckConfig {
        paths: args.trees.clone(),
        ..CheckConfig::default()
    };
    let mut report = serde_json::Map::new();
    report.insert("trees".into(), serde_json::json!(args.trees));
    report.insert(
        "threads".into(),
        serde_json::json!(rayon::current_num_threads()),
    );

    let mut parse_ms = None;
    if args.mode != "check" {
        let mut times = Vec::new();
        let mut documents = 0;
        for _ in 0..args.runs {
            let start = Instant::now();
            let (count, errors) = parse_only(&config);
            times.push(start.elapsed());
            documents = count;
            std::hint::black_box(&errors);
        }
        let t = ms(median(times));
        parse_ms = Some(t);
        report.insert("documents".into(), serde_json::json!(documents));
        report.insert("parse_ms".into(), serde_json::json!(t));
    }

    let mut check_ms = None;
    if args.mode != "parse" {
        let start = Instant::now();
        let rules = match RuleSet::builtin() {
            Ok(rules) => rules,
            Err(errors) => {
                eprintln!("phases: the built-in rules do not load: {errors:?}");
                std::process::exit(2);
            }
        };
        report.insert("rules".into(), serde_json::json!(rules.rules.len()));
        report.insert(
            "load_rules_ms".into(),
            serde_json::json!(ms(start.elapsed())),
        );
        let mut times = Vec::new();
        let mut findings = 0;
        for _ in 0..args.runs {
            let start = Instant::now();
            let outcome = check(&rules, &config);
            times.push(start.elapsed());
            findings = outcome.finding_count();
        }
        let t = ms(median(times));
        check_ms = Some(t);
        report.insert("findings".into(), serde_json::json!(findings));
        report.insert("check_ms".into(), serde_json::json!(t));
        if args.per_rule {
            report.insert("per_rule".into(), per_rule(&rules, &config));
        }
    }
    if let (Some(p), Some(c)) = (parse_ms, check_ms) {
        report.insert("ratio".into(), serde_json::json!(c / p));
    }

    if args.json {
        println!("{}", serde_json::Value::Object(report));
        return;
    }
    let trees: Vec<String> = args.trees.iter().map(|t| t.display().to_string()).collect();
    println!(
        "trees: {}  (threads {}, median of {} runs)",
        trees.join(" "),
        rayon::current_num_threads(),
        args.runs
    );
    for (key, label) in [
        ("documents", "documents"),
        ("rules", "rules"),
        ("findings", "findings"),
        ("load_rules_ms", "load built-in rules (ms)"),
        ("parse_ms", "parse only (ms)"),
        ("check_ms", "parse + evaluate: check (ms)"),
        ("ratio", "check / parse only"),
    ] {
        if let Some(v) = report.get(key) {
            match v.as_f64() {
                Some(f) if v.is_f64() => println!("  {label:<32} {f:>10.2}"),
                _ => println!("  {label:<32} {v:>10}"),
            }
        }
    }
    if let Some(serde_json::Value::Array(rows)) = report.get("per_rule") {
        println!("  costliest rules, each alone on one thread (ms, documents):");
        for row in rows.iter().take(15) {
            println!(
                "    {:<14} {:>10.2} {:>6}",
                row["rule"].as_str().unwrap_or(""),
                row["ms"].as_f64().unwrap_or(0.0),
                row["documents"]
            );
        }
    }
}

/// Each rule alone over the documents (loaded once), costliest first.
fn per_rule(rules: &RuleSet, config: &CheckConfig) -> serde_json::Value {
    let (loaded, _) = load_all(config);
    let documents: Vec<&clause::Document> = loaded.iter().flat_map(|l| &l.documents).collect();
    let mut rows = Vec::new();
    for rule in &rules.rules {
        let mut alone = rules.clone();
        alone.retain(|r| r.meta.id == rule.meta.id);
        let mut evaluator = alone.evaluator();
        let mut count = 0;
        let start = Instant::now();
        for doc in &documents {
            if clause::engine::applies(rule, doc) {
                count += 1;
                std::hint::black_box(evaluator.evaluate(doc));
            }
        }
        rows.push((ms(start.elapsed()), rule.meta.id.clone(), count));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    serde_json::Value::Array(
        rows.into_iter()
            .map(|(t, id, n)| serde_json::json!({"rule": id, "ms": t, "documents": n}))
            .collect(),
    )
}
