//! The web page: a search box taking the command line's syntax, the hits
//! as the terminal shows them, a facet sidebar whose links add or take out
//! a filter in the query text, and a paragraph in its context.
//!
//! Everything is rendered on the server (maud templates, which escape every
//! value: a report holding `<script>` shows it as text), so the page works
//! with JavaScript off and the URL carries the query. The stylesheet and the
//! small script (keyboard shortcuts) are built into the binary.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::api::{self, ApiError};
use super::query_edit;
use super::state::Snapshot;
use super::{AppState, blocking};
use crate::error::Error;
use crate::query::{FacetCounts, Hit, SearchOptions, SearchResults};
use crate::report::Paragraph;

/// Hits on one page.
const PAGE_SIZE: usize = 10;
/// Values of a facet listed before "more".
const FACET_SHOWN: usize = 10;
/// Values of a facet listed in all, "more" included: an archive of
/// thousands of reports would otherwise send them all with every page.
const FACET_LISTED: usize = 100;
/// Reports listed on the start page.
const REPORTS_LISTED: usize = 100;
/// Paragraphs shown before and after the one opened.
const CONTEXT: usize = 2;

const STYLESHEET: &str = include_str!("assets/app.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// `GET /assets/{name}`: the stylesheet and the script.
pub async fn asset(Path(name): Path<String>) -> Response {
    let (content_type, body) = match name.as_str() {
        "app.css" => ("text/css; charset=utf-8", STYLESHEET),
        "app.js" => ("text/javascript; charset=utf-8", SCRIPT),
        _ => return not_found_page(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// What a value in a URL's query string keeps as it is: letters, digits and
/// the unreserved `-._~` (RFC 3986); the rest is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value as one part of a URL's query string.
fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The page of results of `query` (the home page when empty).
fn search_url(query: &str, offset: usize) -> String {
    let mut url = format!("/?q={}", encode(query));
    if offset > 0 {
        let _ = write!(url, "&offset={offset}");
    }
    url
}

/// The page of a paragraph in its context, reached from `query`.
fn paragraph_url(paragraph: &Paragraph, query: &str) -> String {
    format!(
        "/paragraph?doc={}&para={}&q={}#focus",
        encode(&paragraph.doc),
        encode(&paragraph.para),
        encode(query)
    )
}

/// The source file of a report, at the paragraph's page when it has one.
fn file_url(snapshot: &Snapshot, paragraph: &Paragraph) -> Option<String> {
    let info = snapshot.find_document(&paragraph.doc).ok().flatten()?;
    let mut url = format!("/files?doc={}", encode(&info.doc));
    let is_pdf = info
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf && let Some(page) = paragraph.page {
        let _ = write!(url, "#page={page}");
    }
    Some(url)
}

/// The frame of every page: the search box, the syntax, then `body`.
fn layout(title: &str, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip href="#results" { "Skip to results" }
                header.top {
                    a.brand href="/" { "pagsearch" }
                    form.search role="search" action="/" method="get" {
                        label.hidden for="q" { "Search the reports" }
                        input #q type="search" name="q" value=(query)
                            placeholder="financing chlor-alkali agenda:3"
                            autocomplete="off" autocapitalize="off" spellcheck="false"
                            aria-keyshortcuts="/";
                        button type="submit" { "Search" }
                    }
                    details.syntax {
                        summary { "Query syntax" }
                        pre { (crate::query::SYNTAX) }
                    }
                }
                (body)
            }
        }
    }
}

/// The parameters of the page.
#[derive(Debug, Deserialize)]
pub struct PageParams {
    /// The query.
    pub q: Option<String>,
    /// Hits to skip.
    pub offset: Option<usize>,
    /// No spelling correction.
    pub as_typed: Option<bool>,
}

/// A page answer: its status and its HTML.
fn page(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

/// A request the page cannot use: the message on a page of its own.
fn problem_page(status: StatusCode, query: &str, message: &str) -> Response {
    page(
        status,
        layout(
            "pagsearch",
            query,
            html! {
                main #results.layout.single {
                    div.error role="alert" { p { (message) } }
                    p { a href="/" { "Start again" } }
                }
            },
        ),
    )
}

/// The parameters of a page, or the page that says why they cannot be used.
fn page_params<T>(params: Result<Query<T>, QueryRejection>) -> Result<T, Box<Response>> {
    params.map(|Query(params)| params).map_err(|rejection| {
        Box::new(problem_page(
            StatusCode::BAD_REQUEST,
            "",
            &rejection.body_text(),
        ))
    })
}

/// `GET /?q=…`: the page with the results of the query, or the start page.
pub async fn home(
    State(state): State<AppState>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> Response {
    let params = match page_params(params) {
        Ok(params) => params,
        Err(problem) => return *problem,
    };
    let query = params.q.unwrap_or_default();
    let offset = params.offset.unwrap_or(0);
    let as_typed = params.as_typed.unwrap_or(false);
    let handle = Arc::clone(&state.index);
    let shown_query = query.clone();
    let answer = blocking(&state, move || {
        let snapshot = handle.snapshot();
        if query.trim().is_empty() {
            let totals = snapshot.facet_totals()?;
            return Ok(page(StatusCode::OK, start_page(&snapshot, totals)?));
        }
        let options = SearchOptions {
            limit: Some(PAGE_SIZE),
            offset,
            facets: true,
            correct_spelling: !as_typed,
            ..SearchOptions::default()
        };
        match snapshot.index.search(&query, &options) {
            Ok(results) => Ok(page(
                StatusCode::OK,
                results_page(&snapshot, &query, offset, &results)?,
            )),
            Err(error @ Error::Query { .. }) => Ok(page(
                StatusCode::BAD_REQUEST,
                query_error_page(&query, &error),
            )),
            Err(other) => Err(ApiError::from(other)),
        }
    })
    .await;
    answer.unwrap_or_else(|error| error_page(&shown_query, error))
}

/// A failure as a page, with the API's status.
fn error_page(query: &str, error: ApiError) -> Response {
    let (status, message) = match &error {
        ApiError::Library(error) => (api::status_of(error), error.to_string()),
        ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, message.clone()),
        ApiError::Internal(message) => (StatusCode::INTERNAL_SERVER_ERROR, message.clone()),
    };
    problem_page(status, query, &message)
}

/// The start page: how to search, the facets over the whole index, the
/// reports.
fn start_page(snapshot: &Snapshot, totals: &FacetCounts) -> crate::Result<Markup> {
    let documents = snapshot.documents()?;
    let examples = [
        "financing chlor-alkali conversion",
        "area:ASGM",
        "\"national action plans\" agenda:3",
        "speaker:Keane",
        "mercury waste -cement",
    ];
    let body = html! {
        main.layout {
            section #results.results aria-label="Start" {
                h1 { "Search the meeting reports" }
                p.summary {
                    (snapshot.index.paragraph_count()) " numbered paragraphs of "
                    (documents.len()) " reports: who said what, under which agenda item, about which partnership area."
                }
                h2 { "Try" }
                ul.examples {
                    @for example in examples {
                        li { a href=(search_url(example, 0)) { code { (example) } } }
                    }
                }
                h2 { "Reports" }
                ul.documents {
                    @for doc in documents.iter().take(REPORTS_LISTED) {
                        li {
                            a href=(search_url(&query_edit::filter("doc", &doc.doc), 0)) { (doc.doc) }
                            " · " (doc.paragraphs) " paragraphs"
                            @if let Some(year) = doc.year { " · " (year) }
                            " · " span.path { (doc.path.display().to_string()) }
                        }
                    }
                }
                @if documents.len() > REPORTS_LISTED {
                    p.hint { "And " (documents.len() - REPORTS_LISTED) " more: " code { "pagsearch facets doc" } " lists them all, " code { "doc:" } " searches one." }
                }
            }
            (facet_sidebar(snapshot, "", totals))
        }
    };
    Ok(layout("pagsearch", "", body))
}

