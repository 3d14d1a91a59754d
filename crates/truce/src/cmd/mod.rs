//! One module per subcommand; each is owned by the library it fronts.
pub mod agreements;
pub mod check;
pub mod demo;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod log;
pub mod serve;
pub mod token;
pub mod verify;
pub mod witness;
