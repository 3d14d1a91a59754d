//! log entry payloads (owner: store/ingest)
