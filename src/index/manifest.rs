//! What an index knows besides its paragraphs, in two parts:
//!
//! - the [`Summary`], small, stored as the payload of the tantivy commit (so
//!   it changes atomically with the paragraphs) and read by every search: the
//!   taxonomy, the corpus's acronyms, people, document ids and years, and the
//!   name of the file map;
//! - the [`FileMap`] (each indexed file's content hash and place in document
//!   order), which only updates need, in `files-<generation>.json.zst` beside the
//!   index. A new generation is written before the commit that names it, and
//!   older ones are removed after, so an interrupted update leaves the
//!   committed summary pointing at an intact file map.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::index::SegmentId;

use super::duplicates::{self, SetAside};
use crate::report::{Acronym, Area, Person, ReportMeta, Taxonomy};

/// Version of the schema and manifest layout; an index written with another
/// version must be rebuilt.
pub(crate) const SCHEMA_VERSION: u32 = 6;

/// What the index knows about one source file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct FileEntry {
    /// xxh3-128 of the file's bytes, hex.
    pub hash: String,
    /// Sequence number giving the file's place in document order.
    pub seq: u64,
    /// Document id of the report.
    pub doc: String,
    pub units: usize,
    /// Meeting year (or distribution year).
    pub year: Option<u64>,
    #[serde(default)]
    pub acronyms: Vec<Acronym>,
    #[serde(default)]
    pub people: Vec<Person>,
    /// Whether [`FileEntry::doc`] comes from the report's symbol (not its
    /// file stem): files with one symbol are one document.
    #[serde(default)]
    pub from_symbol: bool,
    /// Distribution date (ISO 8601), else the meeting date: the newer
    /// version of a document is kept.
    #[serde(default)]
    pub distributed: Option<String>,
    /// Fingerprints of the numbered paragraphs, to find copies.
    #[serde(default)]
    pub fingerprint: Vec<u32>,
    /// Size in bytes when the file was last read.
    #[serde(default)]
    pub size: u64,
    /// Modification time when the file was last read, in nanoseconds since
    /// 1970; 0 when unknown or too recent to trust. A file whose size and
    /// modification time are as recorded is taken as unchanged unread.
    #[serde(default)]
    pub mtime: u64,
    /// Meeting date and meeting, for sorting and grouping searches; `None`
    /// in an index written before they were kept.
    #[serde(default)]
    pub keys: Option<FileKeys>,
}

/// What sorting and grouping need to know of a file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct FileKeys {
    /// Meeting date, else distribution date, ISO 8601.
    pub date: Option<String>,
    /// The meeting: the document id's meeting part ("PAG.8" of "PAG.8/7"),
    /// else the document id (a file stem).
    pub meeting: String,
}

impl FileKeys {
    pub fn of(meta: &ReportMeta) -> FileKeys {
        let meeting = match meta.id.rsplit_once('/') {
            Some((meeting, _)) if !meeting.is_empty() => meeting,
            _ => meta.id.as_str(),
        };
        FileKeys {
            date: meta
                .meeting_date
                .clone()
                .or_else(|| meta.distribution_date.clone()),
            meeting: meeting.to_string(),
        }
    }
}

/// A file's keys by sequence number in [`Summary::by_seq`]: its date as
/// `yyyymmdd` (0: none), and the places of its document id in
/// [`Summary::docs`] and of its meeting in [`Summary::meetings`]. Written as
/// a three-number array.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct SeqKeys(pub u32, pub u32, pub u32);

impl SeqKeys {
    pub fn date(self) -> u32 {
        self.0
    }
    pub fn doc(self) -> u32 {
        self.1
    }
    pub fn meeting(self) -> u32 {
        self.2
    }
}

/// An ISO date ("2017-09-22", "2017-09") as a number in date order
/// (20170922, 20170900); `None` when it does not read as one.
pub(crate) fn date_number(iso: &str) -> Option<u32> {
    let mut parts = iso.trim().splitn(3, '-');
    let year: u32 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    let mut part = || -> Option<u32> {
        match parts.next() {
            None => Some(0),
            Some(p) => p.get(..2.min(p.len()))?.parse().ok().filter(|n| *n <= 31),
        }
    };
    let month = part()?;
    let day = part()?;
    Some(year * 10_000 + month * 100 + day)
}

