//! What an update holds in memory on its way to tantivy, bounded in bytes
//! rather than in counts, since one report can be as large as thousands
//! of others: the reports between the parse workers and the writer (a
//! worker waits before reading a file while others of many bytes are on
//! their way), and the documents queued for tantivy's indexing threads
//! (tantivy queues up to 10,000 documents, which for paragraphs of a very
//! large report is hundreds of megabytes). A [`Counted`] document gives its
//! bytes back when tantivy drops it, once indexed. And the memory a large
//! report's lines and paragraphs held is given back to the system as they
//! are done with ([`give_back_freed_memory`]). After the commit, no merge
//! joins more than [`MAX_MERGED_PARAGRAPHS`] ([`BoundedMerges`]).

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tantivy::TantivyDocument;
use tantivy::index::SegmentMeta;
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::schema::document::{Document, Value};

/// Paragraphs a merge may write into one segment.
///
/// A merge reads every segment it joins through memory-mapped files, and
/// all of them count in the process's resident memory while it runs.
/// tantivy's log merge policy joins eight segments of about the same size
/// at once: on 10,000 generated reports, one run in four flushed eight
/// segments of about 150,000 paragraphs and merged them all, and peaked at
/// 569 MB instead of 276–291 MB. No merge here writes more than this many
/// paragraphs (about 90 MB of index).
pub(crate) const MAX_MERGED_PARAGRAPHS: u32 = 300_000;

/// tantivy's [`LogMergePolicy`], each of its merges cut down to the
/// smallest of its segments that together hold at most
/// [`MAX_MERGED_PARAGRAPHS`] (and dropped when fewer than two are left).
///
/// With the index at hand ([`BoundedMerges::in_document_order`]), the
/// segments of a merge are named in document order (by the `order` of
/// their first paragraph): tantivy joins them in the order named, so
/// segments that each hold a run of the document order make a merged one
/// in document order too, which ranking reads less of (see
/// `index::ordered_segments`).
#[derive(Debug, Default)]
pub(crate) struct BoundedMerges {
    log: LogMergePolicy,
    index: Option<tantivy::Index>,
}

impl BoundedMerges {
    pub(crate) fn in_document_order(index: tantivy::Index) -> BoundedMerges {
        BoundedMerges {
            log: LogMergePolicy::default(),
            index: Some(index),
        }
    }

    /// The `order` of the first paragraph of `segment`; none when it
    /// cannot be read.
    fn first_order(&self, segment: &SegmentMeta) -> Option<u64> {
        let index = self.index.as_ref()?;
        let reader = tantivy::SegmentReader::open(&index.segment(segment.clone())).ok()?;
        let order = crate::index::schema::order_column(&reader).ok()?;
        (reader.max_doc() > 0).then(|| order.get_val(0))
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let paragraphs = |id: &tantivy::index::SegmentId| {
            segments
                .iter()
                .find(|segment| segment.id() == *id)
                .map_or(u32::MAX, SegmentMeta::num_docs)
        };
        self.log
            .compute_merge_candidates(segments)
            .into_iter()
            .filter_map(|MergeCandidate(mut ids)| {
                ids.sort_by_key(|id| paragraphs(id));
                let mut total: u64 = 0;
                let kept: Vec<_> = ids
                    .into_iter()
                    .take_while(|id| {
                        total += u64::from(paragraphs(id));
                        total <= u64::from(MAX_MERGED_PARAGRAPHS)
                    })
                    .collect();
                if kept.len() < 2 {
                    return None;
                }
                if self.index.is_some() {
                    let mut by_order: Vec<(Option<u64>, _)> = kept
                        .iter()
                        .map(|id| {
                            let meta = segments.iter().find(|segment| segment.id() == *id);
                            (meta.and_then(|meta| self.first_order(meta)), *id)
                        })
                        .collect();
                    by_order.sort_by_key(|(first, _)| *first);
                    return Some(MergeCandidate(
                        by_order.into_iter().map(|(_, id)| id).collect(),
                    ));
                }
                Some(MergeCandidate(kept))
            })
            .collect()
    }
}

/// Bytes of report files parsed or being parsed and not yet handed to the
/// writer whole: two large reports are not parsed at once.
pub(crate) const REPORT_BYTES_IN_FLIGHT: usize = 64 << 20;

/// Bytes of documents handed to tantivy and not yet indexed.
pub(crate) const DOCUMENT_BYTES_IN_FLIGHT: usize = 16 << 20;

/// How long the writer waits for room among the queued documents before it
/// hands one on anyway. An indexing thread that failed frees nothing more;
/// tantivy then refuses the next document, which ends the update, so the
/// wait never hangs.
const DOCUMENT_PATIENCE: Duration = Duration::from_millis(200);

