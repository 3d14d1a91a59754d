//! The OpenAPI 3.1 document of `/api/v1`, written by hand from one table of operations; a test
//! checks that it names every route the router registers and that every route it names answers.

use serde_json::{Map, Value, json};

/// One documented operation.
pub struct Op {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// Query parameters by name (see [`param`]).
    pub query: &'static [&'static str],
    /// Path parameters.
    pub path_params: &'static [&'static str],
    /// Role needed (`public` needs no token).
    pub role: &'static str,
    /// Request body schema name, if any.
    pub body: Option<&'static str>,
    /// 2xx status and (content type, schema) of the answer.
    pub ok: (u16, &'static str, Value),
}

use crate::handlers::{EVENT_FILTERS, EXPORT_FILTERS};

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn page(name: &str) -> Value {
    json!({
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": { "type": "array", "items": r(name) },
            "next_cursor": { "type": ["string", "null"] }
        }
    })
}

const JSON: &str = "application/json";

/// Every operation of the API (and the log endpoints).
pub fn operations() -> Vec<Op> {
    vec![
        Op {
            method: "get",
            path: "/api/v1/openapi.json",
            summary: "This document",
            query: &[],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, json!({"type": "object"})),
        },
        Op {
            method: "get",
            path: "/api/v1/documents",
            summary: "Documents (metadata, never text), by publication date",
            query: &["from", "to", "limit", "cursor"],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, page("Document")),
        },
        Op {
            method: "get",
            path: "/api/v1/documents/{id}",
            summary: "One document's metadata",
            query: &[],
            path_params: &["id"],
            role: "public",
            body: None,
            ok: (200, JSON, r("Document")),
        },
        Op {
            method: "get",
            path: "/api/v1/incidents",
            summary: "Coded incidents, one per document that reports them",
            query: &[
                "from",
                "to",
                "place",
                "admin1",
                "perpetrator",
                "target",
                "document",
                "limit",
                "cursor",
            ],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, page("Incident")),
        },
        Op {
            method: "get",
            path: "/api/v1/statements",
            summary: "Coded statements",
            query: &["from", "to", "party", "document", "limit", "cursor"],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, page("Statement")),
        },
        Op {
            method: "get",
            path: "/api/v1/events",
            summary: "Events (merged incidents) with every source's figures and their verdicts",
            query: EVENT_FILTERS,
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, page("Event")),
        },
        Op {
            method: "get",
            path: "/api/v1/events/{id}",
            summary: "One event",
            query: &[],
            path_params: &["id"],
            role: "public",
            body: None,
            ok: (200, JSON, r("Event")),
        },
        Op {
            method: "get",
            path: "/api/v1/agreements",
            summary: "Agreements as data",
            query: &[],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, page("Agreement")),
        },
        Op {
            method: "post",
            path: "/api/v1/agreements",
            summary: "Add or replace an agreement (its TOML as the body): validated, logged, every event judged again",
            query: &[],
            path_params: &[],
            role: "analyst",
            body: Some("AgreementToml"),
            ok: (201, JSON, r("AgreementStored")),
        },
        Op {
            method: "get",
            path: "/api/v1/agreements/{id}",
            summary: "One agreement",
            query: &[],
            path_params: &["id"],
            role: "public",
            body: None,
            ok: (200, JSON, r("Agreement")),
        },
        Op {
            method: "get",
            path: "/api/v1/verdicts",
            summary: "Verdicts per (event, agreement)",
            query: &["event", "agreement", "verdict", "limit", "cursor"],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, JSON, page("Verdict")),
        },
        Op {
            method: "get",
            path: "/api/v1/compliance",
            summary: "Compliance per agreement and party",
            query: &["agreement", "party"],
            path_params: &[],
            role: "public",
            body: None,
            ok: (
                200,
                JSON,
                json!({"type": "array", "items": r("ComplianceRow")}),
            ),
        },
        Op {
            method: "get",
            path: "/api/v1/export/events.csv",
            summary: "Events as CSV (ACLED-like columns)",
            query: EXPORT_FILTERS,
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, "text/csv; charset=utf-8", json!({"type": "string"})),
        },
        Op {
            method: "get",
            path: "/api/v1/export/events.geojson",
            summary: "Events as a GeoJSON FeatureCollection",
            query: EXPORT_FILTERS,
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, "application/geo+json", json!({"type": "object"})),
        },
        Op {
            method: "get",
            path: "/api/v1/export/events.jsonl",
            summary: "Events as JSON Lines",
            query: EXPORT_FILTERS,
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, "application/jsonl", json!({"type": "string"})),
        },
        Op {
            method: "post",
            path: "/api/v1/reports",
            summary: "Submit a monitor's field report (coded into incidents, events and verdicts)",
            query: &[],
            path_params: &[],
            role: "monitor",
            body: Some("ReportRequest"),
            ok: (201, JSON, r("ReportAccepted")),
        },
        Op {
            method: "post",
            path: "/api/v1/reviews",
            summary: "Review an event's verdict: verify (strength analyst_reviewed), dispute (contested) or mark duplicate (not applicable); logged with the verdicts it changes; 409 for an event closed by the merge window, which the engine no longer judges",
            query: &[],
            path_params: &[],
            role: "analyst",
            body: Some("ReviewRequest"),
            ok: (201, JSON, r("ReviewAccepted")),
        },
        Op {
            method: "post",
            path: "/api/v1/tokens",
            summary: "Create an API token (shown once; only its SHA-256 is stored)",
            query: &[],
            path_params: &[],
            role: "admin",
            body: Some("TokenRequest"),
            ok: (201, JSON, r("TokenCreated")),
        },
        Op {
            method: "get",
            path: "/api/v1/audit",
            summary: "The audit trail: every write with its author",
            query: &["limit", "cursor"],
            path_params: &[],
            role: "admin",
            body: None,
            ok: (200, JSON, page("AuditEntry")),
        },
        Op {
            method: "get",
            path: "/checkpoint",
            summary: "The log's latest signed checkpoint (C2SP tlog-checkpoint)",
            query: &[],
            path_params: &[],
            role: "public",
            body: None,
            ok: (200, "text/plain; charset=utf-8", json!({"type": "string"})),
        },
        Op {
            method: "get",
            path: "/tile/{path}",
            summary: "A tile or entry bundle (C2SP tlog-tiles: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`, slashes included)",
            query: &[],
            path_params: &["path"],
            role: "public",
            body: None,
            ok: (
                200,
                "application/octet-stream",
                json!({"type": "string", "format": "binary"}),
            ),
        },
    ]
}

