//! Grouping the matches: by report, meeting, speaker, area or agenda item,
//! the best paragraphs of each group and the group's count, in one pass.
//!
//! A match's groups come from the index's columns, never from its stored
//! record: for reports and meetings, the file's sequence number (the
//! `order` fast field) looked up in a table of the summary; for speakers,
//! areas and agenda items, the ordinals of the paragraph's facets. Each
//! segment keeps, per group ordinal, a count and the best few paragraphs
//! (more than one only when a phrase bonus may still reorder them); the
//! ordinals are named once per segment, at harvest, and merged by name.

use std::collections::BinaryHeap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::query::{ConstScoreQuery, Query};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::ranking::{self, LastFirst, Ranked, RankedDoc, file_key};
use super::{FacetCollectors, RESCORE_WINDOW, RawFacetCounts, SearchOptions};
use crate::error::{Error, Result};
use crate::index::schema::order_column;
use crate::index::{Index, index_error};

/// What to group the matches by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// The report (its document id).
    Doc,
    /// The meeting: the document id's meeting part ("PAG.8" of "PAG.8/7"),
    /// else the document id; a meeting's reports form one group.
    Meeting,
    /// Each speaker of a paragraph (none: no group).
    Speaker,
    /// Each partnership area of a paragraph (none: no group).
    Area,
    /// The agenda item number, across reports (none: no group).
    Agenda,
}

impl GroupBy {
    /// As the command line and the JSON name it: "doc", "speaker" …
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Doc => "doc",
            GroupBy::Meeting => "meeting",
            GroupBy::Speaker => "speaker",
            GroupBy::Area => "area",
            GroupBy::Agenda => "agenda",
        }
    }

    /// The facet field of the groups, for those read from facets.
    pub(crate) fn facet_field(self) -> Option<&'static str> {
        match self {
            GroupBy::Speaker => Some("speaker_facet"),
            GroupBy::Area => Some("area_facet"),
            GroupBy::Agenda => Some("agenda_facet"),
            GroupBy::Doc | GroupBy::Meeting => None,
        }
    }
}

/// The order of the hits (or of the groups).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Best score first (document order for a query of filters only).
    #[default]
    Relevance,
    /// Latest meeting date first, then as [`Sort::Relevance`]; undated
    /// reports last.
    Newest,
    /// Earliest meeting date first, then as [`Sort::Relevance`]; undated
    /// reports last.
    Oldest,
}

impl Sort {
    /// The file key that ranks a `yyyymmdd` date (0: none) first: higher
    /// first, an undated report lowest in both directions.
    pub(crate) fn date_key(self, date: u32) -> u32 {
        match self {
            Sort::Relevance => 0,
            Sort::Newest => date,
            Sort::Oldest if date == 0 => 0,
            Sort::Oldest => u32::MAX - date,
        }
    }
}

/// A group of matching paragraphs, as a hit shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// What the matches are grouped by.
    pub by: GroupBy,
    /// The group: a document id, meeting, speaker name, area key or agenda
    /// item number.
    pub key: String,
    /// Matching paragraphs in the group.
    pub count: u64,
}

/// How many of a group's best paragraphs by the words may gain the bonus of
/// the phrase of all the words (ungrouped, the best 200 of all may): ten
/// cost a grouped search a tenth more than one, 200 four times as much.
const GROUP_RESCORE_WINDOW: usize = 10;

/// What a sorted or grouped pass found.
pub(crate) struct Found {
    pub total: usize,
    /// The hits shown: score (none in document order) and address.
    pub scored: Vec<(Option<f32>, DocAddress)>,
    pub facets: Option<RawFacetCounts>,
    /// The group of each hit, when grouped.
    pub groups: Vec<Group>,
    pub group_total: usize,
}

