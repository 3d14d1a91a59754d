//! HTTP API bodies (owner: server)
