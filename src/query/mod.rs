//! The `query` stage: user query syntax to a tantivy query, ranking,
//! snippets and facet counts.
//!
//! Free words are ranked with BM25 over the paragraph text (English
//! stemming), the names of who speaks (speakers and delegations) and the
//! agenda title; a paragraph must
//! match at least one of them, matching more of them ranks higher, and among
//! the best 200 by the words those holding all of them as a phrase rank
//! higher still. Acronyms the reports define are expanded both
//! ways. Field filters (`area:`, `speaker:`, `delegation:` or its alias
//! `party:`, …) must all match; `-x` excludes.
//! A query of filters only lists every match in document order. Ties keep
//! document order.

mod checks;
mod exclusion;
mod facets;
mod group;
pub mod help;
mod ranking;
mod spelling;
mod syntax;

use std::collections::BTreeSet;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

pub use checks::MAX_QUERY_CHARS;
pub use group::{Group, GroupBy, Sort};
#[doc(inline)]
pub use help::SYNTAX;
pub use spelling::Correction;
pub use syntax::{FIELD_ALIASES, FIELDS, Node, Span, SyntaxError, canonical_field};

use crate::error::{Error, Result};
use crate::index::schema::{self, ENGLISH, NAMES};
use crate::index::{Index, index_error, open_reader};
use crate::report::{Acronym, Paragraph, Taxonomy};
use ranking::Ranked;

/// Weight of a match in the names of who speaks (speakers and delegations)
/// and in the agenda title, relative to the paragraph text.
const SPEAKING_BOOST: f32 = 1.5;
const AGENDA_BOOST: f32 = 0.5;
/// Weight of the free words found together as a phrase.
const PHRASE_BOOST: f32 = 2.0;
/// Weight of an acronym expansion relative to the word typed.
const EXPANSION_BOOST: f32 = 0.8;
/// Weight of a synonym from the taxonomy's table relative to the word typed.
const SYNONYM_BOOST: f32 = 0.6;
/// How many of the best paragraphs by the words alone may gain the bonus of
/// the phrase of all the words.
const RESCORE_WINDOW: usize = 200;

/// One entry of a synonym group, analysed once per index.
#[derive(Debug, Clone)]
pub(crate) struct SynonymEntry {
    /// As the taxonomy file writes it.
    text: String,
    /// Its tokens in the text field's analysis.
    tokens: Vec<String>,
    /// Written in capitals ("WHO", "BAT"): it matches only as typed.
    capitals: bool,
}

/// How to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Maximum hits; `None`: 10 for ranked queries, all for filter-only ones.
    pub limit: Option<usize>,
    /// Hits (or groups) to skip before the first one returned: the next
    /// page starts at `offset + limit`. Ranks count from the first match.
    pub offset: usize,
    /// Count areas, speakers, delegations and agenda items over all matches.
    pub facets: bool,
    /// Maximum snippet length in characters.
    pub snippet_chars: usize,
    /// Search a free word the index does not hold as the nearest one it
    /// does ("finacing" as "financing"); see [`SearchResults::corrections`].
    pub correct_spelling: bool,
    /// Show the best paragraph of each group, with the group's count (see
    /// [`SearchResults::groups`]); `limit` then counts groups.
    pub group_by: Option<GroupBy>,
    /// Order of the hits (of the groups, by their best hit's date).
    pub sort: Sort,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: None,
            offset: 0,
            facets: false,
            snippet_chars: 220,
            correct_spelling: true,
            group_by: None,
            sort: Sort::Relevance,
        }
    }
}

/// A matching paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score; `None` for filter-only queries (document order).
    pub score: Option<f32>,
    /// The paragraph (flattened into the JSON object).
    #[serde(flatten)]
    pub paragraph: Paragraph,
    /// An excerpt with the matched words marked.
    pub snippet: Snippet,
}

/// An excerpt of a hit's text with the matched words marked.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Snippet {
    /// The excerpt.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Paragraph counts per value over all matches.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FacetCounts {
    /// By area key, in taxonomy order.
    pub area: Vec<(String, u64)>,
    /// By speaker display name, most paragraphs first.
    pub speaker: Vec<(String, u64)>,
    /// By agenda item number, in item order.
    pub agenda: Vec<(String, u64)>,
    /// By delegation name, most paragraphs first.
    pub delegation: Vec<(String, u64)>,
    /// By report (document id), most paragraphs first.
    pub doc: Vec<(String, u64)>,
}

/// Everything the index can be filtered by, with paragraph counts: what
/// `pagsearch facets` lists.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Overview {
    /// Every area of the index's taxonomy, in taxonomy order.
    pub area: Vec<AreaCount>,
    /// Every speaker, most paragraphs first.
    pub speaker: Vec<SpeakerCount>,
    /// Every agenda item number, in item order.
    pub agenda: Vec<AgendaCount>,
    /// Every report, in document order.
    pub doc: Vec<crate::index::DocumentInfo>,
    /// Every delegation that speaks, most paragraphs first.
    pub delegation: Vec<DelegationCount>,
}

/// An area and the paragraphs tagged with it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AreaCount {
    /// Area key ("asgm").
    pub key: String,
    /// Area name ("Artisanal and small-scale gold mining").
    pub name: String,
    /// Paragraphs tagged with the area.
    pub paragraphs: u64,
}

/// A speaker and the paragraphs where they speak.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SpeakerCount {
    /// Display name.
    pub name: String,
    /// Organisation or country, when the reports give one.
    pub organisation: Option<String>,
    /// Paragraphs where the speaker speaks.
    pub paragraphs: u64,
}

/// A delegation (a Party or an observer organisation) and the paragraphs
/// where its representative speaks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DelegationCount {
    /// Name, as the reports give it ("Canada", "European Union").
    pub name: String,
    /// Paragraphs where the delegation speaks.
    pub paragraphs: u64,
}

/// An agenda item number and its paragraphs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AgendaCount {
    /// Agenda item number ("3").
    pub item: String,
    /// Paragraphs under the item.
    pub paragraphs: u64,
}

/// A paragraph with its neighbours (see [`Index::paragraph_in_context`]).
#[derive(Debug, Clone, Serialize)]
pub struct InContext {
    /// The paragraphs, in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Position of the paragraph asked for in `paragraphs`.
    pub focus: usize,
}

/// The answer to a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The hits shown, best first (or in document order).
    pub hits: Vec<Hit>,
    /// Number of matching paragraphs (all of them, not only `hits`).
    pub total: usize,
    /// True when the query had filters only: hits are in document order.
    pub document_order: bool,
    /// Acronym expansions applied: (as typed, added).
    pub expansions: Vec<(String, String)>,
    /// Free words the index does not hold, searched as the nearest word it
    /// does. A word in quotes is searched as typed.
    pub corrections: Vec<Correction>,
    /// Counts over all matches, when asked for.
    pub facets: Option<FacetCounts>,
    /// With [`SearchOptions::group_by`], the group of each hit: `hits[i]` is
    /// the best paragraph of `groups[i]`. Empty otherwise.
    pub groups: Vec<Group>,
    /// With [`SearchOptions::group_by`], the number of groups (all of them,
    /// not only those shown).
    pub group_total: usize,
}

