//! Times the coder's stages on the development texts (a profiling aid):
//! `cargo run --release -p truce-coder --example stages`.

use std::time::Instant;

use truce_gazetteer::Gazetteer;
use truce_lexicon::{Lexicon, lower_same_len, tokenize};

fn main() {
    let mut texts = Vec::new();
    let Ok(entries) = std::fs::read_dir("corpus/dev") else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "txt")
            && let Ok(t) = std::fs::read_to_string(&p)
        {
            texts.push(t);
        }
    }
    let gaz = Gazetteer::embedded();
    let lex = Lexicon::embedded();
    let n = 200;
    let bytes: usize = texts.iter().map(|t| t.len()).sum::<usize>() * n;
    let mb = bytes as f64 / 1048576.0;
    let time = |name: &str, f: &dyn Fn(&str)| {
        let t = Instant::now();
        for _ in 0..n {
            for x in &texts {
                f(x);
            }
        }
        println!("{name:<12} {:.1} MB/s", mb / t.elapsed().as_secs_f64());
    };
    time("prepare", &|x| {
        std::hint::black_box(truce_text::prepare(x, truce_text::Format::Text));
    });
    time("mentions", &|x| {
        std::hint::black_box(gaz.find_mentions(x));
    });
    time("lower+tok", &|x| {
        let l = lower_same_len(x);
        std::hint::black_box(tokenize(&l));
    });
    time("scan", &|x| {
        let l = lower_same_len(x);
        let t = tokenize(&l);
        let w: Vec<&str> = t.iter().map(|t| &l[t.start..t.end]).collect();
        std::hint::black_box(lex.scan(&w));
    });
    let coder = truce_coder::Coder::new(&gaz, &lex);
    time("code", &|x| {
        std::hint::black_box(coder.code(&truce_coder::Input::new(x, None)));
    });
}