impl Index {
    /// Sorts or groups the matches of `query` (see [`SearchOptions`]):
    /// counts them, counts the facets if asked, and finds the hits to show.
    pub(crate) fn arranged(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        bonuses: &[Box<dyn Query>],
        document_order: bool,
        options: &SearchOptions,
        facets: Option<FacetCollectors>,
    ) -> Result<Found> {
        // A query of filters only is not ranked: every match scores alike,
        // so that ties keep document order.
        let unscored;
        let query = if document_order {
            unscored = ConstScoreQuery::new(query.box_clone(), 0.0);
            &unscored as &dyn Query
        } else {
            query
        };
        let failed = |e: tantivy::TantivyError| index_error(&self.dir, e);
        let dates = match options.sort {
            Sort::Relevance => None,
            sort => Some(
                self.file_keys()?
                    .iter()
                    .map(|keys| sort.date_key(keys.date()))
                    .collect::<Arc<[u32]>>(),
            ),
        };
        let score = |doc: &RankedDoc| (!document_order).then_some(doc.score);
        let Some(by) = options.group_by else {
            // Sorted: the best by date, then score, then document order.
            let dates = dates.unwrap_or_else(|| Arc::from([]));
            let cap = |limit: usize| limit.min(self.paragraph_count()).max(1);
            let (total, limit, mut found, facets) = match options.limit {
                // Every match: count them first, to keep them in one allocation.
                None if document_order => {
                    let (total, facets) =
                        searcher.search(query, &(Count, facets)).map_err(failed)?;
                    let ranked = Ranked::with_limit(cap(total)).first_by(dates);
                    let found = searcher.search(query, &ranked).map_err(failed)?.best;
                    (total, total, found, facets)
                }
                limit => {
                    let limit = limit.unwrap_or(10);
                    let window = if bonuses.is_empty() {
                        limit
                    } else {
                        limit.max(RESCORE_WINDOW)
                    };
                    let ranked = Ranked::with_limit(cap(window)).first_by(dates);
                    let (ranking, facets) =
                        searcher.search(query, &(ranked, facets)).map_err(failed)?;
                    (ranking.total, limit, ranking.best, facets)
                }
            };
            ranking::rescore(searcher, bonuses, &mut found, limit).map_err(failed)?;
            return Ok(Found {
                total,
                scored: found.iter().map(|doc| (score(doc), doc.address)).collect(),
                facets,
                groups: Vec::new(),
                group_total: 0,
            });
        };

        let source = match by.facet_field() {
            Some(field) => Source::Facets(field),
            None => {
                let by_seq = self.file_keys()?;
                let doc = by == GroupBy::Doc;
                let names = if doc {
                    self.keys()?.0
                } else {
                    self.summary.meetings.as_slice()
                };
                Source::Files {
                    by_seq: by_seq
                        .iter()
                        .map(|keys| if doc { keys.doc() } else { keys.meeting() })
                        .collect(),
                    names: names.into(),
                }
            }
        };
        // One paragraph a group, or the few a phrase bonus may reorder.
        let window = if bonuses.is_empty() {
            1
        } else {
            GROUP_RESCORE_WINDOW
        };
        let (total, collected, facets) = searcher
            .search(query, &(Count, Grouped::new(source, window), facets))
            .map_err(failed)?;
        let mut candidates: Vec<RankedDoc> = collected
            .iter()
            .flat_map(|group| group.best.iter().copied())
            .collect();
        ranking::add_bonuses(searcher, bonuses, &mut candidates).map_err(failed)?;
        let mut rest = candidates.as_slice();
        let mut ranked: Vec<(RankedDoc, Collected)> = Vec::with_capacity(collected.len());
        for group in collected {
            let (mine, others) = rest.split_at(group.best.len());
            rest = others;
            let Some(mut best) = mine.iter().copied().max_by(|a, b| a.rank_cmp(b)) else {
                continue;
            };
            // Groups in the order of their best hits' dates.
            if let Some(dates) = &dates {
                best.first = file_key(dates, best.order);
            }
            ranked.push((best, group));
        }
        ranked.sort_unstable_by(|a, b| b.0.rank_cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
        let group_total = ranked.len();
        let limit = options
            .limit
            .unwrap_or(if document_order { usize::MAX } else { 10 });
        ranked.truncate(limit);
        Ok(Found {
            total,
            scored: ranked
                .iter()
                .map(|(best, _)| (score(best), best.address))
                .collect(),
            facets,
            groups: ranked
                .into_iter()
                .map(|(_, group)| Group {
                    by,
                    key: group.key,
                    count: group.count,
                })
                .collect(),
            group_total,
        })
    }

    /// Each file's keys by sequence number, refused for an index written
    /// before they were kept.
    fn file_keys(&self) -> Result<&[crate::index::manifest::SeqKeys]> {
        let by_seq = self.keys()?.1;
        if by_seq.is_empty() && self.summary.paragraphs > 0 {
            return Err(Error::IncompatibleIndex {
                dir: self.dir.clone(),
                reason:
                    "it was written before reports' dates and meetings were kept, which sorting \
                         and grouping by report or meeting need; run `pagsearch index --rebuild`"
                        .to_string(),
            });
        }
        Ok(by_seq)
    }
}

/// Where a match's groups come from.
#[derive(Clone)]
pub(crate) enum Source {
    /// One group per file key: `by_seq[seq]` is the place of the file's
    /// group in `names`.
    Files {
        by_seq: Arc<[u32]>,
        names: Arc<[String]>,
    },
    /// One group per facet of the paragraph in this facet field.
    Facets(&'static str),
}

/// Collects, per group, its count and its `window` best paragraphs (highest
/// score, then earliest).
pub(crate) struct Grouped {
    source: Source,
    window: usize,
}

impl Grouped {
    pub(crate) fn new(source: Source, window: usize) -> Grouped {
        Grouped {
            source,
            window: window.max(1),
        }
    }
}

/// A group as collected.
#[derive(Debug, Clone)]
pub(crate) struct Collected {
    pub key: String,
    pub count: u64,
    /// Its best paragraphs, best first.
    pub best: Vec<RankedDoc>,
}

impl Collector for Grouped {
    type Fruit = Vec<Collected>;
    type Child = GroupedSegment;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupedSegment> {
        let order = order_column(reader)?;
        let keys = match &self.source {
            Source::Files { by_seq, names } => SegmentKeys::Files {
                by_seq: Arc::clone(by_seq),
                names: Arc::clone(names),
            },
            Source::Facets(field) => SegmentKeys::Facets(reader.facet_reader(field)?),
        };
        Ok(GroupedSegment {
            segment_ord,
            order,
            keys,
            window: self.window,
            slots: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Collected>>) -> tantivy::Result<Vec<Collected>> {
        let mut merged: HashMap<String, Collected> = HashMap::new();
        for group in segments.into_iter().flatten() {
            match merged.get_mut(&group.key) {
                Some(known) => {
                    known.count += group.count;
                    known.best.extend(group.best);
                }
                None => {
                    merged.insert(group.key.clone(), group);
                }
            }
        }
        Ok(merged
            .into_values()
            .map(|mut group| {
                group.best.sort_unstable_by(|a, b| b.rank_cmp(a));
                group.best.truncate(self.window);
                group
            })
            .collect())
    }
}

enum SegmentKeys {
    Files {
        by_seq: Arc<[u32]>,
        names: Arc<[String]>,
    },
    Facets(FacetReader),
}

/// One group of one segment.
struct Slot {
    count: u64,
    /// The last paragraph counted: a facet listed twice counts once.
    last: Option<DocId>,
    kept: BinaryHeap<LastFirst>,
}

impl Slot {
    /// Counts paragraph `doc` of `segment_ord` (once) and keeps it if it is
    /// among the `window` best; its `order` is read only then.
    fn offer(
        &mut self,
        (segment_ord, doc, score): (u32, DocId, Score),
        order: &dyn ColumnValues<u64>,
        window: usize,
    ) {
        if self.last == Some(doc) {
            return;
        }
        self.last = Some(doc);
        self.count += 1;
        let full = self.kept.len() >= window;
        if full && self.kept.peek().is_some_and(|last| score < last.0.score) {
            return;
        }
        let candidate = RankedDoc {
            first: 0,
            score,
            order: order.get_val(doc),
            address: DocAddress::new(segment_ord, doc),
        };
        if !full {
            self.kept.push(LastFirst(candidate));
        } else if let Some(mut last) = self.kept.peek_mut()
            && candidate.rank_cmp(&last.0).is_gt()
        {
            // Replaced in place: one sift down.
            *last = LastFirst(candidate);
        }
    }
}

/// [`Grouped`] over one segment: slots by group ordinal (the file key, or
/// the segment's facet ordinal).
pub(crate) struct GroupedSegment {
    segment_ord: u32,
    order: Arc<dyn ColumnValues<u64>>,
    keys: SegmentKeys,
    window: usize,
    slots: Vec<Option<Slot>>,
}

fn slot(slots: &mut Vec<Option<Slot>>, ordinal: usize) -> &mut Slot {
    if slots.len() <= ordinal {
        slots.resize_with(ordinal + 1, || None);
    }
    slots[ordinal].get_or_insert_with(|| Slot {
        count: 0,
        last: None,
        kept: BinaryHeap::new(),
    })
}

impl SegmentCollector for GroupedSegment {
    type Fruit = Vec<Collected>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let found = (self.segment_ord, doc, score);
        match &self.keys {
            SegmentKeys::Files { by_seq, .. } => {
                let ordinal = file_key(by_seq, self.order.get_val(doc)) as usize;
                slot(&mut self.slots, ordinal).offer(found, &*self.order, self.window);
            }
            SegmentKeys::Facets(reader) => {
                for ordinal in reader.facet_ords(doc) {
                    slot(&mut self.slots, ordinal as usize).offer(found, &*self.order, self.window);
                }
            }
        }
    }

    fn harvest(self) -> Vec<Collected> {
        let ordinals: Vec<u64> = (0..self.slots.len() as u64)
            .filter(|&ordinal| self.slots[ordinal as usize].is_some())
            .collect();
        // The groups' names, in one sorted walk of the facet dictionary.
        let names: Vec<String> = match &self.keys {
            SegmentKeys::Files { names, .. } => ordinals
                .iter()
                .map(|&ordinal| names.get(ordinal as usize).cloned().unwrap_or_default())
                .collect(),
            SegmentKeys::Facets(reader) => {
                let mut names = Vec::with_capacity(ordinals.len());
                // A facet is encoded as its path's parts joined by a 0 byte.
                let named = reader
                    .facet_dict()
                    .sorted_ords_to_term_cb(&ordinals, |bytes| {
                        let last = bytes.rsplit(|&b| b == 0).next().unwrap_or(bytes);
                        names.push(String::from_utf8_lossy(last).into_owned());
                    });
                if !matches!(named, Ok(true)) {
                    return Vec::new();
                }
                names
            }
        };
        self.slots
            .into_iter()
            .flatten()
            .zip(names)
            .map(|(slot, key)| {
                let mut best: Vec<RankedDoc> = slot.kept.into_iter().map(|kept| kept.0).collect();
                best.sort_unstable_by(|a, b| b.rank_cmp(a));
                Collected {
                    key,
                    count: slot.count,
                    best,
                }
            })
            .collect()
    }
}

/// Counts matches per report: the `order` column gives each paragraph's
/// file, `by_seq` the file's report in `names`. A facet of reports without
/// a facet field of its own.
///
/// In a segment in document order, a report's matches come one after the
/// other. When there are many to a report (a query of common words matches
/// 800,000 paragraphs of 10,000 reports, some 40 to a report in a segment),
/// they are counted by run, reading `order` for a few of each run
/// (exponential then binary search over the matches) rather than for every
/// match; with a few to a report, that search reads more than it saves.
pub(crate) struct DocCounter {
    by_seq: Arc<[u32]>,
    reports: usize,
    /// Segments whose paragraphs run in document order.
    in_document_order: Arc<HashSet<SegmentId>>,
}

impl DocCounter {
    /// A counter over the reports of `index` (none for an index written
    /// before the reports' keys were kept).
    pub(crate) fn new(index: &Index) -> Result<DocCounter> {
        let (docs, by_seq) = index.keys()?;
        Ok(DocCounter {
            by_seq: by_seq.iter().map(|keys| keys.doc()).collect(),
            reports: docs.len(),
            in_document_order: index.ordered_segments(),
        })
    }