/// Parses `query` (pagsearch query syntax) without running it: the tree of
/// words, phrases, filters and operators, or an [`Error::Query`] naming the
/// position of the problem.
///
/// ```
/// let node = pagsearch::query::parse("area:ASGM speaker:Keane").unwrap();
/// assert!(matches!(node, pagsearch::query::Node::Seq(_)));
/// let err = pagsearch::query::parse("mercury (coal").unwrap_err();
/// assert!(err.to_string().contains("column 9"));
/// ```
///
/// Besides the grammar, a query is refused when it is longer than
/// [`MAX_QUERY_CHARS`], holds control characters other than tabs and line
/// breaks, has a word of symbols with no letter or digit (`🙂`), or is made
/// only of common words (`the of and`) with no filter or phrase.
pub fn parse(query: &str) -> Result<Node> {
    let refused = |e: SyntaxError| query_error(query, &e);
    checks::check_text(query).map_err(refused)?;
    let node = syntax::parse(query).map_err(refused)?;
    checks::check_words(query, &node).map_err(refused)?;
    Ok(node)
}

impl Index {
    /// The taxonomy's synonym groups, analysed (once).
    fn synonym_groups(&self) -> &[Vec<SynonymEntry>] {
        self.synonyms.get_or_init(|| {
            self.summary
                .synonyms
                .iter()
                .map(|group| {
                    group
                        .iter()
                        .map(|text| SynonymEntry {
                            tokens: self.analyze(ENGLISH, text),
                            capitals: text.chars().filter(|c| c.is_uppercase()).count() >= 2
                                && !text.contains(' '),
                            text: text.clone(),
                        })
                        .filter(|entry| !entry.tokens.is_empty())
                        .collect()
                })
                .collect()
        })
    }

    /// The tokens the named analyzer makes of `text`.
    fn analyze(&self, analyzer: &str, text: &str) -> Vec<String> {
        let Some(mut analyzer) = self.index.tokenizers().get(analyzer) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        tokens
    }

    /// Runs `query` (pagsearch query syntax, see the README).
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<SearchResults> {
        guarded(&self.dir, || self.search_unguarded(query, options))
    }

    fn search_unguarded(&self, query: &str, options: &SearchOptions) -> Result<SearchResults> {
        let node = parse(query)?;
        let searcher = self.searcher()?;
        let taxonomy = self.taxonomy_ref()?;
        let mut compiler = Compiler {
            index: self,
            searcher: &searcher,
            taxonomy,
            query,
            has_free_text: false,
            expansions: Vec::new(),
            bonuses: Vec::new(),
            acronyms: &self.summary.acronyms,
            correct_spelling: options.correct_spelling,
            corrections: Vec::new(),
        };
        let compiled = compiler.compile(&node)?;
        let compiled = self.visible(with_positive_clause(compiled, &node));
        let document_order = !compiler.has_free_text;
        // A page further on: collect up to its end, then drop what comes
        // before it (no limit on a filter-only query: all the rest).
        let offset = options.offset;
        let paged;
        let options = if offset > 0 {
            let limit = match options.limit {
                Some(limit) => Some(limit.saturating_add(offset)),
                None if document_order => None,
                None => Some(10 + offset),
            };
            paged = SearchOptions {
                limit,
                ..options.clone()
            };
            &paged
        } else {
            options
        };
        let mut expansions = compiler.expansions;
        // The same expansion from two words ("PAG" twice) is listed once.
        let mut seen = std::collections::HashSet::new();
        expansions.retain(|expansion| seen.insert(expansion.clone()));
        let bonuses = compiler.bonuses;
        let corrected = compiler.corrections;

        // Never more than there are paragraphs: a huge --limit must not
        // allocate for it.
        let cap = |limit: usize| limit.min(self.paragraph_count()).max(1);
        // Facets are counted in the same pass as the total: tantivy matches
        // some phrases differently with and without scoring.
        let facet_collectors = options.facets.then(|| facet_collectors(self)).transpose()?;
        let mut groups = Vec::new();
        let mut group_total = 0;
        let (total, mut scored, facet_counts) =
            if options.group_by.is_some() || options.sort != Sort::Relevance {
                let found = self.arranged(
                    &searcher,
                    &*compiled,
                    &bonuses,
                    document_order,
                    options,
                    facet_collectors,
                )?;
                groups = found.groups;
                group_total = found.group_total;
                (found.total, found.scored, found.facets)
            } else if document_order {
                // One pass counts and lists (every match when there is no
                // limit).
                let limit = cap(options.limit.unwrap_or(usize::MAX));
                let earliest = ranking::Earliest::with_limit(limit, self.ordered_segments());
                let (total, found, facet_counts) = searcher
                    .search(&*compiled, &(Count, earliest, facet_collectors))
                    .map_err(|e| index_error(&self.dir, e))?;
                let scored: Vec<(Option<f32>, DocAddress)> = found
                    .into_iter()
                    .map(|(_, address)| (None, address))
                    .collect();
                (total, scored, facet_counts)
            } else {
                // Ties keep document order.
                let limit = cap(options.limit.unwrap_or(10));
                let window = if bonuses.is_empty() {
                    limit
                } else {
                    limit.max(RESCORE_WINDOW)
                };
                // One pass counts, ranks and counts facets.
                let ranked = Ranked::with_limit(window).in_document_order(self.ordered_segments());
                let found = if facet_collectors.is_some() {
                    searcher.search(&*compiled, &(ranked, facet_collectors))
                } else {
                    // Alone, its test of each match is inlined in tantivy's
                    // loop over the matches.
                    searcher
                        .search(&*compiled, &ranked)
                        .map(|ranking| (ranking, None))
                };
                let (ranking, facet_counts) = found.map_err(|e| index_error(&self.dir, e))?;
                let (total, mut found) = (ranking.total, ranking.best);
                ranking::rescore(&searcher, &bonuses, &mut found, limit)
                    .map_err(|e| index_error(&self.dir, e))?;
                let scored: Vec<(Option<f32>, DocAddress)> = found
                    .into_iter()
                    .map(|doc| (Some(doc.score), doc.address))
                    .collect();
                (total, scored, facet_counts)
            };

        // A limit of 0 (tantivy collects at least one): the counts only.
        if let Some(limit) = options.limit {
            scored.truncate(limit);
        }
        scored.drain(..offset.min(scored.len()));
        groups.drain(..offset.min(groups.len()));

        let mut snippets = SnippetGenerator::create(&searcher, &*compiled, self.fields.text)
            .map_err(|e| index_error(&self.dir, e))?;
        snippets.set_max_num_chars(options.snippet_chars);
        let mut hits = Vec::with_capacity(scored.len());
        for (rank, (score, address)) in scored.into_iter().enumerate() {
            let paragraph = self.paragraph_at(&searcher, address)?;
            let snippet = snippet_of(&snippets, &paragraph.text, options.snippet_chars);
            hits.push(Hit {
                rank: offset + rank + 1,
                score,
                paragraph,
                snippet,
            });
        }
        let facets = facet_counts
            .map(|counts| facet_lists(self, &counts, taxonomy))
            .transpose()?;
        // A correction is shown as the hits write it, not as its stem.
        let analyze = |word: &str| self.analyze(ENGLISH, word);
        let corrections = corrected
            .into_iter()
            .map(|(typed, stem)| {
                let written = spelling::surface_form(
                    &stem,
                    hits.iter().map(|hit| hit.paragraph.text.as_str()),
                    analyze,
                );
                // A name keeps its capital; another word is shown in lowercase.
                let searched = if typed.starts_with(char::is_uppercase) {
                    written
                } else {
                    written.to_lowercase()
                };
                Correction { typed, searched }
            })
            .collect();
        Ok(SearchResults {
            hits,
            total,
            document_order,
            expansions,
            corrections,
            facets,
            groups,
            group_total,
        })
    }