/// Indexed files by path, as walked.
pub(crate) type FileMap = BTreeMap<String, FileEntry>;

/// The commit payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Summary {
    pub version: u32,
    /// Incremented by every update; names the file map.
    pub generation: u64,
    pub next_seq: u64,
    /// The partnership areas units were tagged with.
    pub areas: Vec<Area>,
    /// The taxonomy's synonym groups, for searches.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    pub files: usize,
    pub paragraphs: usize,
    /// Document ids, sorted. Not in the commit payload: kept in the keys
    /// table of the generation ([`write_keys`]), read when a search needs it.
    #[serde(skip)]
    pub docs: Vec<String>,
    /// Meeting years, sorted.
    pub years: Vec<u64>,
    /// Acronyms across the corpus, each once (first definition wins).
    pub acronyms: Vec<Acronym>,
    /// Everyone named, once each (first organisation given wins), by name.
    pub people: Vec<Person>,
    /// Files searches do not see: copies and earlier versions of a report
    /// another file holds. Their paragraphs are stored, not counted.
    #[serde(default)]
    pub set_aside: Vec<SetAside>,
    /// Report files the updates walked but could not index (empty, binary,
    /// scanned, unreadable), with their size and modification time, so that
    /// they do not count as new files until they change.
    #[serde(default)]
    pub skipped: BTreeMap<String, (u64, u64)>,
    /// Each file's [`SeqKeys`], indexed by sequence number; empty when a
    /// file's keys are unknown (an index written before they were kept).
    /// Not in the commit payload, as `docs`.
    #[serde(skip)]
    pub by_seq: Vec<SeqKeys>,
    /// Meetings ([`FileKeys::meeting`]), sorted.
    #[serde(default)]
    pub meetings: Vec<String>,
}

impl Summary {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        Summary {
            version: SCHEMA_VERSION,
            generation: 0,
            next_seq: 0,
            areas: taxonomy.areas().to_vec(),
            synonyms: taxonomy.synonyms().to_vec(),
            files: 0,
            paragraphs: 0,
            docs: Vec::new(),
            years: Vec::new(),
            acronyms: Vec::new(),
            people: Vec::new(),
            set_aside: Vec::new(),
            skipped: BTreeMap::new(),
            by_seq: Vec::new(),
            meetings: Vec::new(),
        }
    }

    /// Recomputes the corpus-wide lists from the file map.
    pub fn describe(&mut self, files: &FileMap) {
        self.set_aside = duplicates::set_aside(files);
        let hidden: BTreeSet<&str> = self.set_aside.iter().map(|s| s.file.as_str()).collect();
        // Everything below counts the files searches see.
        let mut entries: Vec<&FileEntry> = files
            .iter()
            .filter(|(path, _)| !hidden.contains(path.as_str()))
            .map(|(_, entry)| entry)
            .collect();
        self.files = entries.len();
        self.paragraphs = entries.iter().map(|f| f.units).sum();
        entries.sort_by_key(|f| f.seq);
        self.docs = entries
            .iter()
            .map(|f| f.doc.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        self.years = entries
            .iter()
            .filter_map(|f| f.year)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut seen = BTreeSet::new();
        self.acronyms = entries
            .iter()
            .flat_map(|f| &f.acronyms)
            .filter(|a| seen.insert(a.short.to_ascii_lowercase()))
            .cloned()
            .collect();
        let mut people: BTreeMap<String, Person> = BTreeMap::new();
        for person in entries.iter().flat_map(|f| &f.people) {
            let known = people
                .entry(person.name.clone())
                .or_insert_with(|| person.clone());
            if known.organisation.is_none() {
                known.organisation.clone_from(&person.organisation);
            }
        }
        self.people = people.into_values().collect();
        self.describe_keys(&entries);
    }

    /// The table of [`SeqKeys`] and the meetings.
    fn describe_keys(&mut self, entries: &[&FileEntry]) {
        self.by_seq.clear();
        self.meetings.clear();
        if entries.iter().any(|f| f.keys.is_none()) {
            return;
        }
        let keys = || entries.iter().filter_map(|f| f.keys.as_ref());
        self.meetings = keys()
            .map(|k| k.meeting.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let len = entries.last().map_or(0, |f| f.seq as usize + 1);
        self.by_seq = vec![SeqKeys::default(); len];
        for file in entries {
            let Some(keys) = &file.keys else { continue };
            let place = |list: &[String], key: &str| {
                list.binary_search_by(|k| k.as_str().cmp(key))
                    .map_or(0, |i| i as u32)
            };
            self.by_seq[file.seq as usize] = SeqKeys(
                keys.date.as_deref().and_then(date_number).unwrap_or(0),
                place(&self.docs, &file.doc),
                place(&self.meetings, &keys.meeting),
            );
        }
    }

    /// File name of the file map of this generation.
    pub fn files_name(&self) -> String {
        files_name(self.generation)
    }
}

/// The file map of `generation`: JSON, zstd-compressed.
fn files_name(generation: u64) -> String {
    format!("files-{generation}.json.zst")
}

/// The keys table of `generation`: binary, zstd-compressed.
fn keys_name(generation: u64) -> String {
    format!("keys-{generation}.bin.zst")
}

/// What the keys table holds: [`Summary::docs`] and [`Summary::by_seq`],
/// which grow with the corpus and which only some searches need (reports
/// by name, grouping, sorting by date, report counts), so that opening the
/// index does not read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeysTable {
    pub docs: Vec<String>,
    pub by_seq: Vec<SeqKeys>,
}

