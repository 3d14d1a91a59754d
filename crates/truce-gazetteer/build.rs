//! Compiles the gazetteer's data files (data/gazetteer/) into a compact binary index in OUT_DIR,
//! so that the library embeds it with `include_bytes!` and never parses the 3.4 MB TSV at run time.

#[path = "src/data.rs"]
#[allow(dead_code)]
mod data;
#[path = "src/index.rs"]
#[allow(dead_code)]
mod index;
#[path = "src/keys.rs"]
#[allow(dead_code)]
mod keys;

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/gazetteer");
    // The index format is written by the library's own modules: rebuild when they change.
    for module in ["src/data.rs", "src/index.rs", "src/keys.rs"] {
        println!("cargo::rerun-if-changed={module}");
    }
    let read = |name: &str| {
        let p = dir.join(name);
        println!("cargo::rerun-if-changed={}", p.display());
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let tsv = read("gazetteer_ua_ru_neighbours.tsv");
    let admin1 = read("admin1.tsv");
    let names = read("names.tsv");
    let stoplist = read("stoplist.tsv");
    let given_names = read("given_names.tsv");
    let not_places = read("not_places.tsv");
    let city_districts = read("city_districts.tsv");
    let curated = data::Curated {
        admin1: &admin1,
        names: &names,
        stoplist: &stoplist,
        given_names: &given_names,
        not_places: &not_places,
        city_districts: &city_districts,
    };
    let tables = match data::parse(&tsv, "gazetteer_ua_ru_neighbours.tsv", &curated) {
        Ok(t) => t,
        Err(e) => panic!(
            "data/gazetteer/{}:{}: {}{}",
            e.file,
            e.line,
            e.column
                .map(|c| format!("column {c}: "))
                .unwrap_or_default(),
            e.message
        ),
    };
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("gazetteer.bin");
    std::fs::write(&out, data::encode(&tables, &index::build(&tables)))
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
