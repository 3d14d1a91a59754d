//! tlog-tiles: tile and bundle paths round-trip; tiles and entry bundles of arbitrary bytes
//! never panic their parsers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_tlog::tile::{bundle_prefix, parse_bundle, parse_tile};
use truce_tlog::{EntryBundleId, TileId};

fuzz_target!(|data: &[u8]| {
    if let Ok(path) = std::str::from_utf8(data) {
        if let Ok(id) = TileId::parse_path(path) {
            assert_eq!(id.path(), path);
        }
        if let Ok(id) = EntryBundleId::parse_path(path) {
            assert_eq!(id.path(), path);
        }
    }
    if let Ok(entries) = parse_bundle(data) {
        let w = u16::try_from(entries.len().min(256)).unwrap_or(256);
        assert!(bundle_prefix(data, w).is_ok());
    }
    let id = TileId {
        level: 0,
        index: 0,
        width: (data.len() / 32).clamp(1, 256) as u16,
    };
    let _ = parse_tile(&id, data);
});
