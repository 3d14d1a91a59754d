//! agreements, events and verdicts on the wire (owner: verdicts)
