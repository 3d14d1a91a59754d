//! C2SP tlog-tiles paths: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, parsed strictly
//! (a path that is not the canonical spelling of a tile is not a tile: 404).

/// A tile or entry bundle a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TilePath {
    /// A Merkle tree tile: level, index, width (256 for a full tile).
    Hash { level: u8, index: u64, width: u16 },
    /// An entry bundle: index, width (256 for a full bundle).
    Entries { index: u64, width: u16 },
}

impl TilePath {
    pub fn width(self) -> u16 {
        match self {
            TilePath::Hash { width, .. } | TilePath::Entries { width, .. } => width,
        }
    }

    pub fn is_full(self) -> bool {
        self.width() == 256
    }

    /// The canonical path below `tile/` (the inverse of [`parse`]).
    pub fn to_path(self) -> String {
        let (head, index, width) = match self {
            TilePath::Hash {
                level,
                index,
                width,
            } => (level.to_string(), index, width),
            TilePath::Entries { index, width } => ("entries".to_string(), index, width),
        };
        let mut groups = Vec::new();
        let mut n = index;
        loop {
            groups.push(n % 1000);
            n /= 1000;
            if n == 0 {
                break;
            }
        }
        groups.reverse();
        let last = groups.len() - 1;
        let mut out = head;
        for (i, g) in groups.iter().enumerate() {
            out.push('/');
            if i < last {
                out.push('x');
            }
            out.push_str(&format!("{g:03}"));
        }
        if width < 256 {
            out.push_str(&format!(".p/{width}"));
        }
        out
    }
}

/// A decimal without leading zeros (or "0"), within `max`.
fn small_decimal(s: &str, max: u64) -> Option<u64> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    let v: u64 = s.parse().ok()?;
    (v <= max).then_some(v)
}

fn three_digits(s: &str) -> Option<u64> {
    (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Parses the part of a tile URL after `tile/`. `None` when it is not a canonical tile path.
pub fn parse(path: &str) -> Option<TilePath> {
    let mut segs: Vec<&str> = path.split('/').collect();
    if segs.len() < 2 {
        return None;
    }
    let head = segs.remove(0);
    // Partial tiles end in `<last N element>.p/<W>`.
    let mut width = 256u16;
    if segs.len() >= 2 && segs[segs.len() - 2].ends_with(".p") {
        let w = small_decimal(segs[segs.len() - 1], 255)?;
        if w == 0 {
            return None;
        }
        width = u16::try_from(w).ok()?;
        segs.pop();
        let last = segs.len() - 1;
        segs[last] = segs[last].strip_suffix(".p")?;
    }
    let last = segs.len() - 1;
    let mut index: u64 = 0;
    for (i, seg) in segs.iter().enumerate() {
        let digits = if i < last {
            seg.strip_prefix('x')?
        } else {
            seg
        };
        let g = three_digits(digits)?;
        // No leading all-zero group: `x000/005` is not the canonical spelling of 5.
        if i == 0 && i < last && g == 0 {
            return None;
        }
        index = index.checked_mul(1000)?.checked_add(g)?;
    }
    if head == "entries" {
        Some(TilePath::Entries { index, width })
    } else {
        let level = u8::try_from(small_decimal(head, 63)?).ok()?;
        Some(TilePath::Hash {
            level,
            index,
            width,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, want: Option<TilePath>) {
        assert_eq!(parse(path), want, "{path}");
        if let Some(t) = want {
            assert_eq!(t.to_path(), path, "round trip of {path}");
        }
    }

    #[test]
    fn tile_paths() {
        let h = |level, index, width| {
            Some(TilePath::Hash {
                level,
                index,
                width,
            })
        };
        check("0/000", h(0, 0, 256));
        check("0/005.p/17", h(0, 5, 17));
        check("1/x001/x234/067", h(1, 1_234_067, 256));
        check("63/x001/x234/067.p/255", h(63, 1_234_067, 255));
        check(
            "entries/x001/000",
            Some(TilePath::Entries {
                index: 1000,
                width: 256,
            }),
        );
        check(
            "entries/007.p/1",
            Some(TilePath::Entries { index: 7, width: 1 }),
        );
        for bad in [
            "",
            "0",
            "0/",
            "0/5",
            "0/0005",
            "00/000",
            "64/000",
            "0/x000/005",
            "0/001/002",
            "0/x001",
            "0/000.p/0",
            "0/000.p/256",
            "0/000.p/07",
            "0/000.p",
            "x/000",
            "0/00a",
            "entries/000.p/",
            "-1/000",
            "0/000/",
            "0/x1000/000",
            "0/x999/x999/x999/x999/x999/x999/x999/999",
        ] {
            check(bad, None);
        }
    }
}
