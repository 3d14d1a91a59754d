//! truce's coder: reads a news text (plain or HTML) and codes it into incidents (who struck
//! what, where, when, with what, how many killed or injured, who says so) and statements
//! (positions on the ceasefire and peace process), each with the evidence that supports it.
//!
//! Invariant: this crate knows no IO, no wire format and no agreements; its words come from
//! `truce-lexicon`, its places from `truce-gazetteer`, its sentences from `truce-text`.

mod casualties;
mod dates;
mod doc;
mod geo;
mod incidents;
mod lang;
mod numbers;
mod statements;
mod words;

use sha2::{Digest, Sha256};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::{CodedDocument, Diagnostic, DocumentMeta, Evidence, NaiveDate, Severity, Span};
pub use truce_text::Format;

pub use lang::detect as detect_language;

/// One document to code.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    /// The text as read (plain text or HTML).
    pub text: &'a str,
    /// Publication date: resolves "on Thursday", "overnight", year-less dates.
    pub published: Option<NaiveDate>,
    /// ISO 639-1 code if known (else detected).
    pub language: Option<&'a str>,
    pub url: Option<&'a str>,
    /// Where the text came from, as the user named it.
    pub source: Option<&'a str>,
    /// Plain text or HTML; sniffed when `None`.
    pub format: Option<Format>,
}

impl<'a> Input<'a> {
    /// A plain input with only a text and a publication date.
    pub fn new(text: &'a str, published: Option<NaiveDate>) -> Self {
        Input {
            text,
            published,
            ..Input::default()
        }
    }
}

/// The coder: immutable, shareable across threads.
#[derive(Debug, Clone, Copy)]
pub struct Coder<'a> {
    gazetteer: &'a Gazetteer,
    lexicon: &'a Lexicon,
}

/// Lower-case hex SHA-256 of a text's bytes (the document id).
pub fn document_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

impl<'a> Coder<'a> {
    pub fn new(gazetteer: &'a Gazetteer, lexicon: &'a Lexicon) -> Self {
        Coder { gazetteer, lexicon }
    }

    /// Codes one document. Never panics; what it could not do is in `diagnostics`.
    pub fn code(&self, input: &Input) -> CodedDocument {
        let format = input
            .format
            .unwrap_or_else(|| truce_text::sniff(input.text));
        let prepared = truce_text::prepare(input.text, format);
        let mut diagnostics: Vec<Diagnostic> = prepared.diagnostics.clone();
        if input.published.is_none() {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                message: "no publication date: relative dates (\"on Thursday\", \"overnight\") are left null".into(),
                span: None,
            });
        }
        let text = prepared.text.as_str();
        let lower = doc::lower(text);
        let sentences: Vec<(Span, usize)> = prepared
            .sentences
            .iter()
            .map(|s| (s.span, s.paragraph))
            .collect();
        let places = geo::places(self.gazetteer, text, &sentences);
        let d = doc::read(
            text,
            &lower,
            &sentences,
            self.lexicon,
            places,
            input.published,
        );
        let mut incidents = incidents::find(&d, self.lexicon);
        let mut statements = statements::find(&d, self.lexicon, &incidents);
        // Evidence spans back to the input.
        let to_input = |e: &mut Evidence| {
            let span = prepared.input_span(e.span);
            e.span = span;
            e.text = input
                .text
                .get(span.start..span.end)
                .unwrap_or("")
                .to_string();
        };
        for i in &mut incidents {
            to_input(&mut i.evidence);
        }
        for s in &mut statements {
            to_input(&mut s.evidence);
        }
        let language = match input.language {
            Some(l) if !l.trim().is_empty() => l.to_string(),
            _ => lang::detect(text).to_string(),
        };
        CodedDocument {
            document: DocumentMeta {
                id: document_id(input.text),
                published: input.published,
                language,
                url: input.url.map(str::to_string),
                source: input.source.map(str::to_string),
                boilerplate: prepared
                    .boilerplate
                    .iter()
                    .map(|s| prepared.input_span(*s))
                    .collect(),
            },
            incidents,
            statements,
            diagnostics,
        }
    }
}