/// The hits of a query, with the facets over all its matches.
fn results_page(
    snapshot: &Snapshot,
    query: &str,
    offset: usize,
    results: &SearchResults,
) -> crate::Result<Markup> {
    let first = offset + 1;
    let last = offset + results.hits.len();
    let body = html! {
        main.layout {
            section #results.results aria-label="Results" {
                @if !results.corrections.is_empty() {
                    p.notice {
                        "Showing results for "
                        @for (i, c) in results.corrections.iter().enumerate() {
                            @if i > 0 { ", " }
                            strong { (c.searched) } " (typed " em { (c.typed) } ")"
                        }
                        ". "
                        a href=(format!("{}&as_typed=true", search_url(query, 0))) { "Search as typed" }
                    }
                }
                @if !results.expansions.is_empty() {
                    p.notice {
                        "Also searched: "
                        @for (i, (typed, added)) in results.expansions.iter().enumerate() {
                            @if i > 0 { ", " }
                            strong { (added) } " for " em { (typed) }
                        }
                    }
                }
                p.summary role="status" {
                    @match results.total {
                        0 => "No paragraph matches.",
                        1 => "1 paragraph matches.",
                        n => { (n) " paragraphs match" @if results.hits.len() < n { "; " (first) "–" (last) " shown" } "." }
                    }
                    @if results.document_order && results.total > 0 { " In document order (filters only)." }
                }
                @if results.total == 0 {
                    p.hint { "Check the spelling, use fewer words, or take a filter out (click it in the sidebar)." }
                }
                ol.hits start=(first) {
                    @for hit in &results.hits {
                        (hit_item(snapshot, query, hit))
                    }
                }
                (pager(query, offset, results))
            }
            @if let Some(facets) = &results.facets {
                (facet_sidebar(snapshot, query, facets))
            }
        }
    };
    Ok(layout(&format!("{query} — pagsearch"), query, body))
}

