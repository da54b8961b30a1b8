//! The ranking collectors: the best paragraphs by score, ties in document
//! order; and the first in document order.
//!
//! tantivy's `TopDocs::tweak_score` can express this order, but it computes
//! the sort key — a read of the `order` fast field — for every matching
//! paragraph, which took a sixth of the time of a ranked search. [`Ranked`]
//! reads `order` only for a paragraph whose score can still enter the top:
//! one scoring at least the lowest score kept so far.
//!
//! Sorted by date ([`Ranked::first_by`]), a paragraph's file key comes
//! before its score: `order` is read for every match, and the key looked up
//! by the file's sequence number (no stored paragraph is read).
//!
//! In a segment whose paragraphs run in document order (most: see
//! `index::ordered_segments`), a tie with the last kept paragraph comes
//! later and cannot enter either, and the id stands for `order` until the
//! segment's best are handed on: `order` is read for those only.
//!
//! [`rescore`] then adds score bonuses to the best of them only, asking
//! each bonus query about those paragraphs alone.
//!
//! [`Earliest`] lists a search of filters only in document order, reading
//! `order` for the paragraphs it keeps, not for every match.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SeekDangerResult, SegmentReader};

use crate::index::schema::order_column;

/// Collects the `limit` best paragraphs: highest score first, then earliest
/// in document order; and counts every match (no separate `Count`: the
/// test each match goes through stays one inlined comparison).
pub(crate) struct Ranked {
    limit: usize,
    /// A key of each file, by sequence number, ranked before the score
    /// (higher first); none: the score alone.
    first_by: Option<Arc<[u32]>>,
    /// Segments whose paragraphs run in document order.
    in_document_order: Arc<HashSet<SegmentId>>,
}

impl Ranked {
    /// At least one paragraph is collected.
    pub(crate) fn with_limit(limit: usize) -> Ranked {
        Ranked {
            limit: limit.max(1),
            first_by: None,
            in_document_order: Arc::default(),
        }
    }

    /// Tells which segments hold their paragraphs in document order
    /// (`order` rising with the document id). A segment named here that is
    /// not would break ties wrongly.
    pub(crate) fn in_document_order(mut self, segments: Arc<HashSet<SegmentId>>) -> Ranked {
        self.in_document_order = segments;
        self
    }

    /// Ranks by `keys[seq]` of the paragraph's file first (higher first; a
    /// file past the end of `keys` has key 0), then by score.
    pub(crate) fn first_by(mut self, keys: Arc<[u32]>) -> Ranked {
        self.first_by = Some(keys);
        self
    }
}

/// The file key of the paragraph at `order` in `keys` (by sequence number).
pub(crate) fn file_key(keys: &[u32], order: u64) -> u32 {
    usize::try_from(order >> 20)
        .ok()
        .and_then(|seq| keys.get(seq))
        .copied()
        .unwrap_or(0)
}

/// A collected paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RankedDoc {
    /// Ranked before the score, higher first (a file key; 0 when unsorted).
    pub first: u32,
    pub score: Score,
    /// Its place in document order (the `order` fast field).
    pub order: u64,
    pub address: DocAddress,
}

impl RankedDoc {
    /// `Greater` when `self` ranks before `other`.
    #[inline]
    pub(crate) fn rank_cmp(&self, other: &RankedDoc) -> Ordering {
        self.rank_key().cmp(&other.rank_key())
    }

    /// The rank as one number, higher first: the file key, the score (in
    /// the order of `f32::total_cmp`), then earlier in document order. The
    /// ranking heaps compare it in one comparison where the three in turn
    /// branched at each step.
    #[inline]
    fn rank_key(&self) -> u128 {
        let bits = self.score.to_bits();
        // Negative scores below positive ones, the more negative lower.
        let score = if bits >> 31 == 1 {
            !bits
        } else {
            bits | 1 << 31
        };
        (u128::from(self.first) << 96) | (u128::from(score) << 64) | u128::from(!self.order)
    }
}

/// In a heap, the paragraph that ranks last comes out first.
pub(crate) struct LastFirst(pub RankedDoc);