    /// Every paragraph of the document named `doc` (id, symbol or file
    /// stem), in document order.
    pub fn document(&self, doc: &str) -> Result<Vec<Paragraph>> {
        guarded(&self.dir, || self.document_unguarded(doc))
    }

    fn document_unguarded(&self, doc: &str) -> Result<Vec<Paragraph>> {
        let searcher = self.searcher()?;
        let term = Term::from_field_text(self.fields.doc_key, &schema::keyword(doc));
        let query = self.visible(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        let count = searcher
            .search(&*query, &Count)
            .map_err(|e| index_error(&self.dir, e))?;
        if count == 0 {
            return Err(Error::NotFound {
                message: unknown_value_message("document", doc, self.keys()?.0),
            });
        }
        let collector = TopDocs::with_limit(count).order_by_u64_field("order", Order::Asc);
        let found = searcher
            .search(&*query, &collector)
            .map_err(|e| index_error(&self.dir, e))?;
        // Two different reports known by one file stem: name them, never
        // mix their paragraphs.
        let seqs: BTreeSet<u64> = found
            .iter()
            .filter_map(|(order, _)| order.map(schema::seq_of))
            .collect();
        if seqs.len() > 1 {
            let mut files: Vec<String> = self
                .files()?
                .into_iter()
                .filter(|(_, entry)| seqs.contains(&entry.seq))
                .map(|(path, _)| path)
                .collect();
            files.sort();
            return Err(Error::Query {
                pointer: String::new(),
                start: 0,
                end: doc.len(),
                message: format!(
                    "'{doc}' names {} different reports ({}): give the file's path instead",
                    files.len(),
                    files.join(", ")
                ),
            });
        }
        found
            .into_iter()
            .map(|(_, address)| self.paragraph_at(&searcher, address))
            .collect()
    }

    /// Paragraph `para` of the document `doc` (as for [`Index::document`])
    /// with up to `context` paragraphs before and after it: what
    /// `pagsearch show` prints. An unknown document or paragraph is
    /// [`Error::NotFound`].
    pub fn paragraph_in_context(&self, doc: &str, para: &str, context: usize) -> Result<InContext> {
        let mut paragraphs = self.document(doc)?;
        let Some(at) = paragraphs.iter().position(|p| p.para == para) else {
            let label = |p: Option<&Paragraph>| p.map_or("?", |p| p.para.as_str()).to_string();
            return Err(Error::NotFound {
                message: format!(
                    "{doc} has no paragraph {para} (it has {} to {})",
                    label(paragraphs.first()),
                    label(paragraphs.last())
                ),
            });
        };
        let from = at.saturating_sub(context);
        let to = at
            .saturating_add(context)
            .saturating_add(1)
            .min(paragraphs.len());
        paragraphs.truncate(to);
        paragraphs.drain(..from);
        Ok(InContext {
            paragraphs,
            focus: at - from,
        })
    }

    /// Paragraph counts by area, speaker, agenda item and delegation over the
    /// whole index.
    pub fn facet_totals(&self) -> Result<FacetCounts> {
        guarded(&self.dir, || self.facet_totals_unguarded())
    }

    fn facet_totals_unguarded(&self) -> Result<FacetCounts> {
        let searcher = self.searcher()?;
        let counts = searcher
            .search(&*self.visible(Box::new(AllQuery)), &facet_collectors(self)?)
            .map_err(|e| index_error(&self.dir, e))?;
        facet_lists(self, &counts, self.taxonomy_ref()?)
    }

    /// Every area (with no paragraph too), speaker, agenda item, report and
    /// delegation of the index, with their paragraph counts.
    pub fn overview(&self) -> Result<Overview> {
        let totals = self.facet_totals()?;
        let taxonomy = self.taxonomy_ref()?;
        let people = self.people();
        let count_of = |list: &[(String, u64)], key: &str| {
            list.iter().find(|(k, _)| k == key).map_or(0, |(_, c)| *c)
        };
        Ok(Overview {
            area: taxonomy
                .areas()
                .iter()
                .map(|area| AreaCount {
                    key: area.key.clone(),
                    name: area.name.clone(),
                    paragraphs: count_of(&totals.area, &area.key),
                })
                .collect(),
            speaker: totals
                .speaker
                .into_iter()
                .map(|(name, paragraphs)| SpeakerCount {
                    organisation: people
                        .iter()
                        .find(|p| p.name == name)
                        .and_then(|p| p.organisation.clone()),
                    name,
                    paragraphs,
                })
                .collect(),
            agenda: totals
                .agenda
                .into_iter()
                .map(|(item, paragraphs)| AgendaCount { item, paragraphs })
                .collect(),
            doc: self.documents()?,
            delegation: totals
                .delegation
                .into_iter()
                .map(|(name, paragraphs)| DelegationCount { name, paragraphs })
                .collect(),
        })
    }

    /// `query` without the paragraphs of files set aside (copies and
    /// earlier versions of a report another file holds).
    fn visible(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        if self.summary.set_aside.is_empty() {
            return query;
        }
        let hidden = TermSetQuery::new(
            self.summary
                .set_aside
                .iter()
                .map(|aside| Term::from_field_text(self.fields.path, &aside.file)),
        );
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::MustNot, Box::new(hidden)),
        ]))
    }

    /// A searcher on the last commit; the reader is opened once per `Index`
    /// (and again after an update).
    fn searcher(&self) -> Result<Searcher> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.searcher());
        }
        let reader = open_reader(&self.index, &self.dir)?;
        Ok(self.reader.get_or_init(|| reader).searcher())
    }

    fn paragraph_at(&self, searcher: &Searcher, address: DocAddress) -> Result<Paragraph> {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| index_error(&self.dir, e))?;
        // Every paragraph is stored with its record: one that is missing or
        // does not read is damage to the store.
        let damaged = |detail: String| Error::DamagedIndex {
            dir: self.dir.clone(),
            detail,
        };
        let record = doc
            .get_first(self.fields.record)
            .and_then(|value| value.as_str())
            .ok_or_else(|| {
                damaged("the stored paragraphs (.store): a paragraph without its record".into())
            })?;
        schema::record_from_json(record).map_err(|e| {
            damaged(format!(
                "the stored paragraphs (.store): a record does not read: {e}"
            ))
        })
    }
}

