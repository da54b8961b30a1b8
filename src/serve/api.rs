//! The HTTP JSON API: `/api/search`, `/api/paragraph`, `/api/facets`,
//! `/api/documents`, `/health`, and `/files`, the indexed source files.
//!
//! Every answer is built by the `output` stage from what the library
//! returns, as `--json` prints it; errors are JSON too, with the status
//! that fits: 400 for a query that cannot be run (the command line's message
//! and column), 404 for an unknown document or paragraph, 500 otherwise.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{AppState, blocking};
use crate::error::Error;
use crate::output;
use crate::query::{GroupBy, SearchOptions, Sort};

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 1000;
/// Most neighbours one paragraph request may ask for.
pub const MAX_CONTEXT: usize = 100;

/// An API error: a library error, a bad parameter, or a failure of the
/// server itself.
#[derive(Debug)]
pub enum ApiError {
    /// What the library refused or failed at.
    Library(Error),
    /// A request parameter that cannot be used.
    BadRequest(String),
    /// A failure that is nobody's input (a worker that panicked).
    Internal(String),
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        ApiError::Library(error)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}

/// The status of a library error.
pub fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::Query { .. } => StatusCode::BAD_REQUEST,
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::NoIndex { .. } | Error::EmptyIndex { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Library(error) => (status_of(&error), output::error_json(&error)),
            ApiError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                output::ErrorAnswer::new("bad_request", message),
            ),
            ApiError::Internal(message) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                output::ErrorAnswer::new("internal", message),
            ),
        };
        (status, Json(body)).into_response()
    }
}

/// The parameters of `/api/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// The query, in the command line's syntax.
    pub q: Option<String>,
    /// Hits (or groups) per page; 10 unless given.
    pub limit: Option<usize>,
    /// Hits (or groups) to skip.
    pub offset: Option<usize>,
    /// Count facets over all matches.
    pub facets: Option<bool>,
    /// No spelling correction.
    pub as_typed: Option<bool>,
    /// `doc`, `meeting`, `speaker`, `area` or `agenda`.
    pub group_by: Option<String>,
    /// `relevance`, `newest` or `oldest`.
    pub sort: Option<String>,
}

impl SearchParams {
    /// The query text, refused when missing or blank.
    pub fn query(&self) -> Result<String, ApiError> {
        match self.q.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => Ok(q.to_string()),
            _ => Err(ApiError::BadRequest(
                "missing query: give one as q=… (e.g. q=area:ASGM)".to_string(),
            )),
        }
    }

    /// The library's options for these parameters.
    pub fn options(&self) -> Result<SearchOptions, ApiError> {
        let limit = self.limit.unwrap_or(10);
        if limit > MAX_LIMIT {
            return Err(ApiError::BadRequest(format!(
                "limit {limit} is too large: at most {MAX_LIMIT}, with offset to page on"
            )));
        }
        let group_by = match self.group_by.as_deref() {
            None | Some("") => None,
            Some("doc") => Some(GroupBy::Doc),
            Some("meeting") => Some(GroupBy::Meeting),
            Some("speaker") => Some(GroupBy::Speaker),
            Some("area") => Some(GroupBy::Area),
            Some("agenda") => Some(GroupBy::Agenda),
            Some(other) => {
                return Err(ApiError::BadRequest(format!(
                    "unknown group_by '{other}': doc, meeting, speaker, area or agenda"
                )));
            }
        };
        let sort = match self.sort.as_deref() {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("newest") => Sort::Newest,
            Some("oldest") => Sort::Oldest,
            Some(other) => {
                return Err(ApiError::BadRequest(format!(
                    "unknown sort '{other}': relevance, newest or oldest"
                )));
            }
        };
        Ok(SearchOptions {
            limit: Some(limit),
            offset: self.offset.unwrap_or(0),
            facets: self.facets.unwrap_or(false),
            correct_spelling: !self.as_typed.unwrap_or(false),
            group_by,
            sort,
            ..SearchOptions::default()
        })
    }
}

/// `GET /api/search?q=…&limit=10&offset=0&facets=true`.
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let query = params.query()?;
    let options = params.options()?;
    let handle = Arc::clone(&state.index);
    blocking(&state, move || {
        let snapshot = handle.snapshot();
        let results = snapshot.index.search(&query, &options)?;
        json_bytes(&output::search_json(&query, options.offset, &results))
    })
    .await
}

