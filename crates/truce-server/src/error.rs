//! The crate's one error type and its one error-to-status table ([`ApiError`]'s `IntoResponse`).
//!
//! Bad input is always a 4xx naming what was wrong; only the store failing is a 5xx.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::auth::Role;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter, path segment or body field is invalid: names the field.
    #[error("invalid field `{field}`: {message}")]
    BadField { field: String, message: String },
    /// The body is not the JSON the route expects (syntax, type or a missing field).
    #[error("invalid body: {0}")]
    BadBody(String),
    /// No token, or a token the server does not know.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// A known token whose role may not do this.
    #[error("this needs the {needed} role; the token has the {has} role")]
    Forbidden { needed: Role, has: Role },
    #[error("{0} not found")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("body larger than the {limit}-byte limit")]
    TooLarge { limit: usize },
    /// A token's or (without a token) a client address's bucket is empty.
    #[error("rate limit exceeded for this {per}; retry after {retry_after_s} s")]
    RateLimited {
        per: &'static str,
        retry_after_s: u64,
    },
    /// The store is busy (another writer holds the lock): retry.
    #[error("busy: {0}")]
    Busy(String),
    /// The store failed (not the client's fault).
    #[error("storage failure: {0}")]
    Store(String),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadField {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn store(e: impl std::fmt::Display) -> Self {
        ApiError::Store(e.to_string())
    }

    /// The status this error answers with (the crate's error-to-status table).
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadField { .. } | ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadField { .. } => "invalid_field",
            ApiError::BadBody(_) => "invalid_body",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Busy(_) => "busy",
            ApiError::Store(_) => "store",
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            error: self.code(),
            message: self.to_string(),
            field: match &self {
                ApiError::BadField { field, .. } => Some(field.as_str()),
                _ => None,
            },
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let mut resp = (status, bytes).into_response();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        match &self {
            ApiError::Unauthorized(_) => {
                h.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"truce\""),
                );
            }
            ApiError::Busy(_) => {
                h.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            ApiError::RateLimited { retry_after_s, .. } => {
                if let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string()) {
                    h.insert(header::RETRY_AFTER, v);
                }
            }
            _ => {}
        }
        resp
    }
}
