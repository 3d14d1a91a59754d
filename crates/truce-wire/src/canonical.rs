//! RFC 8785 canonical JSON (owner: log)
