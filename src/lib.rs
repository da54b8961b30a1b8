//! pagsearch: full-text search over UN-style meeting reports, such as those
//! of the UN Environment Global Mercury Partnership.
//!
//! Data flows one way through the stages:
//! - [`report`]: a report file becomes paragraph units tagged with document
//!   metadata, agenda item, speakers and partnership areas;
//! - [`index`]: the units written to a tantivy index, kept up to date with
//!   a folder of reports;
//! - [`query`]: the query syntax run against the index, ranked, with
//!   snippets and facet counts;
//! - [`output`]: units, hits and facets printed for people or as JSON for
//!   scripts;
//! - `serve` (feature `serve`, on by default): a web page and an HTTP JSON
//!   API over an index.
//!
//! ```
//! use pagsearch::report::{self, Taxonomy};
//!
//! let text = "**1. Opening of the meeting**\n\n1. Mr. Cuna opened the meeting.\n";
//! let report = report::parse("pag.md", text.as_bytes(), &Taxonomy::builtin());
//! let unit = &report.units[0];
//! assert_eq!(unit.agenda.as_ref().unwrap().title, "Opening of the meeting");
//! assert_eq!(report.speaker_names(unit), ["Cuna"]);
//! ```

#![warn(missing_docs)]

pub mod error;
pub mod index;
pub mod output;
pub mod query;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod text;

pub use error::{Error, Result};
pub use index::{DocumentInfo, Index, Progress, UpdateSummary};
pub use query::{
    FacetCounts, Group, GroupBy, Hit, InContext, Overview, SearchOptions, SearchResults, Snippet,
    Sort,
};
