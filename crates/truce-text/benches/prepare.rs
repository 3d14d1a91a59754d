//! Throughput of `truce_text::prepare` (plain text and HTML). Prints MB/s.
//! Run: cargo bench -p truce-text --bench prepare

use std::hint::black_box;
use std::time::Instant;

use truce_text::{Format, prepare};

fn main() {
    println!("placeholder");
    let _ = black_box(prepare("x", Format::Text));
    let _ = Instant::now();
}
