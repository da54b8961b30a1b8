//! Counting areas, speakers, agenda items and delegations over every match
//! of a search (`--facets`).
//!
//! Each facet field holds one level of values under one root
//! (`/speaker/Susan Keane`). tantivy's `FacetCollector` reads each match's
//! values from the field's column as it is collected: on 10,000 reports, a
//! query of common words matching 800,000 paragraphs took 51 ms with the
//! counts and 13 ms without. [`MatchCounts`], the collector, first lists
//! the matches of a segment, once for these counts and for the report
//! counts of `group::DocCounter` that `--facets` gives beside them. Then,
//! field by field, [`FacetCounter`] counts either from the column, match
//! by match, or from the field's postings, value by value, testing each
//! posting against a bit set of the matches — whichever reads less: the
//! postings cost the same whatever the query, the column grows with the
//! matches. Both give the same counts.

use std::cell::OnceCell;
use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{BitSet, DocId, Score, SegmentReader};

use super::group::{DocCounter, DocCounterSegment};

/// Reading one match's values from a column costs about this many
/// postings read and tested against the bit set. Measured on the
/// 10,000-report bench index (1.26 million paragraphs, 8 segments): the
/// column took about 19 ns a match and a field, all four fields' postings
/// about 4.5 ms whatever the query, about 1.5 ns a posting.
const COLUMN_COST_IN_POSTINGS: u64 = 10;

/// Paragraph counts by value of each facet field, over every match.
pub(crate) struct FacetCounter {
    /// The facet fields, by name.
    fields: Vec<&'static str>,
    read: Read,
}

/// Where the counts are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// Whichever reads less.
    Cheaper,
    #[cfg(test)]
    Column,
    #[cfg(test)]
    Postings,
}

impl FacetCounter {
    pub(crate) fn new(fields: Vec<&'static str>) -> FacetCounter {
        FacetCounter {
            fields,
            read: Read::Cheaper,
        }
    }
}

/// For each field (in the order given), each value's name (the last part
/// of its path) and its count of matching paragraphs.
pub(crate) type FieldCounts = Vec<HashMap<String, u64>>;

impl FacetCounter {
    /// The counter of one segment.
    fn for_segment(&self, reader: &SegmentReader) -> FacetCounterSegment {
        FacetCounterSegment {
            reader: reader.clone(),
            fields: self.fields.clone(),
            read: self.read,
            marked: OnceCell::new(),
        }
    }

    /// The segments' counts added up, field by field.
    fn merge(&self, segments: Vec<tantivy::Result<FieldCounts>>) -> tantivy::Result<FieldCounts> {
        let mut merged: FieldCounts = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (total, counts) in merged.iter_mut().zip(segment?) {
                for (name, count) in counts {
                    *total.entry(name).or_insert(0) += count;
                }
            }
        }
        Ok(merged)
    }
}

/// [`FacetCounter`] over one segment.
pub(crate) struct FacetCounterSegment {
    reader: SegmentReader,
    fields: Vec<&'static str>,
    read: Read,
    /// The matches as a bit set, made for the first field counted from
    /// postings.
    marked: OnceCell<BitSet>,
}

impl FacetCounterSegment {
    /// The counts of each field over `matches` (in order) of this segment.
    fn count(&self, matches: &[DocId]) -> tantivy::Result<FieldCounts> {
        self.fields
            .iter()
            .map(|name| self.count_field(name, matches))
            .collect()
    }

