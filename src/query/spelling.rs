//! Spelling correction of free words from the index's own term dictionary.
//!
//! A word the paragraph text never holds ("finacing") is replaced by the
//! closest indexed term: Levenshtein distance 1 for words of up to five
//! letters, 2 for longer ones, a transposition counting as one edit
//! (tantivy's [`FuzzyTermQuery`] automaton streams the candidates out of the
//! term dictionary). Among candidates the nearest wins, then the most
//! frequent. Terms are stems (the text field is stemmed), so the correction
//! is shown in a form the hits use: [`surface_form`].

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::text::edit_distance;

/// Words of fewer letters are never corrected: too many real words lie
/// within one edit of them.
const MIN_LETTERS: usize = 4;
/// Words of up to this many letters are corrected within one edit, longer
/// ones within two.
const SHORT_WORD: usize = 5;

/// A free word searched as another.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Correction {
    /// The word as typed.
    pub typed: String,
    /// The word searched instead, as the matching paragraphs write it.
    pub searched: String,
}

/// A term of the index near an unknown one.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The indexed term (a stem).
    pub term: String,
    /// Edits from the unknown term.
    pub edits: usize,
    /// Paragraphs holding it.
    pub frequency: u64,
    /// A word the paragraphs write that analyses to it, when known.
    pub written: Option<String>,
}

/// The indexed terms of `field` near `term` (an analysed word the index
/// does not hold): within one edit for words of up to five letters, two for
/// longer ones; none for short words or words with digits.
pub(crate) fn candidates(searcher: &Searcher, field: Field, term: &str) -> Vec<Candidate> {
    let letters = term.chars().count();
    if letters < MIN_LETTERS || term.chars().any(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    let distance: u8 = if letters <= SHORT_WORD { 1 } else { 2 };
    let query = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
    let Ok(automaton) = query.automaton() else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if found.iter().any(|c| c.term == candidate) {
                continue;
            }
            found.push(Candidate {
                term: candidate.to_string(),
                edits: edit_distance(term, candidate),
                frequency: searcher
                    .doc_freq(&Term::from_field_text(field, candidate))
                    .unwrap_or(0),
                written: None,
            });
        }
    }
    found
}

/// Indexed terms one edit away from the word `typed` as written: a
/// misspelling can change how a word stems ("comunication" stems to
/// "comun", far from "communic"), so the written word's neighbours
/// ("communication") are analysed and looked up too.
pub(crate) fn written_neighbours(
    searcher: &Searcher,
    field: Field,
    typed: &str,
    analyze: impl Fn(&str) -> Vec<String>,
) -> Vec<Candidate> {
    let typed = typed.to_lowercase();
    let letters = typed.chars().count();
    if letters < MIN_LETTERS || !typed.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut found: Vec<Candidate> = Vec::new();
    for variant in one_edit(&typed) {
        let mut tokens = analyze(&variant);
        if tokens.len() != 1 {
            continue;
        }
        let term = tokens.remove(0);
        if found.iter().any(|c| c.term == term) {
            continue;
        }
        let frequency = searcher
            .doc_freq(&Term::from_field_text(field, &term))
            .unwrap_or(0);
        if frequency > 0 {
            found.push(Candidate {
                term,
                edits: 1,
                frequency,
                written: Some(variant),
            });
        }
    }
    found
}

/// Every ASCII lowercase word one edit from `word` (itself ASCII
/// lowercase): deletions, transpositions, substitutions, insertions.
fn one_edit(word: &str) -> Vec<String> {
    let bytes = word.as_bytes();
    let mut out = Vec::with_capacity(54 * bytes.len() + 26);
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap_or_default();
    for i in 0..bytes.len() {
        let mut deleted = bytes.to_vec();
        deleted.remove(i);
        out.push(text(deleted));
        if i + 1 < bytes.len() {
            let mut swapped = bytes.to_vec();
            swapped.swap(i, i + 1);
            out.push(text(swapped));
        }
        for letter in b'a'..=b'z' {
            if letter != bytes[i] {
                let mut substituted = bytes.to_vec();
                substituted[i] = letter;
                out.push(text(substituted));
            }
        }
    }
    for i in 0..=bytes.len() {
        for letter in b'a'..=b'z' {
            let mut inserted = bytes.to_vec();
            inserted.insert(i, letter);
            out.push(text(inserted));
        }
    }
    out
}

/// The best of `candidates` for the word `typed`: the nearest, then the
/// one whose written form (`written`, e.g. "financing" for the stem
/// "financ") is nearest to what was typed, then the most frequent. Stems
/// alone leave ties: "finacing" stems to "finac", one edit from both
/// "financ" and "final".
pub(crate) fn best<'c>(
    typed: &str,
    candidates: &'c [Candidate],
    written: impl Fn(&str) -> Option<String>,
) -> Option<&'c Candidate> {
    let typed = typed.to_lowercase();
    candidates.iter().min_by_key(|candidate| {
        let spelled = candidate
            .written
            .clone()
            .or_else(|| written(&candidate.term))
            .map_or(usize::MAX, |form| {
                edit_distance(&typed, &form.to_lowercase())
            });
        (
            candidate.edits,
            spelled,
            std::cmp::Reverse(candidate.frequency),
        )
    })
}

/// The first word of `texts` that `analyze` turns into `stem`, as written
/// ("financing" for the stem "financ"); the stem itself when none does.
pub(crate) fn surface_form<'t>(
    stem: &str,
    texts: impl IntoIterator<Item = &'t str>,
    analyze: impl Fn(&str) -> Vec<String>,
) -> String {
    for text in texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            // A cheap test first: a word starts like its stem.
            let starts_alike = word
                .chars()
                .zip(stem.chars())
                .take(3)
                .all(|(w, s)| w.to_lowercase().eq(std::iter::once(s)));
            if word.is_empty() || !starts_alike {
                continue;
            }
            if analyze(word).first().is_some_and(|token| token == stem) {
                return word.to_string();
            }
        }
    }
    stem.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpositions_cost_one_edit() {
        assert_eq!(edit_distance("finacing", "financing"), 1);
        assert_eq!(edit_distance("thermometr", "thermomet"), 1);
        assert_eq!(edit_distance("recieve", "receive"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn the_surface_form_is_a_word_of_the_hits() {
        let analyze = |word: &str| vec![word.to_lowercase().trim_end_matches("ing").to_string()];
        let texts = ["More financing.", "Financing was short."];
        assert_eq!(surface_form("financ", texts, analyze), "financing");
        assert_eq!(surface_form("zzz", texts, analyze), "zzz");
    }
}