/// A count of bytes in flight, with a cap that only makes waiters wait:
/// one item larger than the cap goes through when nothing else is in
/// flight. A waiter goes on once half the cap is free again, so that the
/// threads that free bytes wake it once per many items, not for each.
pub(crate) struct Gauge {
    state: Mutex<GaugeState>,
    changed: Condvar,
    cap: usize,
}

struct GaugeState {
    used: usize,
    /// Threads waiting for room: a release wakes them, and only then
    /// (a wake-up per indexed document would cost more than the indexing).
    waiting: usize,
    /// No more waiting: the update stopped.
    closed: bool,
}

impl Gauge {
    pub(crate) fn new(cap: usize) -> Gauge {
        Gauge {
            state: Mutex::new(GaugeState {
                used: 0,
                waiting: 0,
                closed: false,
            }),
            changed: Condvar::new(),
            cap,
        }
    }

    /// Whether `bytes` more must wait: they do not fit under the cap, or,
    /// for a waiter, under half of it.
    fn must_wait(&self, state: &GaugeState, bytes: usize, waited: bool) -> bool {
        let cap = if waited { self.cap / 2 } else { self.cap };
        state.used > 0 && state.used + bytes > cap
    }

    /// Waits until `bytes` more fit under the cap, or nothing else is in
    /// flight, and counts them. False, counting nothing, once the gauge is
    /// closed.
    pub(crate) fn acquire(&self, bytes: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waited = false;
        while !state.closed && self.must_wait(&state, bytes, waited) {
            waited = true;
            state.waiting += 1;
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.waiting -= 1;
        }
        if state.closed {
            return false;
        }
        state.used += bytes;
        true
    }

    /// [`Gauge::acquire`], waiting at most `patience`: the bytes are counted
    /// then, fitting or not.
    fn acquire_within(&self, bytes: usize, patience: Duration) {
        let deadline = Instant::now() + patience;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waited = false;
        while self.must_wait(&state, bytes, waited) {
            waited = true;
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            state.waiting += 1;
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            state.waiting -= 1;
        }
        state.used += bytes;
    }

    /// Gives back bytes counted by an acquire.
    pub(crate) fn release(&self, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.used = state.used.saturating_sub(bytes);
        if state.waiting > 0 && state.used <= self.cap / 2 {
            self.changed.notify_all();
        }
    }

    /// Lets every waiter go, and every later acquire fail.
    pub(crate) fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.closed = true;
        self.changed.notify_all();
    }
}

/// Closes its gauge when dropped: however the writer's loop ends, no worker
/// waits for bytes it will never give back.
pub(crate) struct CloseOnDrop<'a>(pub(crate) &'a Gauge);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Closes its gauge when a panicking thread drops it: a parse worker that
/// dies stops the others, so that the writer, which takes reports in file
/// order, is not left waiting for the one that worker held.
pub(crate) struct CloseOnPanic<'a>(pub(crate) &'a Gauge);

impl Drop for CloseOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.close();
        }
    }
}

/// A document queued for tantivy, its bytes counted in a gauge until
/// tantivy drops it.
pub(crate) struct Counted {
    doc: TantivyDocument,
    bytes: usize,
    gauge: Arc<Gauge>,
}