    fn count_field(&self, name: &str, matches: &[DocId]) -> tantivy::Result<HashMap<String, u64>> {
        let mut counts = HashMap::new();
        if matches.is_empty() {
            return Ok(counts);
        }
        // The column's values are the field's values, one per paragraph
        // and value: as many as the postings of the values. A field with
        // none in this segment (no delegation speaks in these reports) has
        // nothing to count, and its inverted index is not opened: tantivy
        // builds an empty term dictionary for it, which took a tenth of a
        // whole search process.
        let Some(column) = self.reader.fast_fields().str(name)? else {
            return Ok(counts);
        };
        let postings_total = u64::from(column.ords().values.num_vals());
        if column.num_terms() == 0 || postings_total == 0 {
            return Ok(counts);
        }
        let matched = matches.len() as u64;
        let from_column = match self.read {
            Read::Cheaper => matched.saturating_mul(COLUMN_COST_IN_POSTINGS) < postings_total,
            #[cfg(test)]
            Read::Column => true,
            #[cfg(test)]
            Read::Postings => false,
        };
        if from_column {
            return count_from_column(&column, matches);
        }
        let field = self.reader.schema().get_field(name)?;
        let inverted = self.reader.inverted_index(field)?;
        // The values are the terms one level under the root; the root
        // itself is indexed too, as every facet's ancestor.
        let is_value = |key: &[u8]| key.contains(&0u8);
        let marked = self.marked.get_or_init(|| {
            let mut marked = BitSet::with_max_value(self.reader.max_doc().max(1));
            for &doc in matches {
                marked.insert(doc);
            }
            marked
        });
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            if !is_value(terms.key()) {
                continue;
            }
            let mut postings = inverted
                .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut count = 0;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                count += docs.iter().filter(|&&doc| marked.contains(doc)).count() as u64;
                postings.advance();
            }
            if count > 0 {
                counts.insert(value_name(terms.key().to_vec()), count);
            }
        }
        Ok(counts)
    }
}

/// The facet counts of [`FacetCounter`] and the report counts of
/// [`DocCounter`] over the same matches, listed once for both: as a pair of
/// collectors, each match went through both, a twentieth of a whole
/// `search --facets` process.
pub(crate) struct MatchCounts {
    facets: FacetCounter,
    reports: DocCounter,
}

impl MatchCounts {
    pub(crate) fn new(facets: FacetCounter, reports: DocCounter) -> MatchCounts {
        MatchCounts { facets, reports }
    }
}

