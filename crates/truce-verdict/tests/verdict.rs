//! Integration tests of truce-verdict: the seeds' gold records with the shipped agreements, the
//! hand-written events of tests/data/events_2025.toml, determinism, and property tests.

#[path = "verdict/cases.rs"]
mod cases;
#[path = "verdict/common.rs"]
mod common;
#[path = "verdict/gold.rs"]
mod gold;
#[path = "verdict/props.rs"]
mod props;