/// `value` as a JSON answer, its fields in their declared order.
fn json_bytes(value: &impl serde::Serialize) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| ApiError::Internal(format!("cannot write the answer: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// The parameters of `/api/paragraph`.
#[derive(Debug, Deserialize)]
pub struct ParagraphParams {
    /// Document id, symbol, file stem or path.
    pub doc: Option<String>,
    /// Paragraph label.
    pub para: Option<String>,
    /// Paragraphs before and after (1 unless given).
    pub context: Option<usize>,
}

impl ParagraphParams {
    /// The document and paragraph asked for, refused when missing.
    pub fn target(&self) -> Result<(String, String), ApiError> {
        let required = |value: &Option<String>, name: &str| match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(ApiError::BadRequest(format!(
                "missing {name}: give doc=…&para=… (e.g. doc=PAG.8/7&para=63)"
            ))),
        };
        Ok((required(&self.doc, "doc")?, required(&self.para, "para")?))
    }
}

/// `GET /api/paragraph?doc=PAG.8/7&para=63&context=1`.
pub async fn paragraph(
    State(state): State<AppState>,
    params: Result<Query<ParagraphParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let (doc, para) = params.target()?;
    let context = params.context.unwrap_or(1).min(MAX_CONTEXT);
    let handle = Arc::clone(&state.index);
    blocking(&state, move || {
        let found = handle
            .snapshot()
            .index
            .paragraph_in_context(&doc, &para, context)?;
        json_bytes(&found)
    })
    .await
}

/// `GET /api/facets`: every area, speaker, agenda item, report and
/// delegation with its paragraph count, as `pagsearch facets --json`.
pub async fn facets(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let handle = Arc::clone(&state.index);
    blocking(&state, move || {
        let overview = handle.snapshot().index.overview()?;
        Ok(Json(output::overview_json(&overview, None)))
    })
    .await
}

/// `GET /api/documents`: the reports searches see, in document order.
pub async fn documents(State(state): State<AppState>) -> Result<Response, ApiError> {
    let handle = Arc::clone(&state.index);
    blocking(&state, move || {
        #[derive(serde::Serialize)]
        struct Documents<'a> {
            documents: &'a [crate::index::DocumentInfo],
        }
        let snapshot = handle.snapshot();
        json_bytes(&Documents {
            documents: snapshot.documents()?,
        })
    })
    .await
}

/// `GET /health`: the server answers and its index opens.
pub async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let handle = Arc::clone(&state.index);
    blocking(&state, move || {
        let snapshot = handle.snapshot();
        Ok(Json(serde_json::json!({
            "status": "ok",
            "paragraphs": snapshot.index.paragraph_count(),
            "documents": snapshot.documents()?.len(),
        })))
    })
    .await
}

/// The parameters of `/files`.
#[derive(Debug, Deserialize)]
pub struct FileParams {
    /// Document id (or the path the index holds).
    pub doc: Option<String>,
}

/// The content type of a report file, by its extension.
fn content_type(path: &std::path::Path, bytes: &[u8]) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("pdf") => "application/pdf",
        // Text in another encoding than UTF-8: the browser guesses.
        _ if std::str::from_utf8(bytes).is_err() => "text/plain",
        _ => "text/plain; charset=utf-8",
    }
}

/// `GET /files?doc=PAG.8/7`: the source file of an indexed report. Only a
/// path the index holds is ever opened: the request names a document, and
/// the document's file is looked up in the index.
pub async fn file(
    State(state): State<AppState>,
    params: Result<Query<FileParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let Some(doc) = params.doc.filter(|d| !d.trim().is_empty()) else {
        return Err(ApiError::BadRequest(
            "missing doc: give doc=… (e.g. doc=PAG.8/7)".to_string(),
        ));
    };
    let handle = Arc::clone(&state.index);
    blocking(&state, move || {
        let snapshot = handle.snapshot();
        let Some(info) = snapshot.find_document(&doc)? else {
            return Err(ApiError::Library(Error::NotFound {
                message: format!("no indexed report is known as '{doc}'"),
            }));
        };
        let bytes = std::fs::read(&info.path).map_err(|e| {
            ApiError::Library(Error::NotFound {
                message: format!(
                    "the file of {} ({}) cannot be read from where it was indexed: {e}",
                    info.doc,
                    info.path.display()
                ),
            })
        })?;
        let mut response = (
            [(header::CONTENT_TYPE, content_type(&info.path, &bytes))],
            bytes,
        )
            .into_response();
        let name = info
            .path
            .file_name()
            .map(|n| n.to_string_lossy().replace(['"', '\\'], "_"))
            .unwrap_or_default();
        if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
        Ok(response)
    })
    .await
}