/// A query parameter's documentation.
fn param(name: &str) -> Value {
    let (desc, schema) = match name {
        "from" => (
            "First day included (YYYY-MM-DD)",
            json!({"type": "string", "format": "date"}),
        ),
        "to" => (
            "Last day included (YYYY-MM-DD)",
            json!({"type": "string", "format": "date"}),
        ),
        "place" => (
            "Settlement name, exact",
            json!({"type": "string", "minLength": 1, "maxLength": 200}),
        ),
        "admin1" => (
            "Region (oblast), exact, e.g. `Sumy Oblast`",
            json!({"type": "string", "minLength": 1, "maxLength": 200}),
        ),
        "perpetrator" => (
            "Whose forces",
            json!({"type": "string", "enum": ["RU", "UA", "unknown"]}),
        ),
        "target" => (
            "Records whose targets include this kind",
            json!({"type": "string", "enum": ["energy", "civilian", "military", "transport", "industrial", "government", "unknown"]}),
        ),
        "party" => (
            "Speaker's party",
            json!({"type": "string", "enum": ["RU", "UA", "US", "EU", "UK", "NATO", "other"]}),
        ),
        "verdict" => (
            "Events with a verdict of this kind (on `agreement` if given, else on any agreement)",
            json!({"type": "string", "enum": ["not_applicable", "violation_alleged", "indeterminate"]}),
        ),
        "agreement" => (
            "Agreement id: events with a verdict on it",
            json!({"type": "string", "minLength": 1, "maxLength": 200}),
        ),
        "event" => (
            "Event id",
            json!({"type": "string", "minLength": 1, "maxLength": 200}),
        ),
        "document" => (
            "Document id (SHA-256 hex)",
            json!({"type": "string", "minLength": 1, "maxLength": 200}),
        ),
        "limit" => (
            "Page size",
            json!({"type": "integer", "minimum": 1, "maximum": crate::params::MAX_LIMIT, "default": crate::params::DEFAULT_LIMIT}),
        ),
        "cursor" => (
            "`next_cursor` of the previous page",
            json!({"type": "string", "minLength": 1, "maxLength": 1024}),
        ),
        _ => ("", json!({"type": "string"})),
    };
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": schema })
}

fn error_response(desc: &str) -> Value {
    json!({ "description": desc, "content": { JSON: { "schema": r("Error") } } })
}

