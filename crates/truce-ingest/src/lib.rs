//! truce-ingest (skeleton: filled in by its owner).