impl Counted {
    /// Waits for room for `doc` among the documents in flight (at most
    /// [`DOCUMENT_PATIENCE`]) and counts it.
    pub(crate) fn new(doc: TantivyDocument, gauge: &Arc<Gauge>) -> Counted {
        let bytes = weight(&doc);
        gauge.acquire_within(bytes, DOCUMENT_PATIENCE);
        Counted {
            doc,
            bytes,
            gauge: Arc::clone(gauge),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.gauge.release(self.bytes);
    }
}

impl Document for Counted {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(mut self) -> TantivyDocument {
        std::mem::take(&mut self.doc)
    }
}

/// Gives the memory freed so far back to the system. The C allocator keeps
/// what a thread freed for that thread's later allocations: the lines and
/// paragraphs of a large report, parsed by one worker, would otherwise stay
/// counted in the process's memory while tantivy's threads fill their own.
/// Called after a large report is parsed and as its paragraphs are handed
/// on, never for ordinary reports.
pub(crate) fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer and only returns free pages of
    // the allocator's own heaps to the system; glibc makes it thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// About the bytes a document holds: its texts, and a little for each value.
fn weight(doc: &TantivyDocument) -> usize {
    doc.iter_fields_and_values()
        .map(|(_, value)| 32 + value.as_str().map_or(0, str::len))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gauge_lets_one_large_item_through_and_makes_others_wait() {
        let gauge = Arc::new(Gauge::new(100));
        assert!(gauge.acquire(500));
        let waiter = {
            let gauge = Arc::clone(&gauge);
            std::thread::spawn(move || gauge.acquire(10))
        };
        std::thread::sleep(Duration::from_millis(20));
        assert!(!waiter.is_finished());
        gauge.release(500);
        assert!(waiter.join().unwrap());
        // Closed: waiters go, acquiring nothing.
        assert!(gauge.acquire(50));
        let waiter = {
            let gauge = Arc::clone(&gauge);
            std::thread::spawn(move || gauge.acquire(60))
        };
        gauge.close();
        assert!(!waiter.join().unwrap());
    }

    #[test]
    fn a_counted_document_gives_its_bytes_back_when_dropped() {
        let gauge = Arc::new(Gauge::new(1 << 20));
        let mut doc = TantivyDocument::default();
        let field = tantivy::schema::Field::from_field_id(0);
        doc.add_text(field, "x".repeat(1000));
        let counted = Counted::new(doc, &gauge);
        assert!(gauge.state.lock().unwrap().used >= 1000);
        drop(counted);
        assert_eq!(gauge.state.lock().unwrap().used, 0);
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use tantivy::index::SegmentId;

    fn segments(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        sizes
            .iter()
            .map(|&size| index.new_segment_meta(SegmentId::generate_random(), size))
            .collect()
    }

    fn merged_sizes(metas: &[SegmentMeta]) -> Vec<Vec<u32>> {
        BoundedMerges::default()
            .compute_merge_candidates(metas)
            .into_iter()
            .map(|MergeCandidate(ids)| {
                let mut sizes: Vec<u32> = ids
                    .iter()
                    .map(|id| {
                        metas
                            .iter()
                            .find(|meta| meta.id() == *id)
                            .expect("a listed segment")
                            .num_docs()
                    })
                    .collect();
                sizes.sort_unstable();
                sizes
            })
            .collect()
    }

    #[test]
    fn small_segments_merge_as_tantivy_merges_them() {
        let metas = segments(&[20_000; 8]);
        assert_eq!(merged_sizes(&metas), vec![vec![20_000; 8]]);
        // Fewer than eight of a size: no merge, as in tantivy's policy.
        assert!(merged_sizes(&segments(&[20_000; 7])).is_empty());
    }

    #[test]
    fn segments_are_merged_in_document_order() {
        use tantivy::schema::{FAST, Schema};
        let mut builder = Schema::builder();
        let order = builder.add_u64_field("order", FAST);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        // Eight segments, each a run of the document order, committed out
        // of that order.
        for run in [5u64, 2, 7, 0, 3, 6, 1, 4] {
            for i in 0..10 {
                writer
                    .add_document(tantivy::doc!(order => run * 100 + i))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        let metas = index.searchable_segment_metas().unwrap();
        let candidates =
            BoundedMerges::in_document_order(index.clone()).compute_merge_candidates(&metas);
        assert_eq!(candidates.len(), 1);
        let ids = candidates[0].0.clone();
        assert_eq!(ids.len(), 8);
        // Merged as named: the merged segment is in document order.
        let merged = writer.merge(&ids).wait().unwrap().unwrap();
        let reader = tantivy::SegmentReader::open(&index.segment(merged)).unwrap();
        assert_eq!(reader.max_doc(), 80);
        assert!(crate::index::in_document_order(&reader).unwrap());
        // A segment whose `order` falls once is not in document order.
        for value in [900u64, 901, 800, 801] {
            writer.add_document(tantivy::doc!(order => value)).unwrap();
        }
        writer.commit().unwrap();
        let falling = index
            .searchable_segment_metas()
            .unwrap()
            .into_iter()
            .find(|meta| meta.num_docs() == 4)
            .unwrap();
        let reader = tantivy::SegmentReader::open(&index.segment(falling)).unwrap();
        assert!(!crate::index::in_document_order(&reader).unwrap());
    }

    #[test]
    fn no_merge_writes_more_than_the_cap() {
        // Eight segments as a 10,000-report corpus flushes them: the two
        // smallest are merged, not all eight.
        let sizes = [
            150_000, 151_000, 152_000, 149_000, 150_500, 148_000, 153_000, 150_200,
        ];
        assert_eq!(
            merged_sizes(&segments(&sizes)),
            vec![vec![148_000, 149_000]]
        );
        // A segment over the cap on its own is never merged.
        assert!(merged_sizes(&segments(&[400_000; 8])).is_empty());
    }
}

#[cfg(test)]
mod gauge_tests {
    use super::*;

    #[test]
    fn a_thread_that_panics_closes_the_gauge_and_one_that_ends_does_not() {
        let ended = Gauge::new(10);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _stop_all = CloseOnPanic(&ended);
            });
        });
        assert!(ended.acquire(1));

        let panicked = Gauge::new(10);
        let outcome = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _stop_all = CloseOnPanic(&panicked);
                    panic!("a parse worker dies");
                })
                .join()
        });
        assert!(outcome.is_err());
        // A worker waiting for room gives up instead of waiting forever.
        assert!(!panicked.acquire(1));
    }
}