/// First bytes of a keys table.
const KEYS_MAGIC: &[u8; 4] = b"PSK1";

/// Writes the keys table of `summary`'s generation durably: `PSK1`, the
/// number of documents and each (length, UTF-8 bytes), the number of
/// sequence numbers and each one's three keys, all little-endian u32,
/// zstd-compressed with a checksum.
pub(crate) fn write_keys(dir: &Path, summary: &Summary) -> std::io::Result<()> {
    let mut raw = Vec::with_capacity(16 + summary.docs.len() * 12 + summary.by_seq.len() * 12);
    raw.extend_from_slice(KEYS_MAGIC);
    let number = |raw: &mut Vec<u8>, n: usize| -> std::io::Result<()> {
        let n = u32::try_from(n).map_err(std::io::Error::other)?;
        raw.extend_from_slice(&n.to_le_bytes());
        Ok(())
    };
    number(&mut raw, summary.docs.len())?;
    for doc in &summary.docs {
        number(&mut raw, doc.len())?;
        raw.extend_from_slice(doc.as_bytes());
    }
    number(&mut raw, summary.by_seq.len())?;
    for keys in &summary.by_seq {
        for key in [keys.0, keys.1, keys.2] {
            raw.extend_from_slice(&key.to_le_bytes());
        }
    }
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3)?;
    encoder.include_checksum(true)?;
    std::io::Write::write_all(&mut encoder, &raw)?;
    let bytes = encoder.finish()?;
    let name = keys_name(summary.generation);
    let temporary = dir.join(format!("{name}.tmp"));
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&temporary, dir.join(name))
}

/// Reads the keys table of `summary`'s generation (empty for generation 0).
pub(crate) fn read_keys(dir: &Path, summary: &Summary) -> std::io::Result<KeysTable> {
    if summary.generation == 0 {
        return Ok(KeysTable::default());
    }
    let compressed = std::fs::read(dir.join(keys_name(summary.generation)))?;
    let raw = zstd::decode_all(compressed.as_slice())?;
    parse_keys(&raw)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "not a keys table"))
}

/// The keys table in `raw` (see [`write_keys`]); `None` when it does not
/// read as one.
fn parse_keys(raw: &[u8]) -> Option<KeysTable> {
    let mut rest = raw.strip_prefix(KEYS_MAGIC.as_slice())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let mut table = KeysTable::default();
    let read_u32 =
        |bytes: &[u8]| -> Option<u32> { Some(u32::from_le_bytes(bytes.try_into().ok()?)) };
    let count = read_u32(take(4)?)? as usize;
    for _ in 0..count {
        let len = read_u32(take(4)?)? as usize;
        table
            .docs
            .push(String::from_utf8(take(len)?.to_vec()).ok()?);
    }
    let count = read_u32(take(4)?)? as usize;
    for _ in 0..count {
        let keys = take(12)?;
        table.by_seq.push(SeqKeys(
            read_u32(&keys[0..4])?,
            read_u32(&keys[4..8])?,
            read_u32(&keys[8..12])?,
        ));
    }
    take(1).is_none().then_some(table)
}