/// The facet fields counted, in the order of [`facets::FieldCounts`].
const FACET_FIELDS: [&str; 4] = [
    "area_facet",
    "speaker_facet",
    "agenda_facet",
    "delegation_facet",
];

/// Facet counts by area, speaker, agenda item and delegation, and by
/// report.
type FacetCollectors = facets::MatchCounts;
type RawFacetCounts = (facets::FieldCounts, Vec<u64>);

/// Collectors of the paragraph counts by area, speaker, agenda item and
/// delegation.
fn facet_collectors(index: &Index) -> Result<FacetCollectors> {
    Ok(facets::MatchCounts::new(
        facets::FacetCounter::new(FACET_FIELDS.to_vec()),
        group::DocCounter::new(index)?,
    ))
}

/// The collected counts as lists: areas in `taxonomy` order, speakers and
/// delegations by count, agenda items by number.
fn facet_lists(index: &Index, counts: &RawFacetCounts, taxonomy: &Taxonomy) -> Result<FacetCounts> {
    let (fields, reports) = counts;
    let list = |field: usize| -> Vec<(String, u64)> {
        let mut list: Vec<(String, u64)> = fields
            .get(field)
            .map(|counts| {
                counts
                    .iter()
                    .map(|(name, count)| (name.clone(), *count))
                    .collect()
            })
            .unwrap_or_default();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| natural_cmp(&a.0, &b.0)));
        list
    };
    let mut agenda_counts = list(2);
    agenda_counts.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    let mut area_counts = list(0);
    let rank = |key: &str| taxonomy.areas().iter().position(|a| a.key == key);
    area_counts.sort_by_key(|(key, _)| rank(key));
    Ok(FacetCounts {
        area: area_counts,
        speaker: list(1),
        agenda: agenda_counts,
        delegation: list(3),
        doc: doc_counts(index.keys()?.0, reports),
    })
}

/// Reports by paragraph count over the matches, most first, then in
/// natural order; reports with none left out.
fn doc_counts(names: &[String], counts: &[u64]) -> Vec<(String, u64)> {
    let mut list: Vec<(String, u64)> = names
        .iter()
        .zip(counts)
        .filter(|(_, count)| **count > 0)
        .map(|(name, count)| (name.clone(), *count))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| natural_cmp(&a.0, &b.0)));
    list
}

/// Numbers before text, numbers by value ("2" < "10").
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    // Only a digit or a plus sign can begin a number: two names that begin
    // otherwise (report ids, "PAG.8/7") compare as text without being read
    // as numbers, which took most of the time of sorting 10,000 reports.
    let may_be_number = |s: &str| s.starts_with(|c: char| c.is_ascii_digit() || c == '+');
    if !may_be_number(a) && !may_be_number(b) {
        return a.cmp(b);
    }
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    }
}

/// A boolean query of `clauses`, or the one required clause itself: the same
/// matches and scores, one level less to run.
fn single_clause(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.len() == 1
        && clauses[0].0 == Occur::Must
        && let Some((_, query)) = clauses.pop()
    {
        return query;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A query made only of exclusions matches everything else.
fn with_positive_clause(query: Box<dyn Query>, node: &Node) -> Box<dyn Query> {
    if matches!(node, Node::Not { .. }) {
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::Must, query),
        ]))
    } else {
        query
    }
}

fn snippet_of(generator: &SnippetGenerator, text: &str, max_chars: usize) -> Snippet {
    let snippet = generator.snippet(text);
    if snippet.fragment().is_empty() {
        // Nothing to highlight (a filter-only query): the paragraph's start.
        let end = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(i, _)| text[..i].rfind(' ').unwrap_or(i));
        let mut excerpt = text[..end].to_string();
        if end < text.len() {
            excerpt.push('…');
        }
        return Snippet {
            text: excerpt,
            highlights: Vec::new(),
        };
    }
    Snippet {
        text: snippet.fragment().to_string(),
        highlights: snippet
            .highlighted()
            .iter()
            .map(|r| (r.start, r.end))
            .collect(),
    }
}

/// Word sequences searched in the text besides the words typed, each with
/// its weight. One sequence reached twice ("MIA" as the acronym of the words
/// typed and as their synonym; "funding" and "funds", which analyse alike)
/// is searched once with the weights added: the same score, one scan.
#[derive(Default)]
struct AlsoSearched(Vec<(Vec<String>, f32)>);

impl AlsoSearched {
    fn add(&mut self, tokens: Vec<String>, weight: f32) {
        match self.0.iter_mut().find(|(known, _)| *known == tokens) {
            Some((_, total)) => *total += weight,
            None => self.0.push((tokens, weight)),
        }
    }

    /// One weighted clause per sequence: a term, or a phrase.
    fn into_clauses(self, field: Field) -> impl Iterator<Item = (Occur, Box<dyn Query>)> {
        self.0.into_iter().filter_map(move |(tokens, weight)| {
            sequence_query(field, &tokens).map(|query| (Occur::Should, boost(query, weight)))
        })
    }
}

/// Builds tantivy queries from the syntax tree.
struct Compiler<'a> {
    index: &'a Index,
    searcher: &'a Searcher,
    taxonomy: &'a Taxonomy,
    query: &'a str,
    has_free_text: bool,
    expansions: Vec<(String, String)>,
    /// Score bonuses (the phrase of all the free words) for the best
    /// paragraphs, kept out of the query.
    bonuses: Vec<Box<dyn Query>>,
    /// The corpus's acronyms, each once.
    acronyms: &'a [Acronym],
    correct_spelling: bool,
    /// Free words searched as another: (as typed, the indexed term searched).
    corrections: Vec<(String, String)>,
}

