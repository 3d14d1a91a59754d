//! truce-events (skeleton: filled in by its owner).