/// Links to the pages before and after this one.
fn pager(query: &str, offset: usize, results: &SearchResults) -> Markup {
    let shown_to = offset + results.hits.len();
    html! {
        @if offset > 0 || shown_to < results.total {
            nav.pager aria-label="Pages" {
                @if offset > 0 {
                    a rel="prev" href=(search_url(query, offset.saturating_sub(PAGE_SIZE))) { "← Previous" }
                }
                @if shown_to < results.total {
                    a rel="next" href=(search_url(query, shown_to)) { "Next →" }
                }
            }
        }
    }
}

/// The agenda item, speakers, delegations and areas of a paragraph.
fn paragraph_tags(paragraph: &Paragraph) -> Markup {
    let mut speakers = paragraph.speakers.clone();
    if paragraph.participant {
        speakers.push("a participant".to_string());
    }
    html! {
        @if let Some(title) = &paragraph.agenda_title {
            span.agenda title="Agenda item" {
                @if let Some(item) = &paragraph.agenda_item { (item) ". " }
                (title)
            }
        }
        @if !speakers.is_empty() {
            span.speakers title="Speakers" { (speakers.join(", ")) }
        }
        @if !paragraph.delegations.is_empty() {
            span.delegations title="Delegations" {
                (paragraph.delegations.join(", "))
                @if !paragraph.on_behalf_of.is_empty() { " on behalf of " (paragraph.on_behalf_of.join(", ")) }
            }
        }
        @for area in &paragraph.areas {
            span.area title="Partnership area" { (area) }
        }
    }
}

/// "p. 6" or "pp. 6–7".
fn pages_text(paragraph: &Paragraph) -> Option<String> {
    let page = paragraph.page?;
    Some(match paragraph.page_end {
        Some(end) if end != page => format!("pp. {page}–{end}"),
        _ => format!("p. {page}"),
    })
}