impl Compiler<'_> {
    fn compile(&mut self, node: &Node) -> Result<Box<dyn Query>> {
        match node {
            Node::Word { .. } | Node::Phrase { .. } => self.free_text(&[node]),
            // A filter selects; the free words alone rank what it selects.
            Node::Field { .. } => Ok(Box::new(ConstScoreQuery::new(self.field(node)?, 0.0))),
            Node::Not { node: inner, .. } => {
                let excluded = self.compile_excluded(inner)?;
                Ok(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, excluded),
                ])))
            }
            Node::Seq(children) => {
                let free: Vec<&Node> = children
                    .iter()
                    .filter(|c| matches!(c, Node::Word { .. } | Node::Phrase { .. }))
                    .collect();
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                if !free.is_empty() {
                    clauses.push((Occur::Must, self.free_text(&free)?));
                }
                for child in children {
                    match child {
                        Node::Word { .. } | Node::Phrase { .. } => {}
                        Node::Not { node: inner, .. } => {
                            clauses.push((Occur::MustNot, self.compile_excluded(inner)?));
                        }
                        other => clauses.push((Occur::Must, self.compile(other)?)),
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Ok(single_clause(clauses))
            }
            Node::And(children) => {
                let mut clauses = Vec::new();
                for child in children {
                    match child {
                        Node::Not { node: inner, .. } => {
                            clauses.push((Occur::MustNot, self.compile_excluded(inner)?));
                        }
                        other => clauses.push((Occur::Must, self.compile(other)?)),
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery) as Box<dyn Query>));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(children) => {
                let mut clauses = Vec::new();
                for child in children {
                    clauses.push((Occur::Should, self.compile(child)?));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }

    /// What `-x` excludes: free words excluded must all be absent, so each
    /// is compiled on its own without ranking extras.
    fn compile_excluded(&mut self, node: &Node) -> Result<Box<dyn Query>> {
        let had_free_text = self.has_free_text;
        let bonuses = self.bonuses.len();
        let excluded = self.compile(node);
        self.has_free_text = had_free_text;
        self.bonuses.truncate(bonuses);
        Ok(Box::new(exclusion::Excluded(excluded?)))
    }

    /// Free words and phrases: at least one must match; each is searched in
    /// the text, the names of who speaks and the agenda title.
    fn free_text(&mut self, nodes: &[&Node]) -> Result<Box<dyn Query>> {
        self.has_free_text = true;
        let fields = &self.index.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut all_tokens: Vec<String> = Vec::new();
        // The free words outside quotes, analysed and as typed: synonyms
        // apply to them, never inside a phrase.
        let mut word_tokens: Vec<String> = Vec::new();
        let mut typed_words: Vec<&str> = Vec::new();
        let mut first_span = None;
        // Other ways of saying the free words (acronyms, joined words,
        // meeting references, synonyms), searched in the text.
        let mut also_searched = AlsoSearched::default();
        // A common word ("the", "of") beside others only counts in the
        // phrase of all the words: alone it would match nearly every
        // paragraph, for next to no score.
        // Question words count as common too: "where can the partnership
        // get money" is about money.
        let common: Vec<bool> = nodes
            .iter()
            .map(|node| {
                matches!(node, Node::Word { text, .. }
                    if checks::is_common(text) || checks::is_question_word(text))
            })
            .collect();
        let skip_common = common.contains(&false);
        for (node, common) in nodes.iter().zip(common) {
            let (text, span, phrase) = match node {
                Node::Word { text, span } => (text, span, false),
                Node::Phrase { text, span } => (text, span, true),
                _ => continue,
            };
            first_span.get_or_insert(*span);
            let (tokens, split) = self.searched_tokens(text, phrase);
            all_tokens.extend(tokens.iter().cloned());
            if !phrase {
                word_tokens.extend(tokens.iter().cloned());
                typed_words.push(text.as_str());
            }
            if skip_common && common {
                continue;
            }
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            // A hyphenated word ("chlor-alkali") is a phrase of its parts, whose
            // score adds up every part: weigh it as one word.
            let word_weight = if phrase && !split {
                1.0
            } else {
                1.0 / tokens.len().max(1) as f32
            };
            if let Some(query) = sequence_query(fields.text, &tokens) {
                alternatives.push((Occur::Should, boost(query, word_weight)));
            }
            if let Some(query) = all_terms(fields.agenda_title, &tokens) {
                alternatives.push((Occur::Should, boost(query, AGENDA_BOOST)));
            }
            let names = self.analyze(NAMES, text);
            if let Some(query) = sequence_query(fields.speaking_names, &names) {
                alternatives.push((Occur::Should, boost(query, SPEAKING_BOOST)));
            }
            // "MIA" also finds "Minamata Initial Assessments".
            if !phrase && let Some(long) = self.acronym_long_form(text) {
                let long_tokens = self.analyze(ENGLISH, &long);
                if !long_tokens.is_empty() {
                    also_searched.add(long_tokens, EXPANSION_BOOST);
                    self.expansions.push((text.clone(), long));
                }
            }
            // One flat union of every word's alternatives matches and scores
            // as nested unions would (sums of sums) and runs faster.
            clauses.extend(alternatives);
        }
        self.add_joined_words(nodes, &mut also_searched);
        // "Minamata Initial Assessment" also finds "MIA".
        let acronyms = self.acronyms;
        for Acronym { short, long } in acronyms {
            let long_tokens = self.analyze(ENGLISH, long);
            let contained = !long_tokens.is_empty()
                && all_tokens
                    .windows(long_tokens.len())
                    .any(|w| w == long_tokens.as_slice());
            if contained {
                let short_tokens = self.analyze(ENGLISH, short);
                if !short_tokens.is_empty() {
                    also_searched.add(short_tokens, EXPANSION_BOOST);
                    self.expansions.push((long.clone(), short.clone()));
                }
            }
        }
        self.add_meeting_references(nodes, &mut also_searched);
        // "sulphur" also finds "sulfur": the taxonomy's synonym groups.
        self.add_synonyms(&word_tokens, &typed_words, &mut also_searched);
        clauses.extend(also_searched.into_clauses(fields.text));
        // All the words together, in order, rank higher.
        if nodes.len() > 1 && all_tokens.len() > 1 {
            let mut phrase = PhraseQuery::new(
                all_tokens
                    .iter()
                    .map(|t| Term::from_field_text(fields.text, t))
                    .collect(),
            );
            phrase.set_slop(2);
            // Added to the best paragraphs by the words alone (see
            // `ranking::rescore`): a paragraph with the phrase has all the
            // words, so it matches without it.
            self.bonuses.push(boost(Box::new(phrase), PHRASE_BOOST));
        }
        if clauses.is_empty() {
            let span = first_span.unwrap_or_default();
            let error = SyntaxError::new(self.query, span, "nothing searchable in these words");
            return Err(query_error(self.query, &error));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The tokens to search for the free word `text`: as analysed; or, when
    /// the text holds it nowhere, its two parts ("sphygmomanometers" for
    /// "sphygmo-manometers"), or the nearest indexed word (a correction).
    /// The flag tells a word split in two, weighed as one word.
    fn searched_tokens(&mut self, text: &str, phrase: bool) -> (Vec<String>, bool) {
        let fields = &self.index.fields;
        let tokens = self.analyze(ENGLISH, text);
        // One term lookup decides for most words: the index holds them.
        let unknown = !phrase
            && matches!(tokens.as_slice(), [token] if self.doc_freq(fields.text, token) == 0);
        if !unknown {
            return (tokens, false);
        }
        if let Some(parts) = self.split_compound(&tokens) {
            return (parts, true);
        }
        if let Some(term) = self.correction(text, &tokens) {
            self.corrections.push((text.to_string(), term.clone()));
            return (vec![term], false);
        }
        (tokens, false)
    }

    /// Two free words typed apart also find the word the index holds whole.
    fn add_joined_words(&mut self, nodes: &[&Node], also_searched: &mut AlsoSearched) {
        let fields = &self.index.fields;
        // "video conference" also finds "videoconference", "e mail" "email":
        // two words typed apart that the index holds as one.
        for pair in nodes.windows(2) {
            let [
                Node::Word { text: first, .. },
                Node::Word { text: second, .. },
            ] = pair
            else {
                continue;
            };
            let joined = format!("{first}{second}");
            let tokens = self.analyze(ENGLISH, &joined);
            if let [token] = tokens.as_slice()
                && self.doc_freq(fields.text, token) > 0
            {
                also_searched.add(vec![token.clone()], 1.0);
                self.expansions
                    .push((format!("{first} {second}"), joined.to_lowercase()));
            }
        }
    }

    /// Meetings named by body and number also find the forms reports write.
    fn add_meeting_references(&mut self, nodes: &[&Node], also_searched: &mut AlsoSearched) {
        // "PAG8", "PAG-8", "COP 1": a meeting of a body by its number also
        // finds the forms reports write ("PAG.8", "the eighth meeting").
        let mut references: Vec<(&str, String, u32)> = Vec::new();
        for (k, node) in nodes.iter().enumerate() {
            let Node::Word { text, .. } = node else {
                continue;
            };
            if let Some((body, number)) = meeting_reference(text) {
                references.push((text.as_str(), body, number));
            } else if let Some(Node::Word { text: next, .. }) = nodes.get(k + 1)
                && let Some((body, number)) = meeting_reference(&format!("{text}{next}"))
                && next.bytes().all(|b| b.is_ascii_digit())
            {
                references.push((text.as_str(), body, number));
            }
        }
        for (typed, body, number) in references {
            let written = [format!("{body}{number}"), format!("{body} {number}")];
            let typed_tokens = self.analyze(ENGLISH, typed);
            for form in &written {
                let tokens = self.analyze(ENGLISH, form);
                if tokens != typed_tokens && !tokens.is_empty() {
                    let weight = 1.0 / tokens.len() as f32;
                    also_searched.add(tokens, weight);
                }
            }
            if let Some(ordinal) = crate::text::ORDINALS.get(number as usize - 1) {
                let meeting = format!("{ordinal} meeting");
                let tokens = self.analyze(ENGLISH, &meeting);
                if !tokens.is_empty() {
                    // A phrase scores the sum of its words: weigh it as one.
                    let weight = SYNONYM_BOOST / tokens.len() as f32;
                    also_searched.add(tokens, weight);
                    self.expansions.push((typed.to_string(), meeting));
                }
            }
        }
    }

    /// For each synonym group one of whose entries the query's free words
    /// hold (in order), the group's other entries as weaker alternatives.
    /// An entry in capitals ("WHO", "Hg") matches only as typed: "who" is
    /// a question word.
    fn add_synonyms(
        &mut self,
        word_tokens: &[String],
        typed_words: &[&str],
        also_searched: &mut AlsoSearched,
    ) {
        let fields = &self.index.fields;
        let holds = |tokens: &[String]| word_tokens.windows(tokens.len()).any(|w| w == tokens);
        for group in self.index.synonym_groups() {
            let found = group.iter().find(|entry| {
                holds(&entry.tokens)
                    && (!entry.capitals || typed_words.contains(&entry.text.as_str()))
            });
            let Some(matched) = found else {
                continue;
            };
            // Only toward a more common way of saying it: a word the reports
            // use often ("financing") already finds what it should, and
            // widening it costs time for little.
            let frequency = |entry: &SynonymEntry| {
                entry
                    .tokens
                    .iter()
                    .map(|token| self.doc_freq(fields.text, token))
                    .min()
                    .unwrap_or(0)
            };
            let typed_frequency = frequency(matched);
            let widens = group
                .iter()
                .any(|other| other.tokens != matched.tokens && frequency(other) > typed_frequency);
            if !widens {
                continue;
            }
            for other in group {
                if other.tokens == matched.tokens || holds(&other.tokens) {
                    continue;
                }
                // A phrase scores the sum of its words: weigh it as one.
                let weight = SYNONYM_BOOST / other.tokens.len() as f32;
                also_searched.add(other.tokens.clone(), weight);
                self.expansions
                    .push((matched.text.clone(), other.text.clone()));
            }
        }
    }

    /// Whether the analysed word `token` is an entry of a synonym group.
    fn has_synonyms(&self, token: &str) -> bool {
        self.index
            .synonym_groups()
            .iter()
            .flatten()
            .any(|entry| entry.tokens == [token])
    }

    /// The two indexed parts of an unknown one-token word (the text holds
    /// it nowhere), as a phrase:
    /// "sphygmomanometers" → "sphygmo manometers" when the paragraphs hold
    /// that phrase; the split the paragraphs hold most often wins.
    fn split_compound(&self, tokens: &[String]) -> Option<Vec<String>> {
        let fields = &self.index.fields;
        let [token] = tokens else { return None };
        if token.len() < 6 || !token.is_ascii() {
            return None;
        }
        let mut best: Option<(u64, Vec<String>)> = None;
        for at in 2..=token.len() - 2 {
            let (head, tail) = token.split_at(at);
            let parts: Vec<String> = [head, tail]
                .iter()
                .flat_map(|part| self.analyze(ENGLISH, part))
                .collect();
            if parts.len() != 2 || parts.iter().any(|p| self.doc_freq(fields.text, p) == 0) {
                continue;
            }
            let Some(phrase) = sequence_query(fields.text, &parts) else {
                continue;
            };
            let found = self.searcher.search(&*phrase, &Count).unwrap_or(0) as u64;
            if found > 0 && best.as_ref().is_none_or(|(most, _)| found > *most) {
                best = Some((found, parts));
            }
        }
        best.map(|(_, parts)| parts)
    }

    /// The indexed term to search instead of the free word `text` (analysed
    /// into `tokens`, which the text holds nowhere) when the names of who
    /// speaks and the agenda titles do not hold it either, and it is no
    /// acronym or synonym.
    fn correction(&self, text: &str, tokens: &[String]) -> Option<String> {
        let fields = &self.index.fields;
        let [token] = tokens else { return None };
        if !self.correct_spelling
            || self.has_synonyms(token)
            || self.doc_freq(fields.agenda_title, token) > 0
            || self.acronym_long_form(text).is_some()
            || self
                .analyze(NAMES, text)
                .iter()
                .any(|name| self.doc_freq(fields.speaking_names, name) > 0)
        {
            return None;
        }
        let mut candidates = spelling::candidates(self.searcher, fields.text, token);
        for neighbour in spelling::written_neighbours(self.searcher, fields.text, text, |word| {
            self.analyze(ENGLISH, word)
        }) {
            if !candidates.iter().any(|c| c.term == neighbour.term) {
                candidates.push(neighbour);
            }
        }
        // How the paragraphs write a term: from the first one holding it.
        let written = |term: &str| {
            let query = TermQuery::new(
                Term::from_field_text(fields.text, term),
                IndexRecordOption::Basic,
            );
            let first = self
                .searcher
                .search(&query, &TopDocs::with_limit(1).order_by_score())
                .ok()?;
            let (_, address) = first.first()?;
            let paragraph = self.index.paragraph_at(self.searcher, *address).ok()?;
            let analyze = |word: &str| self.analyze(ENGLISH, word);
            Some(spelling::surface_form(
                term,
                [paragraph.text.as_str()],
                analyze,
            ))
        };
        spelling::best(text, &candidates, written).map(|best| best.term.clone())
    }

    /// The long form of `word` if it is a defined acronym ("MIA", "MIAs").
    fn acronym_long_form(&self, word: &str) -> Option<String> {
        let singular = word
            .strip_suffix('s')
            .filter(|s| s.len() >= 2)
            .unwrap_or(word);
        self.acronyms
            .iter()
            .find(|a| a.short.eq_ignore_ascii_case(word) || a.short.eq_ignore_ascii_case(singular))
            .map(|a| a.long.clone())
    }

    fn analyze(&self, analyzer: &str, text: &str) -> Vec<String> {
        self.index.analyze(analyzer, text)
    }

    /// What a field filter selects (unscored: the caller makes it a filter).
    fn field(&mut self, node: &Node) -> Result<Box<dyn Query>> {
        let Node::Field {
            name,
            value,
            value_span,
            ..
        } = node
        else {
            return Ok(Box::new(AllQuery));
        };
        let fields = &self.index.fields;
        let value = value.trim();
        let error_at = |message: String| {
            query_error(
                self.query,
                &SyntaxError::new(self.query, *value_span, message),
            )
        };
        match syntax::canonical_field(name) {
            "area" => {
                let area = self.taxonomy.lookup(value).ok_or_else(|| {
                    let known: Vec<String> = self
                        .taxonomy
                        .areas()
                        .iter()
                        .map(|a| a.key.clone())
                        .collect();
                    error_at(unknown_value_message("area", value, &known))
                })?;
                Ok(select_term(fields.area, &area.key))
            }
            "speaker" => self
                .keyword_filter(fields.speaker_key, "speaker", value, || {
                    self.index.people().iter().map(|p| p.name.clone()).collect()
                })
                .map_err(error_at),
            "delegation" => self
                .keyword_filter(fields.delegation_key, "delegation", value, || {
                    self.facet_values(fields.delegation_facet)
                })
                .map_err(error_at),
            "group" => self
                .keyword_filter(fields.group_key, "group", value, || {
                    self.facet_values(fields.group_facet)
                })
                .map_err(error_at),
            "doc" => self
                .keyword_filter(fields.doc_key, "doc", value, || {
                    self.index
                        .keys()
                        .map(|(docs, _)| docs.to_vec())
                        .unwrap_or_default()
                })
                .map_err(error_at),
            "agenda" => {
                let number = value.trim_end_matches('.');
                if number.chars().all(|c| c.is_ascii_digit()) {
                    if self.doc_freq(fields.agenda_num, number) == 0 {
                        let known = self.terms(fields.agenda_num);
                        return Err(error_at(unknown_value_message(
                            "agenda item",
                            value,
                            &known,
                        )));
                    }
                    return Ok(select_term(fields.agenda_num, number));
                }
                self.all_words(fields.agenda_title, ENGLISH, value)
                    .ok_or_else(|| error_at(format!("nothing searchable in agenda:{value}")))
            }
            "meeting" => {
                if value.contains("..") {
                    let known: Vec<u64> = self
                        .terms(fields.meeting_num)
                        .iter()
                        .filter_map(|term| term.parse().ok())
                        .collect();
                    let inside = self.range(node, "meeting", &known)?;
                    let clauses = inside
                        .iter()
                        .map(|n| {
                            (
                                Occur::Should,
                                select_term(fields.meeting_num, &n.to_string()),
                            )
                        })
                        .collect();
                    return Ok(Box::new(BooleanQuery::new(clauses)));
                }
                if value.chars().all(|c| c.is_ascii_digit()) {
                    if self.doc_freq(fields.meeting_num, value) == 0 {
                        let known = self.terms(fields.meeting_num);
                        return Err(error_at(unknown_value_message("meeting", value, &known)));
                    }
                    return Ok(select_term(fields.meeting_num, value));
                }
                self.all_words(fields.meeting_name, ENGLISH, value)
                    .ok_or_else(|| error_at(format!("nothing searchable in meeting:{value}")))
            }
            "year" => {
                if value.contains("..") {
                    let inside = self.range(node, "year", &self.index.summary.years)?;
                    let clauses = inside
                        .iter()
                        .map(|&year| (Occur::Should, year_term(fields.year, year)))
                        .collect();
                    return Ok(Box::new(BooleanQuery::new(clauses)));
                }
                let year: u64 = value.parse().map_err(|_| {
                    error_at(format!("year:{value} is not a year (e.g. year:2017)"))
                })?;
                let known: Vec<String> = self
                    .index
                    .summary
                    .years
                    .iter()
                    .map(u64::to_string)
                    .collect();
                if !known.contains(&year.to_string()) {
                    return Err(error_at(unknown_value_message("year", value, &known)));
                }
                Ok(year_term(fields.year, year))
            }
            "org" => {
                let tokens = self.analyze(NAMES, value);
                let query = sequence_query(fields.org, &tokens)
                    .ok_or_else(|| error_at(format!("nothing searchable in org:{value}")))?;
                let count = self.searcher.search(&*query, &Count).unwrap_or(0);
                if count == 0 {
                    let known: Vec<String> = self
                        .index
                        .people()
                        .iter()
                        .filter_map(|p| p.organisation.clone())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    return Err(error_at(unknown_value_message(
                        "organisation",
                        value,
                        &known,
                    )));
                }
                Ok(query)
            }
            other => Err(error_at(format!("unknown field '{other}'"))),
        }
    }

    /// The `known` values (years, meeting numbers) inside the inclusive
    /// range a `year:` or `meeting:` filter `node` holds: `a..b`, `a..` or
    /// `..b`. An error points at the range, or at the end that is no number:
    /// no end at all, an end after the other, or no known value inside.
    fn range(&self, node: &Node, what: &str, known: &[u64]) -> Result<Vec<u64>> {
        let Node::Field {
            value, value_span, ..
        } = node
        else {
            return Ok(Vec::new());
        };
        let error_at = |span: Span, message: String| {
            query_error(self.query, &SyntaxError::new(self.query, span, message))
        };
        let whole = |message: String| error_at(*value_span, message);
        // Where `part` (a slice of `value`) is in the query.
        let span_of = |part: &str| {
            let offset = (part.as_ptr() as usize).saturating_sub(value.as_ptr() as usize);
            let start = value_span.start + offset;
            Span::new(start, start + part.len())
        };
        let (a, b) = if what == "year" {
            ("2017", "2020")
        } else {
            ("8", "11")
        };
        let example = format!("{what}:{a}..{b}, {what}:{a}.. or {what}:..{b}");
        let trimmed = value.trim();
        let Some((low, high)) = trimmed.split_once("..") else {
            return Ok(Vec::new());
        };
        if high.contains("..") {
            return Err(whole(format!(
                "{what}:{trimmed} has more than one '..' (a range is {example})"
            )));
        }
        let (low, high) = (low.trim(), high.trim());
        if low.is_empty() && high.is_empty() {
            return Err(whole(format!(
                "{what}:{trimmed} has no end (a range is {example})"
            )));
        }
        // An end: digits (a number too big for any year or meeting is the
        // largest number), or none for an open end.
        let end = |text: &str, open: u64| -> Result<u64> {
            if text.is_empty() {
                return Ok(open);
            }
            if !text.chars().all(|c| c.is_ascii_digit()) {
                let noun = if what == "year" {
                    "a year"
                } else {
                    "a meeting number"
                };
                return Err(error_at(
                    span_of(text),
                    format!("'{text}' in {what}:{trimmed} is not {noun} (a range is {example})"),
                ));
            }
            Ok(text.parse().unwrap_or(u64::MAX))
        };
        let (first, last) = (end(low, 0)?, end(high, u64::MAX)?);
        if first > last {
            return Err(whole(format!(
                "empty range {what}:{trimmed} ({low} is after {high}; write {what}:{high}..{low})"
            )));
        }
        let inside: Vec<u64> = known
            .iter()
            .copied()
            .filter(|n| (first..=last).contains(n))
            .collect();
        if inside.is_empty() {
            let mut listed: Vec<String> = known.iter().map(u64::to_string).collect();
            listed.sort_by(|a, b| natural_cmp(a, b));
            listed.dedup();
            let plural = if what == "year" { "years" } else { "meetings" };
            return Err(whole(if listed.is_empty() {
                format!("no {what} in {what}:{trimmed} (the index has no {plural})")
            } else {
                format!(
                    "no {what} in {what}:{trimmed} (known {plural}: {})",
                    listed.join(", ")
                )
            }));
        }
        Ok(inside)
    }

    /// The paragraphs whose keyword `field` holds `value` folded: a name
    /// whole or one of its words (`speaker:`, `delegation:`, `group:`), a
    /// document id (`doc:`). When there are none, why: "unknown {what}
    /// '{value}'" with the closest of the `known` values.
    fn keyword_filter(
        &self,
        field: Field,
        what: &str,
        value: &str,
        known: impl FnOnce() -> Vec<String>,
    ) -> std::result::Result<Box<dyn Query>, String> {
        let key = schema::keyword(value);
        if self.doc_freq(field, &key) == 0 {
            return Err(unknown_value_message(what, value, &known()));
        }
        Ok(select_term(field, &key))
    }

    /// Every word of `value` in `field`, as a filter selects it.
    fn all_words(&self, field: Field, analyzer: &str, value: &str) -> Option<Box<dyn Query>> {
        let tokens = self.analyze(analyzer, value);
        if tokens.is_empty() {
            return None;
        }
        let clauses = tokens
            .iter()
            .map(|t| (Occur::Must, select_term(field, t)))
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn doc_freq(&self, field: Field, value: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, value))
            .unwrap_or(0)
    }

    /// The names under a facet `field` (`/delegation/Canada` → "Canada"), as
    /// indexed, sorted.
    fn facet_values(&self, field: Field) -> Vec<String> {
        self.terms(field)
            .into_iter()
            .filter_map(|encoded| {
                let facet = Facet::from_encoded(encoded.into_bytes()).ok()?;
                match facet.to_path().as_slice() {
                    [_, name] => Some((*name).to_string()),
                    _ => None,
                }
            })
            .collect()
    }

    /// Every term of a raw `field`, sorted.
    fn terms(&self, field: Field) -> Vec<String> {
        let mut terms = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                terms.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        let mut terms: Vec<String> = terms.into_iter().collect();
        terms.sort_by(|a, b| natural_cmp(a, b));
        terms
    }
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

/// The paragraphs of a meeting `year`, as a filter selects them.
fn year_term(field: Field, year: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, year),
        IndexRecordOption::Basic,
    ))
}

/// The paragraphs holding a term, without frequencies: what a filter needs.
fn select_term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Every token in `field`, in any order: a term or an intersection.
fn all_terms(field: Field, tokens: &[String]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [single] => Some(term(field, single)),
        many => Some(Box::new(BooleanQuery::new(
            many.iter().map(|t| (Occur::Must, term(field, t))).collect(),
        ))),
    }
}

