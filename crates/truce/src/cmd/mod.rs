//! One module per subcommand; each is owned by the library it fronts.
pub mod extract;
pub mod eval;
pub mod agreements;
pub mod check;
pub mod log;
pub mod verify;
pub mod witness;
pub mod ingest;
pub mod demo;
pub mod export;
pub mod serve;
pub mod token;
