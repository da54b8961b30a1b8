//! Exclusions (`-x`) that run in debug builds of tantivy 0.27 too.
//!
//! A `MustNot` clause asks the excluded query's scorer whether it holds the
//! first candidate document, which may come before the document the scorer
//! already stands on. tantivy's phrase scorer asserts that it is never asked
//! about an earlier document (tantivy issue #2811, fixed after 0.27.0), so
//! `-"mercury waste"` or `-chlor-alkali` panics in a debug build. [`Excluded`]
//! wraps the excluded query's scorer so that it keeps tantivy's default
//! `seek_danger`, which never seeks backwards and always leaves the scorer on
//! a real match: a scorer stands on its first match at or after every
//! document it was asked about, so an earlier document is not a match.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// The query whose matches a `MustNot` clause removes.
#[derive(Debug)]
pub(super) struct Excluded(pub Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardOnly(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer that never passes on a seek to a document before its position,
/// and answers `seek_danger` with the [`DocSet`] default (no danger zone).
struct ForwardOnly(Box<dyn Scorer>);

impl DocSet for ForwardOnly {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if target <= doc {
            doc
        } else {
            self.0.seek(target)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ForwardOnly {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::Exclude;
    use tantivy::{SeekDangerResult, TERMINATED};

    /// Matches `docs`; like tantivy's phrase scorer, it refuses (here in
    /// every build) to be asked about a document before its position.
    struct StrictScorer {
        docs: Vec<DocId>,
        at: usize,
    }

    impl StrictScorer {
        fn boxed(docs: &[DocId]) -> Box<dyn Scorer> {
            Box::new(StrictScorer {
                docs: docs.to_vec(),
                at: 0,
            })
        }
    }

    impl DocSet for StrictScorer {
        fn advance(&mut self) -> DocId {
            self.at += 1;
            self.doc()
        }

        fn seek(&mut self, target: DocId) -> DocId {
            assert!(target >= self.doc(), "backward seek to {target}");
            while self.doc() < target {
                self.advance();
            }
            self.doc()
        }

        fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
            assert!(target >= self.doc(), "backward seek to {target}");
            if self.seek(target) == target {
                SeekDangerResult::Found
            } else {
                SeekDangerResult::SeekLowerBound(self.doc())
            }
        }

        fn doc(&self) -> DocId {
            self.docs.get(self.at).copied().unwrap_or(TERMINATED)
        }

        fn size_hint(&self) -> u32 {
            self.docs.len() as u32
        }
    }

    impl Scorer for StrictScorer {
        fn score(&mut self) -> Score {
            1.0
        }
    }

    fn collect(mut docs: impl DocSet) -> Vec<DocId> {
        let mut found = Vec::new();
        while docs.doc() != TERMINATED {
            found.push(docs.doc());
            docs.advance();
        }
        found
    }

    #[test]
    fn an_exclusion_is_never_asked_about_an_earlier_document() {
        let all: Vec<DocId> = (0..30).collect();
        let excluded = ForwardOnly(StrictScorer::boxed(&[21, 25]));
        let kept = collect(Exclude::new(StrictScorer::boxed(&all), excluded));
        let expected: Vec<DocId> = (0..30).filter(|d| *d != 21 && *d != 25).collect();
        assert_eq!(kept, expected);
    }

    #[test]
    #[should_panic(expected = "backward seek to 0")]
    fn the_unwrapped_scorer_is_asked_about_an_earlier_document() {
        let all: Vec<DocId> = (0..30).collect();
        collect(Exclude::new(
            StrictScorer::boxed(&all),
            StrictScorer::boxed(&[21, 25]),
        ));
    }
}