    /// The counter of one segment.
    pub(crate) fn for_segment(&self, reader: &SegmentReader) -> tantivy::Result<DocCounterSegment> {
        Ok(DocCounterSegment {
            order: order_column(reader)?,
            by_seq: Arc::clone(&self.by_seq),
            counts: vec![0; self.reports],
            ids_in_order: self.in_document_order.contains(&reader.segment_id()),
        })
    }

    /// The segments' counts added up: paragraph counts by place in the
    /// index summary's report names.
    pub(crate) fn merge(&self, segments: Vec<Vec<u64>>) -> Vec<u64> {
        let mut total = vec![0; self.reports];
        for counts in segments {
            for (sum, count) in total.iter_mut().zip(counts) {
                *sum += count;
            }
        }
        total
    }
}

/// The average matches to a report from which [`DocCounterSegment`] counts
/// by run: a run of 8 takes about 6 reads of `order` to find its end.
const RUN_SEARCH_FROM: u64 = 8;

/// [`DocCounter`] on one segment.
pub(crate) struct DocCounterSegment {
    order: Arc<dyn ColumnValues<u64>>,
    by_seq: Arc<[u32]>,
    counts: Vec<u64>,
    /// The segment runs in document order: many matches to a report are
    /// counted by run.
    ids_in_order: bool,
}

impl DocCounterSegment {
    fn seq(&self, doc: DocId) -> u64 {
        crate::index::schema::seq_of(self.order.get_val(doc))
    }

