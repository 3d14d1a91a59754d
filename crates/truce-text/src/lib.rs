//! truce's reader: turns an input document (plain text or HTML) into the text the coder reads,
//! the page clutter it must not code, and the content sentences.
//!
//! Invariant: this crate knows no IO, no coding rules and no places. It only knows how pages
//! are laid out: markup, clutter (as data in `data/boilerplate/`) and sentence boundaries.
//!
//! Every span this crate returns is a half-open range of UTF-8 byte offsets into
//! [`Prepared::text`], on char boundaries. [`Prepared::to_input`] and [`Prepared::input_span`]
//! map them back to the input (identical for plain text).

mod boiler;
mod html;
mod rules;
mod sentences;

use std::sync::LazyLock;

pub use rules::{ClutterKind, Rules, RulesError};
pub use truce_model::{Diagnostic, Severity, Span};

/// What an input is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Html,
}

/// A content sentence (or headline line) of [`Prepared::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph (0-based, counting paragraphs that hold content sentences).
    pub paragraph: usize,
}

/// A prepared document: visible text, clutter, sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// What the coder reads. For [`Format::Text`] identical to the input; for [`Format::Html`]
    /// the visible text (scripts, styles, navigation, headers, footers, asides and forms
    /// dropped, block elements ended by newlines, entities decoded).
    pub text: String,
    /// Page clutter, as spans of `text`, sorted and non-overlapping.
    pub boilerplate: Vec<Span>,
    /// What each `boilerplate` span is (same length and order as `boilerplate`).
    pub boilerplate_kinds: Vec<ClutterKind>,
    /// Content sentences (boilerplate excluded), spans of `text`, in order.
    pub sentences: Vec<Sentence>,
    pub diagnostics: Vec<Diagnostic>,
    map: OffsetMap,
}

/// Maps offsets of `Prepared::text` back to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OffsetMap {
    Identity(usize),
    /// Segments sorted by text offset: (text start, input start, verbatim). A verbatim segment
    /// was copied byte for byte; any other (a decoded entity, an inserted newline or space)
    /// maps all its offsets to its input start.
    Segments {
        segs: Vec<(usize, usize, bool)>,
        text_len: usize,
        input_len: usize,
    },
}

impl Prepared {
    /// The input offset of a `text` offset (offsets past the end map to the input's end).
    pub fn to_input(&self, text_offset: usize) -> usize {
        match &self.map {
            OffsetMap::Identity(len) => text_offset.min(*len),
            OffsetMap::Segments {
                segs,
                text_len,
                input_len,
            } => {
                if text_offset >= *text_len {
                    return *input_len;
                }
                let i = segs.partition_point(|s| s.0 <= text_offset);
                if i == 0 {
                    return 0;
                }
                let (t, inp, verbatim) = segs[i - 1];
                if verbatim {
                    (inp + (text_offset - t)).min(*input_len)
                } else {
                    inp.min(*input_len)
                }
            }
        }
    }

    /// The input span of a span of `text`.
    pub fn input_span(&self, s: Span) -> Span {
        let start = self.to_input(s.start);
        let end = self.to_input(s.end).max(start);
        Span::new(start, end)
    }

    /// The text of a span of `self.text` ("" when the span is out of range).
    pub fn slice(&self, s: Span) -> &str {
        self.text.get(s.start..s.end).unwrap_or("")
    }

    /// Whether a span of `text` overlaps page clutter.
    pub fn is_boilerplate(&self, s: Span) -> bool {
        let i = self.boilerplate.partition_point(|b| b.end <= s.start);
        self.boilerplate.get(i).is_some_and(|b| b.overlaps(s))
    }
}

/// Guesses the format of an input: HTML when it looks like markup.
pub fn sniff(input: &str) -> Format {
    html::sniff(input)
}

static EMBEDDED: LazyLock<Preparer> = LazyLock::new(Preparer::embedded);

/// Prepares a document with the embedded clutter rules.
pub fn prepare(input: &str, format: Format) -> Prepared {
    EMBEDDED.prepare(input, format)
}

/// A reader with a given set of clutter rules (immutable, `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Preparer {
    rules: Rules,
}

impl Preparer {
    /// The rules shipped in `data/boilerplate/`.
    pub fn embedded() -> Preparer {
        Preparer {
            rules: Rules::embedded(),
        }
    }

    pub fn with_rules(rules: Rules) -> Preparer {
        Preparer { rules }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn prepare(&self, input: &str, format: Format) -> Prepared {
        let mut diagnostics = Vec::new();
        let (text, map, html_clutter) = match format {
            Format::Text => (
                input.to_string(),
                OffsetMap::Identity(input.len()),
                Vec::new(),
            ),
            Format::Html => {
                let out = html::strip(input, &self.rules, &mut diagnostics);
                let text_len = out.text.len();
                (
                    out.text,
                    OffsetMap::Segments {
                        segs: out.segs,
                        text_len,
                        input_len: input.len(),
                    },
                    out.clutter,
                )
            }
        };
        let lines = boiler::lines(&text);
        let clutter = boiler::detect(&text, &lines, &html_clutter, &self.rules);
        let sentences = sentences::split(&text, &lines, &clutter, &self.rules);
        if text.trim().is_empty() {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                message: if input.trim().is_empty() {
                    "empty document".to_string()
                } else {
                    "no visible text after removing markup".to_string()
                },
                span: None,
            });
        } else if sentences.is_empty() {
            diagnostics.push(Diagnostic {
                severity: Severity::Info,
                message: "every line of the document is page clutter".to_string(),
                span: None,
            });
        }
        let (boilerplate, boilerplate_kinds) = clutter.into_iter().unzip();
        Prepared {
            text,
            boilerplate,
            boilerplate_kinds,
            sentences,
            diagnostics,
            map,
        }
    }
}
