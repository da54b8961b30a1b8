//! The ranking collector: the best paragraphs by score, ties in document
//! order.
//!
//! tantivy's `TopDocs::tweak_score` can express this order, but it computes
//! the sort key — a read of the `order` fast field — for every matching
//! paragraph, which took a sixth of the time of a ranked search. [`Ranked`]
//! reads `order` only for a paragraph whose score can still enter the top:
//! one scoring at least the lowest score kept so far.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, SegmentReader};

/// Collects the `limit` best paragraphs: highest score first, then earliest
/// in document order.
pub(crate) struct Ranked {
    limit: usize,
}

impl Ranked {
    /// At least one paragraph is collected.
    pub(crate) fn with_limit(limit: usize) -> Ranked {
        Ranked {
            limit: limit.max(1),
        }
    }
}

/// A collected paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RankedDoc {
    pub score: Score,
    /// Its place in document order (the `order` fast field).
    pub order: u64,
    pub address: DocAddress,
}

impl RankedDoc {
    /// `Greater` when `self` ranks before `other`.
    fn rank_cmp(&self, other: &RankedDoc) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.order.cmp(&self.order))
    }
}

/// In a heap, the paragraph that ranks last comes out first.
struct LastFirst(RankedDoc);

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

impl Collector for Ranked {
    type Fruit = Vec<RankedDoc>;
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        let order = reader.fast_fields().u64("order")?.first_or_default_col(0);
        Ok(RankedSegment {
            limit: self.limit,
            segment_ord,
            order,
            kept: BinaryHeap::with_capacity(self.limit + 1),
            floor: Score::NEG_INFINITY,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<RankedDoc>>) -> tantivy::Result<Vec<RankedDoc>> {
        let mut all: Vec<RankedDoc> = segments.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.rank_cmp(a));
        all.truncate(self.limit);
        Ok(all)
    }
}

/// [`Ranked`] over one segment.
pub(crate) struct RankedSegment {
    limit: usize,
    segment_ord: u32,
    order: Arc<dyn ColumnValues<u64>>,
    /// The best paragraphs so far, the last-ranked on top.
    kept: BinaryHeap<LastFirst>,
    /// The score of the last kept paragraph once `limit` are kept: a lower
    /// score cannot enter.
    floor: Score,
}

impl SegmentCollector for RankedSegment {
    type Fruit = Vec<RankedDoc>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score < self.floor {
            return;
        }
        let candidate = RankedDoc {
            score,
            order: self.order.get_val(doc),
            address: DocAddress::new(self.segment_ord, doc),
        };
        if self.kept.len() < self.limit {
            self.kept.push(LastFirst(candidate));
        } else if self
            .kept
            .peek()
            .is_some_and(|last| candidate.rank_cmp(&last.0) == Ordering::Greater)
        {
            self.kept.pop();
            self.kept.push(LastFirst(candidate));
        }
        if self.kept.len() == self.limit {
            self.floor = self
                .kept
                .peek()
                .map_or(Score::NEG_INFINITY, |last| last.0.score);
        }
    }

    fn harvest(self) -> Vec<RankedDoc> {
        self.kept.into_iter().map(|kept| kept.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(score: Score, order: u64) -> RankedDoc {
        RankedDoc {
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
    fn merging_keeps_the_best_across_segments() {
        let ranked = Ranked::with_limit(3);
        let merged = ranked
            .merge_fruits(vec![
                vec![doc(1.0, 5), doc(3.0, 7)],
                vec![doc(1.0, 2), doc(0.5, 1), doc(3.0, 8)],
            ])
            .expect("merged");
        let orders: Vec<u64> = merged.iter().map(|d| d.order).collect();
        assert_eq!(orders, [7, 8, 2]);
    }
}
