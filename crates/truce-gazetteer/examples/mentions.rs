//! Prints the place and region mentions the embedded gazetteer finds in a file, with their
//! candidates: `cargo run --release -p truce-gazetteer --example mentions -- FILE`.

use truce_gazetteer::{Gazetteer, MentionKind};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: mentions FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let gaz = Gazetteer::embedded();
    for m in gaz.find_mentions(&text) {
        let name = &text[m.span.start..m.span.end];
        match m.kind {
            MentionKind::Region(r) => println!("{name:30} region {}", gaz.region(r).name),
            MentionKind::Place(ids) => {
                let c: Vec<String> = ids
                    .iter()
                    .take(6)
                    .map(|&id| {
                        let p = gaz.place(id);
                        let r = gaz.region_of(id).map(|r| r.name.as_str()).unwrap_or("-");
                        format!("{} ({r}, {}, {})", p.name, p.country, p.population)
                    })
                    .collect();
                println!("{name:30} place[{}] {}", ids.len(), c.join("; "));
            }
        }
    }
}