fn schemas() -> Value {
    let s = |t: &str| json!({"type": t});
    let ns = |t: &str| json!({"type": [t, "null"]});
    let count = json!({"type": ["object", "null"], "required": ["n", "q"], "properties": {"n": s("integer"), "q": s("string")}});
    let evidence = json!({"type": "object", "required": ["start", "end", "text"], "properties": {"start": s("integer"), "end": s("integer"), "text": s("string")}});
    let estimate = json!({"type": "object", "properties": {"low": ns("integer"), "best": ns("integer"), "high": ns("integer")}});
    let strings = json!({"type": "array", "items": s("string")});
    json!({
        "Error": {"type": "object", "required": ["error", "message"], "properties": {"error": s("string"), "message": s("string"), "field": s("string")}},
        "Document": {"type": "object", "required": ["id", "language"], "properties": {"id": s("string"), "published": ns("string"), "language": s("string"), "url": ns("string"), "source": ns("string"), "format": ns("string"), "bytes": ns("integer")}},
        "Incident": {"type": "object", "required": ["id", "document", "perpetrator", "reported_by", "evidence"], "properties": {
            "id": s("string"), "document": s("string"), "date": ns("string"), "date_precision": s("string"), "place": ns("string"), "admin1": ns("string"), "country": ns("string"),
            "lat": ns("number"), "lon": ns("number"), "geo_precision": ns("string"), "perpetrator": s("string"), "reported_by": s("string"),
            "weapons": strings, "targets": strings, "killed": count, "injured": count, "evidence": evidence}},
        "Statement": {"type": "object", "required": ["id", "document", "speaker", "party", "act", "about", "evidence"], "properties": {
            "id": s("string"), "document": s("string"), "date": ns("string"), "speaker": s("string"), "party": s("string"), "act": s("string"), "about": s("string"), "target": ns("string"), "evidence": evidence}},
        "Source": {"type": "object", "required": ["document", "reported_by", "evidence"], "properties": {
            "document": s("string"), "incident": ns("string"), "reported_by": s("string"), "source": ns("string"), "published": ns("string"), "killed": count, "injured": count, "evidence": evidence}},
        "Verdict": {"type": "object", "required": ["event", "agreement", "verdict", "reason", "engine"], "properties": {
            "event": s("string"), "agreement": s("string"), "verdict": {"type": "string", "enum": ["not_applicable", "violation_alleged", "indeterminate"]}, "strength": {"type": ["string", "null"], "enum": ["one_party_claim", "corroborated", "contested", "analyst_reviewed", null]}, "reason": s("string"), "engine": s("string")}},
        "Event": {"type": "object", "required": ["id", "perpetrator", "sources", "verdicts"], "properties": {
            "id": s("string"), "date": ns("string"), "date_precision": s("string"), "place": ns("string"), "admin1": ns("string"), "country": ns("string"), "lat": ns("number"), "lon": ns("number"),
            "perpetrator": s("string"), "weapons": strings, "targets": strings, "killed": estimate, "injured": estimate, "assertion": ns("string"), "independent_sources": ns("integer"),
            "sources": {"type": "array", "items": r("Source")}, "verdicts": {"type": "array", "items": r("Verdict")}}},
        "Agreement": {"type": "object", "required": ["id", "title", "kind", "parties", "in_force", "content"], "properties": {
            "id": s("string"), "title": s("string"), "kind": s("string"), "parties": strings, "start": ns("string"), "end": ns("string"), "in_force": s("boolean"),
            "windows": {"type": "array", "items": {"type": "object", "required": ["start", "end"], "properties": {"start": s("string"), "end": s("string")}}}, "content": {}}},
        "ComplianceRow": {"type": "object", "required": ["agreement", "party"], "properties": {
            "agreement": s("string"), "party": s("string"), "violations_alleged": s("integer"), "one_party_claim": s("integer"), "corroborated": s("integer"),
            "contested": s("integer"), "analyst_reviewed": s("integer"), "indeterminate": s("integer"), "not_applicable": s("integer")}},
        "ReportCount": {"type": "object", "required": ["n"], "additionalProperties": false, "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 100000}, "q": {"type": ["string", "null"], "enum": ["exact", "at_least", "more_than", "approx", "up_to", null]}}},
        "ReportRequest": {"type": "object", "additionalProperties": false, "required": ["time", "targets", "narrative"], "properties": {
            "time": {"type": "string", "description": "RFC 3339 instant or YYYY-MM-DD, 2000-01-01 or later, not in the future"},
            "place": {"type": ["string", "null"], "maxLength": 200}, "admin1": {"type": ["string", "null"], "maxLength": 200},
            "country": {"type": ["string", "null"], "pattern": "^[A-Z]{2}$"},
            "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90}, "lon": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
            "targets": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ["energy", "civilian", "military", "transport", "industrial", "government", "unknown"]}},
            "weapons": {"type": "array", "items": {"type": "string", "enum": ["ballistic_missile", "cruise_missile", "missile", "drone", "glide_bomb", "airstrike", "artillery", "rocket", "ground", "unknown"]}},
            "perpetrator": {"type": ["string", "null"], "enum": ["RU", "UA", "unknown", null]},
            "killed": {"oneOf": [r("ReportCount"), {"type": "null"}]}, "injured": {"oneOf": [r("ReportCount"), {"type": "null"}]},
            "attachments": {"type": "array", "maxItems": 50, "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
            "narrative": {"type": "string", "minLength": 1, "maxLength": 20000}}},
        "ReportAccepted": {"type": "object", "required": ["document", "incidents", "events", "verdicts"], "properties": {"document": s("string"), "incidents": s("integer"), "events": strings, "verdicts": s("integer")}},
        "ReviewRequest": {"type": "object", "additionalProperties": false, "required": ["event", "agreement", "action", "note"], "properties": {
            "event": s("string"), "agreement": s("string"), "action": {"type": "string", "enum": ["verify", "dispute", "mark_duplicate"]}, "duplicate_of": ns("string"), "note": {"type": "string", "minLength": 1, "maxLength": 5000}}},
        "ReviewAccepted": {"type": "object", "required": ["review", "verdict"], "properties": {"review": s("string"), "verdict": r("Verdict"), "verdicts": s("integer"), "log_size": s("integer")}},
        "AgreementToml": {"type": "string", "description": "An agreement file: TOML (Contract 2), sent as text/plain (any content type is read as TOML)"},
        "AgreementStored": {"type": "object", "required": ["id", "changed", "verdicts"], "properties": {"id": s("string"), "changed": s("boolean"), "verdicts": s("integer")}},
        "TokenRequest": {"type": "object", "additionalProperties": false, "required": ["role"], "properties": {"role": {"type": "string", "enum": ["public", "monitor", "analyst", "admin"]}, "label": ns("string")}},
        "TokenCreated": {"type": "object", "required": ["token", "role"], "properties": {"token": s("string"), "role": s("string"), "label": ns("string")}},
        "AuditEntry": {"type": "object", "required": ["id", "at", "author", "action", "subject"], "properties": {"id": s("integer"), "at": s("string"), "author": s("string"), "action": s("string"), "subject": s("string"), "detail": s("string")}}
    })
}