impl PartialEq for LastFirst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for LastFirst {}
impl PartialOrd for LastFirst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LastFirst {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.rank_cmp(&self.0)
    }
}

/// What [`Ranked`] found: how many paragraphs match, and the best of them,
/// best first.
pub(crate) struct Ranking {
    pub total: usize,
    pub best: Vec<RankedDoc>,
}

impl Collector for Ranked {
    type Fruit = Ranking;
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        let order = order_column(reader)?;
        Ok(RankedSegment {
            limit: self.limit,
            segment_ord,
            order,
            first_by: self.first_by.clone(),
            kept: BinaryHeap::with_capacity(self.limit + 1),
            floor: Score::NEG_INFINITY,
            total: 0,
            ids_in_order: self.first_by.is_none()
                && self.in_document_order.contains(&reader.segment_id()),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Ranking>) -> tantivy::Result<Ranking> {
        let total = segments.iter().map(|segment| segment.total).sum();
        let mut best: Vec<RankedDoc> = segments.into_iter().flat_map(|s| s.best).collect();
        best.sort_unstable_by(|a, b| b.rank_cmp(a));
        best.truncate(self.limit);
        Ok(Ranking { total, best })
    }
}

/// [`Ranked`] over one segment.
pub(crate) struct RankedSegment {
    limit: usize,
    segment_ord: u32,
    order: Arc<dyn ColumnValues<u64>>,
    first_by: Option<Arc<[u32]>>,
    /// The best paragraphs so far, the last-ranked on top.
    kept: BinaryHeap<LastFirst>,
    /// The score of the last kept paragraph once `limit` are kept: a lower
    /// score cannot enter (when ranked by score alone).
    floor: Score,
    /// Matches so far.
    total: usize,
    /// Ranked by score alone in a segment in document order: the id stands
    /// for `order` until [`RankedSegment::harvest`].
    ids_in_order: bool,
}

impl RankedSegment {
    /// Keeps `doc` if it ranks before the last kept paragraph. Out of line:
    /// ranked by score, few matches get this far.
    #[inline(never)]
    fn offer(&mut self, doc: DocId, score: Score) {
        let order = if self.ids_in_order {
            u64::from(doc)
        } else {
            self.order.get_val(doc)
        };
        let candidate = RankedDoc {
            first: self
                .first_by
                .as_deref()
                .map_or(0, |keys| file_key(keys, order)),
            score,
            order,
            address: DocAddress::new(self.segment_ord, doc),
        };
        if self.kept.len() < self.limit {
            self.kept.push(LastFirst(candidate));
        } else if let Some(mut last) = self.kept.peek_mut()
            && candidate.rank_cmp(&last.0) == Ordering::Greater
        {
            // Replaced in place: one sift down, where a pop and a push
            // would sift twice.
            *last = LastFirst(candidate);
        }
        if self.kept.len() == self.limit && self.first_by.is_none() {
            self.floor = self
                .kept
                .peek()
                .map_or(Score::NEG_INFINITY, |last| last.0.score);
        }
    }
}

impl SegmentCollector for RankedSegment {
    type Fruit = Ranking;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        // Below the last kept paragraph; or tying it in a segment in
        // document order, where a tie comes after it.
        if score < self.floor || (self.ids_in_order && score == self.floor) {
            return;
        }
        self.offer(doc, score);
    }

    fn harvest(self) -> Ranking {
        let order = &self.order;
        let ids_in_order = self.ids_in_order;
        let best = self
            .kept
            .into_iter()
            .map(|LastFirst(mut kept)| {
                if ids_in_order {
                    kept.order = order.get_val(kept.address.doc_id);
                }
                kept
            })
            .collect();
        Ranking {
            total: self.total,
            best,
        }
    }
}

/// Collects the `limit` first paragraphs in document order, for a search
/// of filters only: what `TopDocs::order_by_u64_field("order")` finds.
///
/// That reads `order` for every match. In a segment in document order the
/// first matches are the earliest, so the rest are passed over unread and
/// `order` is read for the kept ones only: on 10,000 reports, reading it
/// for each of 72,000 matches took a seventh of a whole search process.
pub(crate) struct Earliest {
    limit: usize,
    /// Segments whose paragraphs run in document order.
    in_document_order: Arc<HashSet<SegmentId>>,
}

