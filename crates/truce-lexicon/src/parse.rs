//! Reading dictionary files (TOML) into a [`Lexicon`], with errors naming file, line and field.

use truce_model::{About, Act, Party, Target, Weapon};

use crate::{Actor, ActorKind, Cue, Entry, Lexicon};

/// A dictionary file that cannot be read: names the file, the line (1-based, 0 when unknown)
/// and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {field}: {message}")]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

fn err(file: &str, contents: &str, field: &str, needle: &str, message: String) -> LexiconError {
    LexiconError {
        file: file.to_string(),
        line: line_of(contents, needle),
        field: field.to_string(),
        message,
    }
}

/// The first line holding `needle` (1-based), or 0.
fn line_of(contents: &str, needle: &str) -> usize {
    if needle.is_empty() {
        return 0;
    }
    contents
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(0)
}

fn line_of_offset(contents: &str, offset: usize) -> usize {
    let end = offset.min(contents.len());
    contents.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn strings(
    file: &str,
    contents: &str,
    field: &str,
    value: &toml::Value,
) -> Result<Vec<String>, LexiconError> {
    let arr = value.as_array().ok_or_else(|| {
        err(
            file,
            contents,
            field,
            field.rsplit('.').next().unwrap_or(field),
            "expected a list of strings".into(),
        )
    })?;
    let mut out = Vec::with_capacity(arr.len());
    for v in arr {
        match v.as_str() {
            Some(s) if !s.trim().is_empty() => out.push(s.to_string()),
            Some(_) => {
                return Err(err(
                    file,
                    contents,
                    field,
                    field.rsplit('.').next().unwrap_or(field),
                    "empty term".into(),
                ));
            }
            None => {
                return Err(err(
                    file,
                    contents,
                    field,
                    field.rsplit('.').next().unwrap_or(field),
                    format!("expected a string, found {v}"),
                ));
            }
        }
    }
    Ok(out)
}

pub(crate) fn parse_file(
    lex: &mut Lexicon,
    file: &str,
    contents: &str,
) -> Result<(), LexiconError> {
    let table: toml::Table = contents
        .parse()
        .map_err(|e: toml::de::Error| LexiconError {
            file: file.to_string(),
            line: e
                .span()
                .map(|s| line_of_offset(contents, s.start))
                .unwrap_or(0),
            field: "(syntax)".to_string(),
            message: e.message().to_string(),
        })?;
    for (key, value) in &table {
        match key.as_str() {
            "actor" => {
                let list = value.as_array().ok_or_else(|| {
                    err(
                        file,
                        contents,
                        "actor",
                        "actor",
                        "expected [[actor]] tables".into(),
                    )
                })?;
                for (i, a) in list.iter().enumerate() {
                    let field = |f: &str| format!("actor[{i}].{f}");
                    let t = a.as_table().ok_or_else(|| {
                        err(
                            file,
                            contents,
                            &format!("actor[{i}]"),
                            "[[actor]]",
                            "expected a table".into(),
                        )
                    })?;
                    let name = t.get("name").and_then(|v| v.as_str()).ok_or_else(|| {
                        err(
                            file,
                            contents,
                            &field("name"),
                            "[[actor]]",
                            "missing string field `name`".into(),
                        )
                    })?;
                    let party_s = t.get("party").and_then(|v| v.as_str()).ok_or_else(|| {
                        err(
                            file,
                            contents,
                            &field("party"),
                            name,
                            "missing string field `party`".into(),
                        )
                    })?;
                    let party: Party = party_s.parse().map_err(|e| {
                        err(file, contents, &field("party"), party_s, format!("{e}"))
                    })?;
                    let kind_s = t.get("kind").and_then(|v| v.as_str()).unwrap_or("person");
                    let kind = ActorKind::parse(kind_s).ok_or_else(|| {
                        err(
                            file,
                            contents,
                            &field("kind"),
                            kind_s,
                            format!("unknown actor kind {kind_s:?} (person, state, institution, forces, demonym, media)"),
                        )
                    })?;
                    let aliases = match t.get("aliases") {
                        Some(v) => strings(file, contents, &field("aliases"), v)?,
                        None => Vec::new(),
                    };
                    for k in t.keys() {
                        if !matches!(k.as_str(), "name" | "party" | "kind" | "aliases") {
                            return Err(err(
                                file,
                                contents,
                                &field(k),
                                k,
                                format!("unknown field `{k}`"),
                            ));
                        }
                    }
                    lex.add_actor(
                        Actor {
                            name: name.to_string(),
                            party,
                            kind,
                        },
                        &aliases,
                    );
                }
            }
            "weapon" | "target" | "act" | "about" | "cue" => {
                let t = value.as_table().ok_or_else(|| {
                    err(
                        file,
                        contents,
                        key,
                        key,
                        format!("expected a [{key}] table"),
                    )
                })?;
                for (kind, terms) in t {
                    let field = format!("{key}.{kind}");
                    let entry = match key.as_str() {
                        "weapon" => kind.parse::<Weapon>().map(Entry::Weapon).map_err(|e| e.to_string()),
                        "target" => kind.parse::<Target>().map(Entry::Target).map_err(|e| e.to_string()),
                        "act" => kind.parse::<Act>().map(Entry::Act).map_err(|e| e.to_string()),
                        "about" => kind.parse::<About>().map(Entry::About).map_err(|e| e.to_string()),
                        _ => Cue::parse(kind).map(Entry::Cue).ok_or_else(|| {
                            format!("unknown cue {kind:?} (attack, report, kill, injure, prevent, hedge, official, night, intercept)")
                        }),
                    }
                    .map_err(|m| err(file, contents, &field, &format!("{kind} ="), m))?;
                    for term in strings(file, contents, &field, terms)? {
                        lex.add_term(&term, entry);
                    }
                }
            }
            other => {
                return Err(err(
                    file,
                    contents,
                    other,
                    other,
                    format!(
                        "unknown table `{other}` (expected actor, weapon, target, act, about, cue)"
                    ),
                ));
            }
        }
    }
    Ok(())
}
