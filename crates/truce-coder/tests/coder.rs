//! The coder against hand-coded gold (the seeds and corpus/dev), table tests for its parts,
//! and random input.

use std::path::{Path, PathBuf};

use truce_coder::{Coder, Input};
use truce_eval::{Case, Report};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::{CodedDocument, NaiveDate};
use truce_wire::record::GoldDoc;

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds")
}

fn dev_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/dev")
}

struct Scored {
    report: Report,
    /// Per document: (file, gold, coded).
    docs: Vec<(String, truce_wire::record::Gold, CodedDocument)>,
}

/// Codes every text of a gold file and scores it.
fn evaluate(dir: &Path) -> Option<Scored> {
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).ok()?;
    let gaz = Gazetteer::embedded();
    let lex = Lexicon::embedded();
    let coder = Coder::new(&gaz, &lex);
    let mut docs = Vec::new();
    for (n, line) in gold.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let g: GoldDoc = serde_json::from_str(line).unwrap_or_else(|e| panic!("gold line {}: {e}", n + 1));
        let text = std::fs::read_to_string(dir.join(&g.file)).unwrap_or_else(|e| panic!("{}: {e}", g.file));
        let gold = g.to_model(&text).unwrap_or_else(|e| panic!("{}: {e}", g.file));
        let coded = coder.code(&Input::new(&text, gold.published));
        docs.push((g.file.clone(), gold, coded));
    }
    let cases: Vec<Case> = docs
        .iter()
        .map(|(f, g, c)| Case {
            document: f,
            gold_incidents: &g.incidents,
            gold_statements: &g.statements,
            incidents: &c.incidents,
            statements: &c.statements,
        })
        .collect();
    let report = truce_eval::score(&cases);
    Some(Scored { report, docs })
}

fn show(r: &Report) -> String {
    let mut s = format!(
        "incidents P={:.2} R={:.2} F1={:.2}; statements P={:.2} R={:.2} F1={:.2}; fields {:.3}\n",
        r.incidents.precision(),
        r.incidents.recall(),
        r.incidents.f1(),
        r.statements.precision(),
        r.statements.recall(),
        r.statements.f1(),
        r.field_accuracy()
    );
    for f in &r.fields {
        s += &format!("  {:<12} {}/{}\n", f.field, f.correct, f.total);
    }
    for m in &r.misses {
        s += &format!("MISS  {} {:?} {} | {}\n", m.document, m.kind, m.summary, m.evidence.replace('\n', " "));
    }
    for m in &r.false_alarms {
        s += &format!("FALSE {} {:?} {} | {}\n", m.document, m.kind, m.summary, m.evidence.replace('\n', " "));
    }
    for e in &r.field_errors {
        s += &format!("FIELD {} {} gold={} coded={} | {}\n", e.document, e.field, e.gold, e.coded, e.evidence.replace('\n', " "));
    }
    s
}

#[test]
fn seeds_come_out_as_gold_codes_them() {
    let scored = evaluate(&seeds_dir()).expect("seed corpus present");
    let r = &scored.report;
    eprintln!("{}", show(r));
    // Every incident found, nothing else, every field right.
    assert_eq!((r.incidents.true_positives, r.incidents.false_positives, r.incidents.false_negatives), (4, 0, 0), "{}", show(r));
    assert!((r.field_accuracy() - 1.0).abs() < 1e-9, "{}", show(r));
    assert!(r.statements.true_positives >= 15, "{}", show(r));
    for (_, _, coded) in &scored.docs {
        for i in &coded.incidents {
            assert!(!i.evidence.text.is_empty());
        }
    }
}

#[test]
fn dev_set_meets_the_bars() {
    let Some(scored) = evaluate(&dev_dir()) else {
        panic!("corpus/dev/gold.jsonl missing");
    };
    let r = &scored.report;
    eprintln!("{}", show(r));
    assert!(r.documents >= 40, "only {} dev documents", r.documents);
    assert!(r.incidents.f1() >= 0.9, "{}", show(r));
    assert!(r.field_accuracy() >= 0.9, "{}", show(r));
    assert!(r.statements.f1() >= 0.75, "{}", show(r));
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