    fn add(&mut self, seq: u64, matches: u64) {
        let report = usize::try_from(seq)
            .ok()
            .and_then(|seq| self.by_seq.get(seq));
        if let Some(&report) = report
            && let Some(count) = self.counts.get_mut(report as usize)
        {
            *count += matches;
        }
    }

    /// The counts with `matches` (in order) of this segment added: by run
    /// where the segment is in document order and there are many to a
    /// report, else match by match.
    pub(crate) fn count(mut self, matches: Vec<DocId>) -> Vec<u64> {
        if self.ids_in_order && self.many_to_a_report(&matches) {
            self.count_runs(&matches);
        } else {
            for doc in matches {
                let seq = self.seq(doc);
                self.add(seq, 1);
            }
        }
        self.counts
    }

    /// Whether the matches average at least [`RUN_SEARCH_FROM`] to a report
    /// between the first and the last (whose sequence numbers bound the
    /// reports they span).
    fn many_to_a_report(&self, matches: &[DocId]) -> bool {
        let (Some(&first), Some(&last)) = (matches.first(), matches.last()) else {
            return false;
        };
        let reports = self.seq(last).saturating_sub(self.seq(first)) + 1;
        matches.len() as u64 >= RUN_SEARCH_FROM.saturating_mul(reports)
    }