/// An agreement already in the log answers 200 (nothing changed).
fn responses_extra(o: &mut Value) {
    o["responses"]["200"] = json!({"description": "The log already held this exact agreement", "content": {JSON: {"schema": r("AgreementStored")}}});
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in operations() {
        let mut params: Vec<Value> = op
            .path_params
            .iter()
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}))
            .collect();
        params.extend(op.query.iter().map(|q| param(q)));
        let mut responses = Map::new();
        let (status, ctype, schema) = &op.ok;
        responses.insert(
            status.to_string(),
            json!({"description": "OK", "content": { *ctype: { "schema": schema } }}),
        );
        if !op.query.is_empty() || op.body.is_some() || !op.path_params.is_empty() {
            responses.insert(
                "400".into(),
                error_response("An invalid parameter or field, named in `field`"),
            );
        }
        if !op.path_params.is_empty() {
            responses.insert("404".into(), error_response("Not found"));
        }
        if op.role != "public" {
            responses.insert("401".into(), error_response("Missing or unknown token"));
            responses.insert(
                "403".into(),
                error_response("The token's role may not do this"),
            );
        }
        if op.body.is_some() {
            responses.insert("409".into(), error_response("Conflicts with stored data"));
            responses.insert("413".into(), error_response("Body larger than the limit"));
        }
        responses.insert(
            "429".into(),
            error_response("Rate limit exceeded (per token; without a token, per client address)"),
        );
        let mut o = json!({
            "summary": op.summary,
            "operationId": format!("{}{}", op.method, op.path.replace(['/', '{', '}', '.'], "_")),
            "parameters": params,
            "responses": responses,
        });
        if op.role != "public" {
            o["security"] = json!([{"bearer": []}]);
            o["description"] = json!(format!("Needs a token with the `{}` role.", op.role));
        }
        if let Some(body) = op.body {
            let ctype = if body == "AgreementToml" {
                "text/plain"
            } else {
                JSON
            };
            o["requestBody"] = json!({"required": true, "content": {ctype: {"schema": r(body)}}});
            if body == "AgreementToml" {
                responses_extra(&mut o);
            }
        }
        let entry = paths
            .entry(op.path.to_string())
            .or_insert_with(|| json!({}));
        entry[op.method] = o;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "truce API",
            "version": "1",
            "description": "A ceasefire monitor's records: documents, incidents, statements, events, agreements, verdicts, compliance; monitor reports and analyst reviews; the log as C2SP tlog-tiles.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from `truce token create`"}}
        }
    })
}