fn boost(query: Box<dyn Query>, factor: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, factor))
}

/// One token: a term; several: a phrase.
fn sequence_query(field: Field, tokens: &[String]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [single] => Some(term(field, single)),
        many => Some(Box::new(PhraseQuery::new(
            many.iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))),
    }
}

/// A meeting of a body by its number: "PAG8", "PAG-8", "COP.1", "OEWG2" →
/// ("pag", 8). The body is three to six capitals ("CO2" is no meeting);
/// the number 1 to 20.
fn meeting_reference(word: &str) -> Option<(String, u32)> {
    let letters = word.chars().take_while(char::is_ascii_uppercase).count();
    if !(3..=6).contains(&letters) {
        return None;
    }
    let rest = word[letters..].trim_start_matches(['-', '.']);
    let number: u32 = rest.parse().ok().filter(|n| (1..=20).contains(n))?;
    Some((word[..letters].to_ascii_lowercase(), number))
}

/// "unknown speaker 'Kean' (did you mean 'Susan Keane'?)".
fn unknown_value_message(what: &str, value: &str, known: &[String]) -> String {
    let suggestions = crate::text::closest(value, known, 3);
    if suggestions.is_empty() {
        format!("unknown {what} '{value}'")
    } else {
        let list: Vec<String> = suggestions.iter().map(|s| format!("'{s}'")).collect();
        format!(
            "unknown {what} '{value}' (did you mean {}?)",
            list.join(", ")
        )
    }
}

/// Runs `work`, a read of the index. tantivy trusts the bytes it reads
/// (checking them is `pagsearch check`'s work, not each search's): damaged
/// data can make it panic, which is said as [`Error::DamagedIndex`], with
/// the engine's message, instead of ending the caller.
fn guarded<T>(dir: &std::path::Path, work: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_string());
            Err(Error::DamagedIndex {
                dir: dir.to_path_buf(),
                detail: format!(
                    "reading it failed inside the search engine: {message}; `pagsearch check --index {}` names the damaged file",
                    dir.display()
                ),
            })
        }
    }
}

fn query_error(query: &str, error: &SyntaxError) -> Error {
    Error::Query {
        message: error.to_string(),
        start: error.span.start,
        end: error.span.end,
        pointer: error.render(query),
    }
}

#[cfg(test)]
mod tests;
