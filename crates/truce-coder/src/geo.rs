//! Places named in a text, resolved through the gazetteer.

use truce_gazetteer::{Context, Gazetteer, MentionKind};
use truce_model::{GeoPrecision, Span};

use crate::doc::PlaceHit;

/// Every place and region the text names, resolved (ambiguous names by the regions the same
/// text names), as spans of `text`.
pub fn places(gaz: &Gazetteer, text: &str) -> Vec<(Span, PlaceHit)> {
    let mentions = gaz.find_mentions(text);
    let mut ctx = Context::default();
    // Context: the regions the text names, and the regions and countries of the places it
    // names unambiguously.
    for m in &mentions {
        match &m.kind {
            MentionKind::Region(r) => {
                if !ctx.regions.contains(r) {
                    ctx.regions.push(*r);
                }
            }
            MentionKind::Place(ids) if ids.len() == 1 => {
                let p = gaz.place(ids[0]);
                if let Some(r) = p.region
                    && !ctx.regions.contains(&r)
                {
                    ctx.regions.push(r);
                }
                if !ctx.countries.contains(&p.country) {
                    ctx.countries.push(p.country.clone());
                }
            }
            MentionKind::Place(_) => {}
        }
    }
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions {
        let hit = match &m.kind {
            MentionKind::Place(ids) => {
                let Some(id) = gaz.resolve(ids, &ctx) else {
                    continue;
                };
                let p = gaz.place(id);
                PlaceHit {
                    start: 0,
                    end: 0,
                    place: Some(p.name.clone()),
                    admin1: gaz.region_of(id).map(|r| r.name.clone()),
                    country: Some(p.country.clone()),
                    lat: Some(p.lat),
                    lon: Some(p.lon),
                    precision: GeoPrecision::Settlement,
                }
            }
            MentionKind::Region(r) => {
                let r = gaz.region(*r);
                PlaceHit {
                    start: 0,
                    end: 0,
                    place: None,
                    admin1: Some(r.name.clone()),
                    country: Some(r.country.clone()),
                    lat: Some(r.lat),
                    lon: Some(r.lon),
                    precision: GeoPrecision::Admin1,
                }
            }
        };
        out.push((m.span, hit));
    }
    out
}
