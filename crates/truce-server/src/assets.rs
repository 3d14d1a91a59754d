//! The dashboard's static files, embedded in the binary (no CDN, no tile server).

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// One embedded file.
#[derive(Debug, Clone)]
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
    /// Strong entity tag (quoted hex prefix of the file's SHA-256).
    pub etag: String,
}

macro_rules! assets {
    ($(($path:literal, $file:literal, $ctype:literal)),+ $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $file)) as &[u8], $ctype)),+]
    };
}

/// URL path (below `/`) -> (bytes, content type).
const FILES: &[(&str, &[u8], &str)] = assets![
    ("", "index.html", "text/html; charset=utf-8"),
    ("index.html", "index.html", "text/html; charset=utf-8"),
    ("assets/app.js", "app.js", "text/javascript; charset=utf-8"),
    ("assets/app.css", "app.css", "text/css; charset=utf-8"),
    (
        "assets/vendor/leaflet.js",
        "vendor/leaflet.js",
        "text/javascript; charset=utf-8"
    ),
    (
        "assets/vendor/leaflet.css",
        "vendor/leaflet.css",
        "text/css; charset=utf-8"
    ),
    (
        "assets/vendor/topojson-client.min.js",
        "vendor/topojson-client.min.js",
        "text/javascript; charset=utf-8"
    ),
    (
        "assets/vendor/uPlot.iife.min.js",
        "vendor/uPlot.iife.min.js",
        "text/javascript; charset=utf-8"
    ),
    (
        "assets/vendor/uPlot.min.css",
        "vendor/uPlot.min.css",
        "text/css; charset=utf-8"
    ),
    (
        "assets/vendor/SOURCE.md",
        "vendor/SOURCE.md",
        "text/markdown; charset=utf-8"
    ),
    (
        "assets/data/world-50m.topo.json",
        "data/world-50m.topo.json",
        "application/json"
    ),
    (
        "assets/data/ukraine-adm1.geojson",
        "data/geoBoundaries-UKR-ADM1_simplified.geojson",
        "application/geo+json"
    ),
    (
        "assets/data/SOURCE.md",
        "data/SOURCE.md",
        "text/markdown; charset=utf-8"
    ),
];

/// The embedded files by URL path.
#[derive(Debug, Clone)]
pub struct Assets {
    files: HashMap<&'static str, Asset>,
}

impl Assets {
    pub fn embedded() -> Self {
        let files = FILES
            .iter()
            .map(|&(path, bytes, content_type)| {
                let digest = Sha256::digest(bytes);
                let etag = format!("\"{}\"", hex::encode(&digest[..12]));
                (
                    path,
                    Asset {
                        bytes,
                        content_type,
                        etag,
                    },
                )
            })
            .collect();
        Assets { files }
    }

    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }

    /// Every served path (without the leading `/`).
    pub fn paths(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.files.keys().copied()
    }
}
