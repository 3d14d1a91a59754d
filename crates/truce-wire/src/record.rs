//! Contract 1 coded records and the gold schema (owner: coder)