/// One hit: where it is, its tags, its snippet with the matched words marked.
fn hit_item(snapshot: &Snapshot, query: &str, hit: &Hit) -> Markup {
    let paragraph = &hit.paragraph;
    html! {
        li.hit {
            div.hit-head {
                a.hit-link href=(paragraph_url(paragraph, query)) {
                    (paragraph.doc) " ¶" (paragraph.para)
                }
                @if let Some(pages) = pages_text(paragraph) {
                    @match file_url(snapshot, paragraph) {
                        Some(url) => a.page href=(url) title="Open the report at this page" { (pages) },
                        None => span.page { (pages) },
                    }
                }
            }
            div.tags { (paragraph_tags(paragraph)) }
            p.snippet { (highlighted(&hit.snippet.text, &hit.snippet.highlights)) }
        }
    }
}

/// `text` with the byte ranges `marks` in `<mark>`, every part escaped.
fn highlighted(text: &str, marks: &[(usize, usize)]) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut from = 0;
    for &(start, end) in marks {
        match (text.get(from..start), text.get(start..end)) {
            (Some(before), Some(marked)) if start >= from => {
                parts.push((false, before));
                parts.push((true, marked));
                from = end;
            }
            _ => {}
        }
    }
    parts.push((false, text.get(from..).unwrap_or("")));
    html! {
        @for (marked, part) in parts {
            @if marked { mark { (part) } } @else { (part) }
        }
    }
}

/// One facet group: each value a link that adds its filter to the query,
/// or takes it out when the query holds it.
fn facet_group(title: &str, field: &str, query: &str, values: &[(String, String, u64)]) -> Markup {
    let item = |(value, label, count): &(String, String, u64)| {
        let filter = query_edit::filter(field, value);
        let on = query_edit::has(query, &filter);
        let action = if on {
            "Remove the filter"
        } else {
            "Add the filter"
        };
        html! {
            li {
                a.on[on] href=(search_url(&query_edit::toggle(query, &filter), 0))
                    title=(format!("{action} {filter}")) aria-current=[on.then_some("true")] {
                    span.name { (label) }
                    span.count { (count) }
                }
            }
        }
    };
    html! {
        @if !values.is_empty() {
            section.facet {
                h3 { (title) }
                ul { @for value in values.iter().take(FACET_SHOWN) { (item(value)) } }
                @if values.len() > FACET_SHOWN {
                    details.more {
                        summary { (values.len() - FACET_SHOWN) " more" }
                        ul { @for value in &values[FACET_SHOWN..values.len().min(FACET_LISTED)] { (item(value)) } }
                        @if values.len() > FACET_LISTED {
                            p.hint { (values.len() - FACET_LISTED) " more not listed: type the filter (" code { (field) ":" } "…)" }
                        }
                    }
                }
            }
        }
    }
}

/// The facet sidebar: areas, speakers, delegations, agenda items, reports.
fn facet_sidebar(snapshot: &Snapshot, query: &str, facets: &FacetCounts) -> Markup {
    let names = snapshot.index.taxonomy().ok();
    let area_name = |key: &str| {
        names
            .as_ref()
            .and_then(|t| {
                t.areas()
                    .iter()
                    .find(|a| a.key == key)
                    .map(|a| a.name.clone())
            })
            .unwrap_or_else(|| key.to_string())
    };
    let same = |counts: &[(String, u64)]| -> Vec<(String, String, u64)> {
        counts
            .iter()
            .map(|(value, count)| (value.clone(), value.clone(), *count))
            .collect()
    };
    let areas: Vec<(String, String, u64)> = facets
        .area
        .iter()
        .map(|(key, count)| (key.clone(), area_name(key), *count))
        .collect();
    let agenda: Vec<(String, String, u64)> = facets
        .agenda
        .iter()
        .map(|(item, count)| (item.clone(), format!("Item {item}"), *count))
        .collect();
    html! {
        aside.facets aria-label="Refine the search" {
            h2 { "Refine" }
            (facet_group("Partnership areas", "area", query, &areas))
            (facet_group("Speakers", "speaker", query, &same(&facets.speaker)))
            (facet_group("Delegations", "delegation", query, &same(&facets.delegation)))
            (facet_group("Agenda items", "agenda", query, &agenda))
            (facet_group("Reports", "doc", query, &same(&facets.doc)))
        }
    }
}

