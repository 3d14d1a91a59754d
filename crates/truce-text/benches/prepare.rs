//! Throughput of `truce_text::prepare` on news text and on the same text as HTML pages.
//! Reads the seed texts and the development set (corpus/dev), repeats them to ~32 MB and prints
//! MB/s for each format. Run: cargo bench -p truce-text --bench prepare

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use truce_text::{Format, prepare};

fn texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("../../corpus/dev"),
        root.join("../../../shared/corpus/seeds"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "txt")
                && let Ok(t) = std::fs::read_to_string(&p)
            {
                out.push(t);
            }
        }
    }
    if out.is_empty() {
        out.push(
            "Russia fired ballistic missiles at Sumy on Sunday, killing at least 35 people. "
                .repeat(40),
        );
    }
    out
}

/// The same text as a typical article page: head, nav, header, paragraphs, aside, footer.
fn as_html(t: &str) -> String {
    let mut h = String::from(
        "<!DOCTYPE html><html><head><title>News</title><style>p{margin:0}</style>\
         <script>var x = '<p>not text</p>';</script></head><body><nav><a href=\"/\">Home</a> \
         <a href=\"/world\">World</a></nav><header><div class=\"logo\">Daily</div></header><main><article>",
    );
    for line in t.lines() {
        let esc = line.replace('&', "&amp;").replace('<', "&lt;");
        h.push_str("<p>");
        h.push_str(&esc);
        h.push_str("</p>\n");
    }
    h.push_str(
        "</article><aside><h3>Most read</h3><ul><li>One</li><li>Two</li></ul></aside></main>\
                <footer>&copy; 2025 Daily &mdash; All rights reserved</footer></body></html>",
    );
    h
}

/// CPU time of this thread in seconds (Linux), to report throughput per core even when the
/// machine is busy; None elsewhere.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn run(name: &str, docs: &[String], format: Format) {
    let bytes: usize = docs.iter().map(String::len).sum();
    // Warm up once, then time the best of three passes.
    for d in docs.iter().take(50) {
        black_box(prepare(d, format));
    }
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut sentences = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let c0 = cpu_seconds();
        sentences = 0;
        for d in docs {
            sentences += black_box(prepare(d, format)).sentences.len();
        }
        best = best.min(t0.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c0, cpu_seconds()) {
            best_cpu = best_cpu.min(c1 - c0);
        }
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "prepare {name:<5} {mb:>7.1} MB: {:>7.1} MB/s wall, {:>7.1} MB/s per core (CPU time) ({} docs, {sentences} sentences)",
        mb / best,
        mb / best_cpu,
        docs.len()
    );
}

fn main() {
    let base = texts();
    let base_len: usize = base.iter().map(String::len).sum();
    let reps = (32_000_000 / base_len.max(1)).max(1);
    let text: Vec<String> = (0..reps).flat_map(|_| base.iter().cloned()).collect();
    let html: Vec<String> = text.iter().map(|t| as_html(t)).collect();
    run("text", &text, Format::Text);
    run("html", &html, Format::Html);
}