impl Collector for MatchCounts {
    type Fruit = (FieldCounts, Vec<u64>);
    type Child = MatchCountsSegment;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<MatchCountsSegment> {
        Ok(MatchCountsSegment {
            matches: Vec::new(),
            facets: self.facets.for_segment(reader),
            reports: self.reports.for_segment(reader)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<(tantivy::Result<FieldCounts>, Vec<u64>)>,
    ) -> tantivy::Result<(FieldCounts, Vec<u64>)> {
        let (facets, reports): (Vec<_>, Vec<_>) = segments.into_iter().unzip();
        Ok((self.facets.merge(facets)?, self.reports.merge(reports)))
    }
}

/// [`MatchCounts`] over one segment.
pub(crate) struct MatchCountsSegment {
    /// The matching documents, in order.
    matches: Vec<DocId>,
    facets: FacetCounterSegment,
    reports: DocCounterSegment,
}

impl SegmentCollector for MatchCountsSegment {
    type Fruit = (tantivy::Result<FieldCounts>, Vec<u64>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.matches.push(doc);
    }

    fn harvest(self) -> Self::Fruit {
        let facets = self.facets.count(&self.matches);
        (facets, self.reports.count(self.matches))
    }
}

/// Counts a field from its column, match by match.
fn count_from_column(
    column: &StrColumn,
    matches: &[DocId],
) -> tantivy::Result<HashMap<String, u64>> {
    let mut counts = HashMap::new();
    let mut by_ord = vec![0u64; column.num_terms()];
    for &doc in matches {
        let mut previous = None;
        for ord in column.term_ords(doc) {
            if previous != Some(ord)
                && let Some(count) = by_ord.get_mut(ord as usize)
            {
                *count += 1;
            }
            previous = Some(ord);
        }
    }
    let mut bytes = Vec::new();
    for (ord, count) in by_ord.into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        bytes.clear();
        if column.ord_to_bytes(ord as u64, &mut bytes)? {
            counts.insert(value_name(bytes.clone()), count);
        }
    }
    Ok(counts)
}

/// The last part of an encoded facet path (`speaker\0Susan Keane` →
/// `Susan Keane`).
fn value_name(encoded: Vec<u8>) -> String {
    match Facet::from_encoded(encoded) {
        Ok(facet) => facet
            .to_path()
            .last()
            .map_or_else(String::new, |part| (*part).to_string()),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::FacetCollector;
    use tantivy::query::{AllQuery, Query, TermQuery};
    use tantivy::schema::{FacetOptions, STRING, Schema};
    use tantivy::{Index, IndexWriter, Term, doc};

    /// 3 segments of paragraphs with 0 to 3 speakers and one colour each.
    fn fixture() -> Index {
        let mut builder = Schema::builder();
        let speaker = builder.add_facet_field("speaker_facet", FacetOptions::default());
        let colour = builder.add_facet_field("colour_facet", FacetOptions::default());
        // Values in the first segment only; and none at all.
        let shape = builder.add_facet_field("shape_facet", FacetOptions::default());
        builder.add_facet_field("empty_facet", FacetOptions::default());
        let word = builder.add_text_field("word", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let names = ["Ana Lima", "Bo Chen", "Cy Dube", "Di Eze"];
        for segment in 0..3 {
            for i in 0..200usize {
                let mut doc = doc!(
                    word => if i % 3 == 0 { "three" } else { "other" },
                    colour => Facet::from_path(["colour", ["red", "blue"][i % 2]]),
                );
                if segment == 0 && i % 5 == 0 {
                    doc.add_facet(
                        shape,
                        Facet::from_path(["shape", ["round", "square"][i % 2]]),
                    );
                }
                for k in 0..(i + segment) % 4 {
                    doc.add_facet(speaker, Facet::from_path(["speaker", names[(i + k) % 4]]));
                }
                writer.add_document(doc).expect("added");
            }
            writer.commit().expect("committed");
        }
        index
    }

    /// tantivy's own counts, as name → count.
    fn reference(
        index: &Index,
        query: &dyn Query,
        field: &str,
        root: &str,
    ) -> HashMap<String, u64> {
        let mut collector = FacetCollector::for_field(field);
        collector.add_facet(root);
        let searcher = index.reader().expect("reader").searcher();
        let counts = searcher.search(query, &collector).expect("searched");
        counts
            .get(root)
            .map(|(facet, count)| (facet.to_path().last().expect("named").to_string(), count))
            .collect()
    }

    /// `counter`'s counts over the matches of `query`, listed by segment in
    /// order as [`MatchCounts`] hands them over.
    fn count(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        counter: &FacetCounter,
    ) -> FieldCounts {
        let found = searcher
            .search(query, &tantivy::collector::DocSetCollector)
            .expect("searched");
        let segments = searcher
            .segment_readers()
            .iter()
            .zip(0u32..)
            .map(|(reader, ord)| {
                let mut matches: Vec<DocId> = found
                    .iter()
                    .filter(|address| address.segment_ord == ord)
                    .map(|address| address.doc_id)
                    .collect();
                matches.sort_unstable();
                counter.for_segment(reader).count(&matches)
            })
            .collect();
        counter.merge(segments).expect("counted")
    }

    #[test]
    fn column_and_postings_count_as_tantivy_does() {
        let index = fixture();
        let searcher = index.reader().expect("reader").searcher();
        let word = index.schema().get_field("word").expect("word");
        let queries: Vec<Box<dyn Query>> = vec![
            Box::new(AllQuery),
            Box::new(TermQuery::new(
                Term::from_field_text(word, "three"),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_text(word, "none"),
                IndexRecordOption::Basic,
            )),
        ];
        for query in &queries {
            let expected = vec![
                reference(&index, &**query, "speaker_facet", "/speaker"),
                reference(&index, &**query, "colour_facet", "/colour"),
                reference(&index, &**query, "shape_facet", "/shape"),
                reference(&index, &**query, "empty_facet", "/empty"),
            ];
            for read in [Read::Cheaper, Read::Column, Read::Postings] {
                let counter = FacetCounter {
                    fields: vec![
                        "speaker_facet",
                        "colour_facet",
                        "shape_facet",
                        "empty_facet",
                    ],
                    read,
                };
                let counts = count(&searcher, &**query, &counter);
                assert_eq!(counts, expected, "{read:?} {query:?}");
            }
        }
        // The fixture is not trivial: every speaker and both colours count.
        let all = reference(&index, &AllQuery, "speaker_facet", "/speaker");
        assert_eq!(all.len(), 4);
        assert!(all.values().all(|&count| count > 100));
        let shapes = reference(&index, &AllQuery, "shape_facet", "/shape");
        assert_eq!(shapes.values().sum::<u64>(), 40);
        assert!(reference(&index, &AllQuery, "empty_facet", "/empty").is_empty());
    }
}
