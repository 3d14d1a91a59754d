//! The server's HTTP inputs: tile paths (canonical ones round-trip), query strings (parsed or a
//! 400 naming a field) and report bodies (parsed and coded, or a 4xx): never a panic, never a
//! server error for bad input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_server::{handlers, params, reports, tiles};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(t) = tiles::parse(text) {
            assert_eq!(t.to_path(), text);
        }
        let all = &[
            "from", "to", "place", "admin1", "perpetrator", "target", "verdict", "agreement",
            "limit", "cursor", "party", "event", "document",
        ];
        if let Err(e) = params::filters(Some(text), all) {
            assert!(e.status().is_client_error());
        }
    }
    match handlers::parse_body::<truce_wire::api::ReportRequest>(data) {
        Ok(req) => {
            let now = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default();
            if let Err(e) = reports::code_report(&req, now) {
                assert!(e.status().is_client_error());
            }
        }
        Err(e) => assert!(e.status().is_client_error()),
    }
});