/// Reads the file map named by `summary` (none yet for generation 0), or
/// only the fields of [`FileEntry`] that `T` has.
pub(crate) fn read_files<T: serde::de::DeserializeOwned>(
    dir: &Path,
    summary: &Summary,
) -> std::io::Result<BTreeMap<String, T>> {
    if summary.generation == 0 {
        return Ok(BTreeMap::new());
    }
    let compressed = std::fs::read(dir.join(summary.files_name()))?;
    let bytes = zstd::decode_all(compressed.as_slice())?;
    serde_json::from_slice(&bytes).map_err(std::io::Error::other)
}

/// Writes the file map of `summary`'s generation durably (temporary file,
/// sync, rename).
pub(crate) fn write_files(dir: &Path, summary: &Summary, files: &FileMap) -> std::io::Result<()> {
    let name = summary.files_name();
    let temporary = dir.join(format!("{name}.tmp"));
    let json = serde_json::to_vec(files).map_err(std::io::Error::other)?;
    // People and acronyms repeat from report to report: zstd makes the map
    // a tenth of its size.
    let bytes = zstd::encode_all(json.as_slice(), 3)?;
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&temporary, dir.join(name))
}

/// Removes file maps and keys tables of generations older than `summary`'s previous one (left
/// by earlier or interrupted updates). The previous one stays for searches
/// that opened the index just before this commit.
pub(crate) fn remove_stale_files(dir: &Path, summary: &Summary) {
    let previous = summary.generation.saturating_sub(1);
    let kept = [
        files_name(summary.generation),
        files_name(previous),
        keys_name(summary.generation),
        keys_name(previous),
    ];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if (name.starts_with("files-") || name.starts_with("keys-")) && !kept.contains(&name) {
            // Best effort: a leftover file costs only disk space.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The file listing the segments whose paragraphs run in document order.
pub(crate) const ORDERED_SEGMENTS: &str = "ordered-segments";

/// Writes the ids of `segments` (the segments in document order), one a
/// line, after a line with the xxh3 checksum of those lines. Only a hint: a
/// segment it does not name is ranked the slower way, with the same
/// results, and segment ids never come back, so a file older than the index
/// is still true of the segments it names.
pub(crate) fn write_ordered_segments(dir: &Path, segments: &[SegmentId]) -> std::io::Result<()> {
    let mut ids = String::new();
    for id in segments {
        ids.push_str(&id.uuid_string());
        ids.push('\n');
    }
    let text = format!("{:016x}\n{ids}", xxhash_rust::xxh3::xxh3_64(ids.as_bytes()));
    let temporary = dir.join(format!("{ORDERED_SEGMENTS}.tmp"));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, dir.join(ORDERED_SEGMENTS))
}

/// The segments [`write_ordered_segments`] named; none when there is no
/// such file, or it cannot be read or fails its checksum (a damaged hint
/// must not name a segment that is not in order).
pub(crate) fn read_ordered_segments(dir: &Path) -> HashSet<SegmentId> {
    let Ok(text) = std::fs::read_to_string(dir.join(ORDERED_SEGMENTS)) else {
        return HashSet::new();
    };
    let Some((checksum, ids)) = text.split_once('\n') else {
        return HashSet::new();
    };
    if format!("{:016x}", xxhash_rust::xxh3::xxh3_64(ids.as_bytes())) != checksum {
        return HashSet::new();
    }
    ids.lines()
        .filter_map(|line| SegmentId::from_uuid_string(line).ok())
        .collect()
}

/// Content hash of a file, as stored in [`FileEntry::hash`].
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// How a commit payload begins: the checksum of the summary's JSON, which
/// follows it.
const CHECKSUM_KEY: &str = "{\"checksum\":\"";

/// The commit payload of `summary`: its JSON, led by the xxh3 checksum of
/// that JSON (`{"checksum":"<16 hex digits>",` then the summary's fields),
/// so that `pagsearch check` finds a payload changed on disk. A summary
/// reads the same with or without it.
pub(crate) fn payload_of(summary: &Summary) -> serde_json::Result<String> {
    let json = serde_json::to_string(summary)?;
    let hash = xxhash_rust::xxh3::xxh3_64(json.as_bytes());
    let fields = json.strip_prefix('{').unwrap_or(&json);
    Ok(format!("{CHECKSUM_KEY}{hash:016x}\",{fields}"))
}

/// Whether a commit payload matches its checksum; `None` for a payload
/// written without one (an index written before checksums were kept).
pub(crate) fn payload_intact(payload: &str) -> Option<bool> {
    let rest = payload.strip_prefix(CHECKSUM_KEY)?;
    let (Some(hex), Some(after)) = (rest.get(..16), rest.get(16..)) else {
        return Some(false);
    };
    let (Ok(recorded), Some(fields)) = (u64::from_str_radix(hex, 16), after.strip_prefix("\","))
    else {
        return Some(false);
    };
    let json = format!("{{{fields}");
    Some(xxhash_rust::xxh3::xxh3_64(json.as_bytes()) == recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ordered_segments_list_is_read_back_only_when_whole() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_ordered_segments(dir.path()).is_empty());
        let ids = [SegmentId::generate_random(), SegmentId::generate_random()];
        write_ordered_segments(dir.path(), &ids).unwrap();
        assert_eq!(read_ordered_segments(dir.path()), HashSet::from(ids));
        // One digit changed: another valid id, but the checksum fails.
        let path = dir.path().join(ORDERED_SEGMENTS);
        let text = std::fs::read_to_string(&path).unwrap();
        let (checksum, lines) = text.split_once('\n').unwrap();
        let first = ids[0].uuid_string();
        let other = if first.starts_with('0') { "1" } else { "0" };
        let changed = lines.replacen(&first[..1], other, 1);
        std::fs::write(&path, format!("{checksum}\n{changed}")).unwrap();
        assert!(read_ordered_segments(dir.path()).is_empty());
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        assert!(read_ordered_segments(dir.path()).is_empty());
    }

    #[test]
    fn a_payload_carries_the_checksum_of_its_summary() {
        let mut summary = Summary::new(&Taxonomy::builtin());
        summary.meetings = vec!["PAG.8/7".to_string()];
        let payload = payload_of(&summary).unwrap();
        assert!(payload.starts_with("{\"checksum\":\""));
        assert_eq!(payload_intact(&payload), Some(true));
        // The summary reads the same with the checksum.
        let read: Summary = serde_json::from_str(&payload).unwrap();
        assert_eq!(read, summary);
        // A letter changed in a value, a checksum digit changed, the
        // checksum cut short: each is found.
        assert_eq!(
            payload_intact(&payload.replace("PAG.8/7", "PAG.8/1")),
            Some(false)
        );
        let digit = if payload.as_bytes()[13] == b'0' {
            "1"
        } else {
            "0"
        };
        let changed = format!("{}{digit}{}", &payload[..13], &payload[14..]);
        assert_eq!(payload_intact(&changed), Some(false));
        assert_eq!(payload_intact(&payload[..20]), Some(false));
        // A payload written before checksums has none to check.
        assert_eq!(
            payload_intact(&serde_json::to_string(&summary).unwrap()),
            None
        );
    }

    #[test]
    fn dates_read_as_numbers_in_date_order() {
        assert_eq!(date_number("2017-09-22"), Some(20170922));
        assert_eq!(date_number("2017-09"), Some(20170900));
        assert_eq!(date_number("2017"), Some(20170000));
        assert_eq!(date_number("22 September 2017"), None);
        assert!(date_number("2019-11-22") > date_number("2019-09-09"));
    }

    #[test]
    fn a_meeting_is_the_document_id_without_its_number() {
        let meta = |id: &str| ReportMeta {
            id: id.to_string(),
            distribution_date: Some("2017-11-16".to_string()),
            ..ReportMeta::default()
        };
        let keys = FileKeys::of(&meta("PAG.8/7"));
        assert_eq!(keys.meeting, "PAG.8");
        assert_eq!(keys.date.as_deref(), Some("2017-11-16"));
        assert_eq!(FileKeys::of(&meta("notes")).meeting, "notes");
    }
}