    /// Counts `matches`, whose files' sequence numbers never fall, a run
    /// of one file at a time.
    fn count_runs(&mut self, matches: &[DocId]) {
        let seq_at = |i: usize| self.seq(matches[i]);
        let mut runs: Vec<(u64, u64)> = Vec::new();
        // The first match of the next run, and its sequence number, when
        // the search for the end of a run has read it.
        let mut next: Option<u64> = None;
        let mut start = 0;
        while start < matches.len() {
            let seq = next.take().unwrap_or_else(|| seq_at(start));
            // `last` is in the run; `end` is past it (or the end).
            let (mut last, mut end) = (start, matches.len());
            let mut step = 1;
            while let Some(probe) = start.checked_add(step).filter(|&p| p < matches.len()) {
                let probed = seq_at(probe);
                if probed != seq {
                    end = probe;
                    next = Some(probed);
                    break;
                }
                last = probe;
                step *= 2;
            }
            while end - last > 1 {
                let middle = last + (end - last) / 2;
                let probed = seq_at(middle);
                if probed == seq {
                    last = middle;
                } else {
                    end = middle;
                    next = Some(probed);
                }
            }
            runs.push((seq, (end - start) as u64));
            start = end;
        }
        for (seq, count) in runs {
            self.add(seq, count);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::facets::{FacetCounter, MatchCounts};

    #[test]
    fn report_counts_are_the_matches_of_each_report() {
        // 60 reports of 1 to 120 paragraphs over three segments, their
        // paragraphs dealt out in turn; the middle segment takes its share
        // in reverse.
        let mut shares: [Vec<(String, u64)>; 3] = Default::default();
        let mut expected_all = vec![0u64; 60];
        let mut expected_some = vec![0u64; 60];
        let mut expected_few = vec![0u64; 60];
        for seq in 0..60u64 {
            let paragraphs = 1 + (seq * 37) % 120;
            for para in 0..paragraphs {
                let order = (seq << 20) | para;
                let words = if para % 13 == 5 {
                    "mercury coal"
                } else if (seq + para) % 3 == 0 || seq % 7 == 0 {
                    "mercury waste"
                } else {
                    "mercury"
                };
                expected_all[seq as usize] += 1;
                if words == "mercury waste" {
                    expected_some[seq as usize] += 1;
                }
                if words == "mercury coal" {
                    expected_few[seq as usize] += 1;
                }
                shares[(para % 3) as usize].push((words.to_string(), order));
            }
        }
        shares[1].reverse();
        let (index, text) = ranking::text_and_order_index(&shares);
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let ordered = ranking::ordered_segment_ids(&searcher);
        assert_eq!(ordered.len(), 2);
        let parser = tantivy::query::QueryParser::for_index(&index, vec![text]);
        // Many matches to a report (counted by run in the ordered
        // segments), some, and few (counted match by match).
        for (query, expected) in [
            ("mercury", &expected_all),
            ("waste", &expected_some),
            ("coal", &expected_few),
        ] {
            let query = parser.parse_query(query).unwrap();
            for listed in [HashSet::new(), ordered.clone()] {
                let counter = DocCounter {
                    by_seq: (0..60u32).collect(),
                    reports: 60,
                    in_document_order: Arc::new(listed),
                };
                // Beside the facet counts, from the one list of matches.
                let both = MatchCounts::new(FacetCounter::new(Vec::new()), counter);
                let (facets, counts) = searcher.search(&*query, &both).unwrap();
                assert!(facets.is_empty());
                assert_eq!(&counts, expected);
            }
        }
        assert!(expected_some.contains(&1));
        assert!(expected_some.iter().any(|&c| c > 30));
    }

    #[test]
    fn an_undated_report_sorts_last_both_ways() {
        for sort in [Sort::Newest, Sort::Oldest] {
            let undated = sort.date_key(0);
            assert!(undated < sort.date_key(20170922));
            assert!(undated < sort.date_key(20250304));
        }
        assert!(Sort::Newest.date_key(20250304) > Sort::Newest.date_key(20170922));
        assert!(Sort::Oldest.date_key(20170922) > Sort::Oldest.date_key(20250304));
        assert_eq!(Sort::Relevance.date_key(20170922), 0);
    }

    use tantivy::schema::Facet;

    /// Paragraphs with facets `/speaker/<name>`, one with two speakers, one
    /// with none; scored by a term query.
    #[test]
    fn groups_count_each_speaker_and_keep_the_best() {
        use tantivy::query::QueryParser;
        use tantivy::schema::{FAST, FacetOptions, Schema, TEXT};
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let order = builder.add_u64_field("order", FAST);
        let speaker = builder.add_facet_field("speaker_facet", FacetOptions::default());
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        let paragraphs: [(&str, &[&str]); 5] = [
            ("mercury", &["Ana"]),
            ("mercury mercury mercury", &["Ana", "Ben"]),
            ("mercury and many other words here", &["Ben"]),
            ("mercury mercury", &[]),
            ("coal", &["Ana"]),
        ];
        for (i, (words, speakers)) in paragraphs.iter().enumerate() {
            let mut doc = tantivy::doc!(text => *words, order => i as u64);
            for name in *speakers {
                doc.add_facet(speaker, Facet::from_path(["speaker", name]));
            }
            writer.add_document(doc).expect("added");
        }
        writer.commit().expect("committed");
        let searcher = index.reader().expect("reader").searcher();
        let query = QueryParser::for_index(&index, vec![text])
            .parse_query("mercury")
            .expect("query");
        let mut groups = searcher
            .search(&*query, &Grouped::new(Source::Facets("speaker_facet"), 1))
            .expect("searched");
        groups.sort_by(|a, b| a.key.cmp(&b.key));
        let seen: Vec<(&str, u64, u64)> = groups
            .iter()
            .map(|g| (g.key.as_str(), g.count, g.best[0].order))
            .collect();
        assert_eq!(seen, [("Ana", 2, 1), ("Ben", 2, 1)]);
    }
}