/// A query that cannot be run: the message, and the query with the part at
/// fault marked.
fn query_error_page(query: &str, error: &Error) -> Markup {
    let Error::Query {
        message,
        start,
        end,
        ..
    } = error
    else {
        return layout("pagsearch", query, html! {});
    };
    let (before, at, after) = match (
        query.get(..*start),
        query.get(*start..*end),
        query.get(*end..),
    ) {
        (Some(b), Some(a), Some(c)) => (b, a, c),
        _ => (query, "", ""),
    };
    let body = html! {
        main #results.layout.single {
            div.error role="alert" {
                p { (message) }
                pre.pointer { (before) mark { (if at.is_empty() { " " } else { at }) } (after) }
            }
            p { "The syntax is explained under " em { "Query syntax" } " above." }
        }
    };
    layout(&format!("{query} — pagsearch"), query, body)
}

/// The parameters of the paragraph page.
#[derive(Debug, Deserialize)]
pub struct ParagraphPageParams {
    /// Document id.
    pub doc: Option<String>,
    /// Paragraph label.
    pub para: Option<String>,
    /// The query the paragraph was found with (for the way back).
    pub q: Option<String>,
}

/// `GET /paragraph?doc=…&para=…`: a paragraph with its neighbours.
pub async fn paragraph(
    State(state): State<AppState>,
    params: Result<Query<ParagraphPageParams>, QueryRejection>,
) -> Response {
    let params = match page_params(params) {
        Ok(params) => params,
        Err(problem) => return *problem,
    };
    let query = params.q.clone().unwrap_or_default();
    let (doc, para) = match (params.doc, params.para) {
        (Some(doc), Some(para)) if !doc.is_empty() && !para.is_empty() => (doc, para),
        _ => {
            return problem_page(
                StatusCode::BAD_REQUEST,
                &query,
                "missing doc or para: open a paragraph from a hit",
            );
        }
    };
    let handle = Arc::clone(&state.index);
    let shown_query = query.clone();
    blocking(&state, move || {
        let snapshot = handle.snapshot();
        let found = snapshot
            .index
            .paragraph_in_context(&doc, &para, CONTEXT)?;
        let body = html! {
            main #results.layout.single {
                nav.back {
                    @if query.is_empty() {
                        a href="/" { "← Search" }
                    } @else {
                        a href=(search_url(&query, 0)) { "← Results for " (query) }
                    }
                }
                h1 { (doc) " ¶" (para) }
                ol.context {
                    @for (i, paragraph) in found.paragraphs.iter().enumerate() {
                        @let focus = i == found.focus;
                        li.paragraph.focus[focus] id=[focus.then_some("focus")] {
                            div.hit-head {
                                a href=(paragraph_url(paragraph, &query)) { "¶" (paragraph.para) }
                                @if let Some(pages) = pages_text(paragraph) {
                                    @match file_url(&snapshot, paragraph) {
                                        Some(url) => a.page href=(url) title="Open the report at this page" { (pages) },
                                        None => span.page { (pages) },
                                    }
                                }
                            }
                            div.tags { (paragraph_tags(paragraph)) }
                            p.text { (paragraph.text) }
                        }
                    }
                }
            }
        };
        Ok(page(
            StatusCode::OK,
            layout(&format!("{doc} ¶{para} — pagsearch"), &query, body),
        ))
    })
    .await
    .unwrap_or_else(|error| error_page(&shown_query, error))
}

fn not_found_page() -> Response {
    problem_page(
        StatusCode::NOT_FOUND,
        "",
        "There is no such page here: search from the box above.",
    )
}

/// Any other path: a JSON 404 under `/api/`, a page otherwise.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        let answer = crate::output::ErrorAnswer::new(
            "not_found",
            format!("no such endpoint: {}", uri.path()),
        );
        return (StatusCode::NOT_FOUND, axum::Json(answer)).into_response();
    }
    not_found_page()
}
