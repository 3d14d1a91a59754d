//! truce-wire (skeleton: filled in by its owner).
