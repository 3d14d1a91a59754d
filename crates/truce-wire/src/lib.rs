//! truce's wire formats: serde DTOs for the public JSON contracts, converted by hand to and from
//! the domain types of `truce-model`.
//!
//! Invariant: this crate knows no IO and no rules; it only spells things on the wire. Field names
//! here are public contracts: add fields freely, never rename.

pub mod agreement;
pub mod api;
pub mod canonical;
pub mod entry;
pub mod record;
