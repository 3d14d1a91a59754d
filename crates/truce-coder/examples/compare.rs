//! Prints, for each document of a gold file, the gold records next to the coded ones:
//! `cargo run -p truce-coder --example compare -- corpus/dev [FILE-SUBSTRING]`.

use truce_coder::{Coder, Input};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::{Incident, Statement};
use truce_wire::record::GoldDoc;

fn inc(i: &Incident) -> String {
    let c = |x: &truce_model::Casualties| {
        x.count
            .map(|c| format!("{}{}", c.n, &c.q.as_str()[..2]))
            .unwrap_or("-".into())
    };
    format!(
        "{} {}/{}/{} perp={} by={} w={} t={} k={} i={}",
        i.date.map(|d| d.to_string()).unwrap_or("-".into()),
        i.place.as_deref().unwrap_or("-"),
        i.admin1.as_deref().unwrap_or("-"),
        i.country.as_deref().unwrap_or("-"),
        i.perpetrator,
        i.reported_by,
        i.weapons
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(","),
        i.targets
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(","),
        c(&i.killed),
        c(&i.injured)
    )
}

fn st(s: &Statement) -> String {
    format!(
        "{} ({}) {} {} -> {}",
        s.speaker,
        s.party,
        s.act,
        s.about,
        s.target.map(|t| t.as_str()).unwrap_or("-")
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).map(String::as_str).unwrap_or("corpus/dev"));
    let filter = args.get(2).cloned().unwrap_or_default();
    let gaz = Gazetteer::embedded();
    let lex = Lexicon::embedded();
    let coder = Coder::new(&gaz, &lex);
    let Ok(gold) = std::fs::read_to_string(dir.join("gold.jsonl")) else {
        eprintln!("no gold.jsonl in {}", dir.display());
        return;
    };
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(g) = serde_json::from_str::<GoldDoc>(line) else {
            continue;
        };
        if !g.file.contains(&filter) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dir.join(&g.file)) else {
            continue;
        };
        let Ok(gm) = g.to_model(&text) else { continue };
        let d = coder.code(&Input::new(&text, gm.published));
        println!(
            "===== {} ({})",
            g.file,
            g.published.as_deref().unwrap_or("-")
        );
        for i in &gm.incidents {
            println!(
                "  GOLD  {}\n        | {}",
                inc(i),
                i.evidence.text.replace('\n', " ")
            );
        }
        for i in &d.incidents {
            println!(
                "  CODED {}\n        | {}",
                inc(i),
                i.evidence.text.replace('\n', " ")
            );
        }
        for s in &gm.statements {
            println!(
                "  gold  {}  | {}",
                st(s),
                s.evidence.text.replace('\n', " ")
            );
        }
        for s in &d.statements {
            println!(
                "  coded {}  | {}",
                st(s),
                s.evidence.text.replace('\n', " ")
            );
        }
    }
}