impl Earliest {
    /// At least one paragraph is collected.
    pub(crate) fn with_limit(limit: usize, in_document_order: Arc<HashSet<SegmentId>>) -> Earliest {
        Earliest {
            limit: limit.max(1),
            in_document_order,
        }
    }
}

impl Collector for Earliest {
    /// `(order, address)`, earliest first.
    type Fruit = Vec<(u64, DocAddress)>;
    type Child = EarliestSegment;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<EarliestSegment> {
        Ok(EarliestSegment {
            limit: self.limit,
            segment_ord,
            order: order_column(reader)?,
            ids_in_order: self.in_document_order.contains(&reader.segment_id()),
            first: Vec::new(),
            earliest: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<(u64, DocAddress)>>,
    ) -> tantivy::Result<Vec<(u64, DocAddress)>> {
        let mut all: Vec<(u64, DocAddress)> = segments.into_iter().flatten().collect();
        all.sort_unstable();
        all.truncate(self.limit);
        Ok(all)
    }
}

/// [`Earliest`] over one segment.
pub(crate) struct EarliestSegment {
    limit: usize,
    segment_ord: u32,
    order: Arc<dyn ColumnValues<u64>>,
    /// The segment runs in document order: the first matches are kept.
    ids_in_order: bool,
    /// The first `limit` matches, when `ids_in_order`.
    first: Vec<DocId>,
    /// Otherwise the earliest `limit` by `order`, the latest on top.
    earliest: BinaryHeap<(u64, DocId)>,
}

impl SegmentCollector for EarliestSegment {
    type Fruit = Vec<(u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if self.ids_in_order {
            if self.first.len() < self.limit {
                self.first.push(doc);
            }
            return;
        }
        let order = self.order.get_val(doc);
        if self.earliest.len() < self.limit {
            self.earliest.push((order, doc));
        } else if let Some(mut latest) = self.earliest.peek_mut()
            && order < latest.0
        {
            // Replaced in place: one sift down.
            *latest = (order, doc);
        }
    }

    fn harvest(self) -> Vec<(u64, DocAddress)> {
        let segment_ord = self.segment_ord;
        let order = &self.order;
        let kept = self.first.into_iter().map(|doc| (order.get_val(doc), doc));
        kept.chain(self.earliest)
            .map(|(order, doc)| (order, DocAddress::new(segment_ord, doc)))
            .collect()
    }
}

/// Adds to the score of each of `docs` what each of `bonuses` scores it
/// (nothing where a bonus query does not match), ranks them again and keeps
/// the best `limit`.
///
/// A bonus query that is only ever a bonus (it matches a subset of what the
/// search matches) would otherwise be evaluated on every match; here it is
/// evaluated on the few paragraphs that can still make the top. That is how
/// Lucene's rescorers apply costly proximity scores.
pub(crate) fn rescore(
    searcher: &Searcher,
    bonuses: &[Box<dyn Query>],
    docs: &mut Vec<RankedDoc>,
    limit: usize,
) -> tantivy::Result<()> {
    if bonuses.is_empty() {
        docs.truncate(limit);
        return Ok(());
    }
    add_bonuses(searcher, bonuses, docs)?;
    docs.sort_unstable_by(|a, b| b.rank_cmp(a));
    docs.truncate(limit);
    Ok(())
}

/// Adds to the score of each of `docs` what each of `bonuses` scores it;
/// the order of `docs` is kept. A paragraph listed twice (in two groups)
/// gains it in each place.
pub(crate) fn add_bonuses(
    searcher: &Searcher,
    bonuses: &[Box<dyn Query>],
    docs: &mut [RankedDoc],
) -> tantivy::Result<()> {
    if bonuses.is_empty() {
        return Ok(());
    }
    // Scorers move forward only: visit the paragraphs in index order.
    let mut visit: Vec<usize> = (0..docs.len()).collect();
    visit.sort_unstable_by_key(|&i| docs[i].address);
    for bonus in bonuses {
        let weight = bonus.weight(EnableScoring::enabled_from_searcher(searcher))?;
        // The segment's scorer, and the last paragraph asked about with the
        // bonus it got.
        let mut segment: Option<(u32, Box<dyn Scorer>)> = None;
        let mut last: Option<(DocAddress, Score)> = None;
        for &i in &visit {
            let address = docs[i].address;
            if let Some((seen, bonus)) = last
                && seen == address
            {
                docs[i].score += bonus;
                continue;
            }
            let DocAddress {
                segment_ord,
                doc_id,
            } = address;
            // Asked about this paragraph only (`seek_danger`): a plain seek
            // would look on for the next paragraph holding a phrase, and a
            // new phrase scorer for the first one from the segment's start,
            // where only the few paragraphs ranked best matter.
            let found = match &mut segment {
                Some((ord, scorer)) if *ord == segment_ord => scorer.seek_danger(doc_id),
                _ => {
                    let reader = searcher.segment_reader(segment_ord);
                    let (found, scorer) = weight.scorer_danger(reader, doc_id, 1.0)?;
                    segment = Some((segment_ord, scorer));
                    found
                }
            };
            let gained = match (&mut segment, found) {
                (Some((_, scorer)), SeekDangerResult::Found) => scorer.score(),
                _ => 0.0,
            };
            docs[i].score += gained;
            last = Some((address, gained));
        }
    }
    Ok(())
}

/// An in-RAM index of paragraphs (text and `order`) with one segment per
/// list, committed in turn by one indexing thread: the collectors' tests
/// build their segments with it.
#[cfg(test)]
pub(crate) fn text_and_order_index(
    segments: &[Vec<(String, u64)>],
) -> (tantivy::Index, tantivy::schema::Field) {
    use tantivy::schema::{FAST, Schema, TEXT};
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", TEXT);
    let order = builder.add_u64_field(crate::index::schema::ORDER, FAST);
    let index = tantivy::Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(1, 15_000_000)
        .expect("writer");
    for segment in segments {
        for (words, place) in segment {
            writer
                .add_document(tantivy::doc!(text => words.as_str(), order => *place))
                .expect("added");
        }
        writer.commit().expect("committed");
    }
    (index, text)
}

/// The segments of `searcher` whose paragraphs run in document order, as
/// `index::ordered_segments` lists them.
#[cfg(test)]
pub(crate) fn ordered_segment_ids(searcher: &Searcher) -> HashSet<SegmentId> {
    searcher
        .segment_readers()
        .iter()
        .filter(|reader| crate::index::in_document_order(reader).expect("order column"))
        .map(SegmentReader::segment_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(score: Score, order: u64) -> RankedDoc {
        RankedDoc {
            first: 0,
            score,
            order,
            address: DocAddress::new(0, order as DocId),
        }
    }

    #[test]
    fn higher_score_then_earlier_order_ranks_first() {
        assert_eq!(doc(2.0, 9).rank_cmp(&doc(1.0, 1)), Ordering::Greater);
        assert_eq!(doc(1.0, 1).rank_cmp(&doc(1.0, 9)), Ordering::Greater);
        assert_eq!(doc(1.0, 9).rank_cmp(&doc(1.0, 1)), Ordering::Less);
    }

    #[test]
    fn the_rank_key_orders_as_file_key_then_score_then_document_order() {
        let scores = [
            f32::NEG_INFINITY,
            -3.5,
            -1e-30,
            -0.0,
            0.0,
            1e-30,
            0.75,
            0.7500001,
            12.0,
            f32::MAX,
            f32::INFINITY,
        ];
        let mut docs = Vec::new();
        for first in [0, 1, u32::MAX] {
            for score in scores {
                for order in [0, 1, 7 << 20, u64::MAX - 1, u64::MAX] {
                    docs.push(RankedDoc {
                        first,
                        ..doc(score, order)
                    });
                }
            }
        }
        for a in &docs {
            for b in &docs {
                let expected = a
                    .first
                    .cmp(&b.first)
                    .then(a.score.total_cmp(&b.score))
                    .then(b.order.cmp(&a.order));
                assert_eq!(a.rank_cmp(b), expected, "{a:?} against {b:?}");
            }
        }
    }

    /// Paragraphs of two words; the bonus is the phrase "mercury waste".
    fn rescore_fixture() -> tantivy::Index {
        let paragraphs = [
            "waste mercury waste waste",
            "mercury waste",
            "waste of mercury",
            "mercury mercury waste",
        ];
        let segment = (0..)
            .zip(paragraphs)
            .map(|(i, words)| (words.to_string(), i))
            .collect();
        text_and_order_index(&[segment]).0
    }

    #[test]
    fn rescoring_adds_the_bonus_to_the_window_only() {
        use tantivy::query::{BooleanQuery, PhraseQuery, QueryParser};
        let index = rescore_fixture();
        let searcher = index.reader().expect("reader").searcher();
        let text = index.schema().get_field("text").expect("text");
        let words = QueryParser::for_index(&index, vec![text])
            .parse_query("mercury waste")
            .expect("query");
        let terms = ["mercury", "waste"].map(|w| tantivy::Term::from_field_text(text, w));
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(terms.to_vec()));
        let full = BooleanQuery::union(vec![words.box_clone(), phrase.box_clone()]);

        // The reference: words and phrase scored together over every match.
        let mut reference = searcher
            .search(&full, &Ranked::with_limit(10))
            .expect("searched")
            .best;
        reference.truncate(3);
        // The words alone for all four, then the phrase added: the same.
        let mut rescored = searcher
            .search(&*words, &Ranked::with_limit(4))
            .expect("searched")
            .best;
        rescore(&searcher, std::slice::from_ref(&phrase), &mut rescored, 3).expect("rescored");
        let key = |docs: &[RankedDoc]| -> Vec<(u64, String)> {
            docs.iter()
                .map(|d| (d.order, format!("{:.4}", d.score)))
                .collect()
        };
        assert_eq!(key(&rescored), key(&reference));
        assert_eq!(rescored.len(), 3);
        // "waste of mercury" has no phrase, so the phrase changes the order.
        let words_only = searcher
            .search(&*words, &Ranked::with_limit(4))
            .expect("searched")
            .best;
        assert_ne!(
            words_only.iter().map(|d| d.order).collect::<Vec<_>>()[..3],
            rescored.iter().map(|d| d.order).collect::<Vec<_>>()[..]
        );

        // A window of one: only the best by the words may gain the bonus.
        let mut window = searcher
            .search(&*words, &Ranked::with_limit(1))
            .expect("searched")
            .best;
        let best = window[0];
        rescore(&searcher, std::slice::from_ref(&phrase), &mut window, 1).expect("rescored");
        assert_eq!(window.len(), 1);
        assert_eq!(window[0].order, best.order);
        assert!(window[0].score >= best.score);
    }

    #[test]
    fn ties_in_a_segment_in_document_order_rank_as_by_order() {
        use tantivy::collector::Collector;
        // Many paragraphs of equal score, `order` rising with the id.
        let segment = (0..500u64)
            .map(|i| {
                let words = match i % 7 {
                    0 => "mercury waste",
                    3 => "mercury mercury",
                    _ => "mercury waste storage",
                };
                (words.to_string(), i * 3)
            })
            .collect();
        let (index, text) = text_and_order_index(&[segment]);
        let searcher = index.reader().unwrap().searcher();
        let segment = searcher.segment_reader(0).segment_id();
        let query = tantivy::query::QueryParser::for_index(&index, vec![text])
            .parse_query("mercury waste")
            .unwrap();
        for limit in [1, 10, 200] {
            let by_order = searcher
                .search(&*query, &Ranked::with_limit(limit))
                .unwrap()
                .best;
            let in_order =
                Ranked::with_limit(limit).in_document_order(Arc::new(HashSet::from([segment])));
            assert!(
                in_order
                    .for_segment(0, searcher.segment_reader(0))
                    .unwrap()
                    .ids_in_order
            );
            let by_id = searcher.search(&*query, &in_order).unwrap().best;
            let key = |docs: &[RankedDoc]| -> Vec<(u64, u32, String)> {
                docs.iter()
                    .map(|d| (d.order, d.address.doc_id, format!("{:.5}", d.score)))
                    .collect()
            };
            assert_eq!(key(&by_id), key(&by_order), "limit {limit}");
            assert_eq!(by_id.len(), limit);
            // Ties fill the top: the earliest come first.
            assert!(limit == 1 || by_id.windows(2).any(|w| w[0].score == w[1].score));
        }
    }

    /// Paragraphs of varied words over three segments (`order` rising with
    /// the id), so that scores spread and tie.
    fn varied_fixture() -> tantivy::Index {
        let shapes = [
            "mercury waste",
            "waste mercury storage",
            "mercury and the waste",
            "mercury mercury waste of mercury",
            "storage of waste",
            "mercury",
            "the mercury waste storage site holds mercury waste",
            "waste storage and mercury storage",
            "an unrelated paragraph",
        ];
        let paragraph = |i: u64| {
            // Lengths vary with i, so field norms (and scores) vary too.
            let filler = " filler".repeat((i % 5) as usize);
            (format!("{}{filler}", shapes[(i * 7 % 9) as usize]), i)
        };
        let segments: Vec<Vec<(String, u64)>> = (0..3u64)
            .map(|s| (s * 200..(s + 1) * 200).map(paragraph).collect())
            .collect();
        text_and_order_index(&segments).0
    }

    #[test]
    fn the_best_are_kept_at_any_limit() {
        let index = varied_fixture();
        let searcher = index.reader().unwrap().searcher();
        let text = index.schema().get_field("text").unwrap();
        let query = tantivy::query::QueryParser::for_index(&index, vec![text])
            .parse_query("mercury waste storage")
            .unwrap();
        // The reference: every match, sorted by score, then by order.
        assert_eq!(searcher.segment_readers().len(), 3);
        let mut every: Vec<(Score, u64)> = Vec::new();
        for reader in searcher.segment_readers() {
            let order = order_column(reader).unwrap();
            let weight = query
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            weight
                .for_each(reader, &mut |doc, score| {
                    every.push((score, order.get_val(doc)));
                })
                .unwrap();
        }
        every.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        assert!(every.len() > 400);
        let segments: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        for limit in [1, 2, 7, 10, 64, 200, 599, 1000] {
            let expected: Vec<(Score, u64)> = every.iter().copied().take(limit).collect();
            for ordered in [false, true] {
                let mut collector = Ranked::with_limit(limit);
                if ordered {
                    collector = collector.in_document_order(Arc::new(segments.clone()));
                }
                let found = searcher.search(&*query, &collector).unwrap();
                assert_eq!(found.total, every.len(), "limit {limit}");
                let got: Vec<(Score, u64)> =
                    found.best.iter().map(|d| (d.score, d.order)).collect();
                assert_eq!(got, expected, "limit {limit}, ids in order: {ordered}");
            }
        }
    }

    #[test]
    fn bonuses_go_to_the_paragraphs_holding_the_phrase_only() {
        use tantivy::query::PhraseQuery;
        let index = varied_fixture();
        let searcher = index.reader().unwrap().searcher();
        let text = index.schema().get_field("text").unwrap();
        let terms = ["mercury", "waste"].map(|w| tantivy::Term::from_field_text(text, w));
        for slop in [0, 2] {
            let mut phrase = PhraseQuery::new(terms.to_vec());
            phrase.set_slop(slop);
            let phrase: Box<dyn Query> = Box::new(phrase);
            // The reference: the phrase's score of every paragraph it matches.
            let mut reference = std::collections::HashMap::new();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let weight = phrase
                    .weight(EnableScoring::enabled_from_searcher(&searcher))
                    .unwrap();
                weight
                    .for_each(reader, &mut |doc, score| {
                        reference.insert(DocAddress::new(ord as u32, doc), score);
                    })
                    .unwrap();
            }
            assert!(reference.len() > 100 && reference.len() < 500);
            let all: Vec<DocAddress> = searcher
                .segment_readers()
                .iter()
                .enumerate()
                .flat_map(|(ord, r)| (0..r.max_doc()).map(move |d| DocAddress::new(ord as u32, d)))
                .collect();
            // Every paragraph, every third, every seventh, and pairs listed
            // twice (a paragraph in two groups), in no particular order.
            for step in [1, 3, 7] {
                let mut picked: Vec<DocAddress> = all.iter().copied().step_by(step).collect();
                picked.extend(all.iter().copied().skip(5).step_by(50));
                picked.reverse();
                let mut docs: Vec<RankedDoc> = picked
                    .iter()
                    .map(|&address| RankedDoc {
                        first: 0,
                        score: 1.0,
                        order: 0,
                        address,
                    })
                    .collect();
                add_bonuses(&searcher, std::slice::from_ref(&phrase), &mut docs).unwrap();
                for (doc, address) in docs.iter().zip(&picked) {
                    let expected = 1.0 + reference.get(address).copied().unwrap_or(0.0);
                    assert_eq!(doc.score, expected, "slop {slop}, step {step}, {address:?}");
                }
            }
        }
    }

    #[test]
    fn the_earliest_are_what_ordering_by_order_finds() {
        use tantivy::Order;
        use tantivy::collector::TopDocs;
        // Three segments whose `order` values interleave: the first and the
        // last rise with the id, the middle one falls.
        let segments: Vec<Vec<(String, u64)>> = (0..3u64)
            .map(|segment| {
                (0..300u64)
                    .map(|i| {
                        let place = if segment == 1 { 299 - i } else { i };
                        let words = if (i * 7 + segment) % 3 == 0 {
                            "mercury"
                        } else {
                            "mercury waste"
                        };
                        (words.to_string(), place * 3 + segment)
                    })
                    .collect()
            })
            .collect();
        let (index, text) = text_and_order_index(&segments);
        let searcher = index.reader().unwrap().searcher();
        let ordered = ordered_segment_ids(&searcher);
        assert_eq!(ordered.len(), 2);
        let query = tantivy::query::QueryParser::for_index(&index, vec![text])
            .parse_query("waste")
            .unwrap();
        let matches = searcher
            .search(&*query, &tantivy::collector::Count)
            .unwrap();
        assert!(matches > 400 && matches < 900);
        for limit in [1, 7, 200, 600, 900] {
            let expected: Vec<DocAddress> = searcher
                .search(
                    &*query,
                    &TopDocs::with_limit(limit).order_by_u64_field("order", Order::Asc),
                )
                .unwrap()
                .into_iter()
                .map(|(_, address)| address)
                .collect();
            for listed in [HashSet::new(), ordered.clone()] {
                let found = searcher
                    .search(
                        &*query,
                        &Earliest::with_limit(limit, Arc::new(listed.clone())),
                    )
                    .unwrap();
                let addresses: Vec<DocAddress> = found.iter().map(|&(_, a)| a).collect();
                assert_eq!(
                    addresses,
                    expected,
                    "limit {limit}, {} listed",
                    listed.len()
                );
                // The order given is the paragraph's own.
                for &(place, address) in &found {
                    let reader = searcher.segment_reader(address.segment_ord);
                    let column = order_column(reader).unwrap();
                    assert_eq!(column.get_val(address.doc_id), place);
                }
            }
        }
    }

    #[test]
    fn merging_keeps_the_best_across_segments() {
        let ranked = Ranked::with_limit(3);
        let merged = ranked
            .merge_fruits(vec![
                Ranking {
                    total: 40,
                    best: vec![doc(1.0, 5), doc(3.0, 7)],
                },
                Ranking {
                    total: 2,
                    best: vec![doc(1.0, 2), doc(0.5, 1), doc(3.0, 8)],
                },
            ])
            .expect("merged");
        let orders: Vec<u64> = merged.best.iter().map(|d| d.order).collect();
        assert_eq!(orders, [7, 8, 2]);
        assert_eq!(merged.total, 42);
    }
}
