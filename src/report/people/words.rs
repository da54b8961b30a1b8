//! Words and sentences of a paragraph: the tokens every later pass of
//! attribution reads, and the punctuation tests on them (a possessive, a
//! word that ends a name, a sentence end that is not an abbreviation).

use unicode_segmentation::UnicodeSegmentation;

/// Whitespace-separated tokens of a paragraph, with sentence ranges.
pub(super) struct Tokens<'a> {
    pub(super) words: Vec<&'a str>,
    pub(super) sentences: Vec<std::ops::Range<usize>>,
    /// Each word without punctuation ([`core`]), computed once.
    cores: Vec<&'a str>,
    /// The paragraph text the words are slices of.
    text: &'a str,
    /// `text` in ASCII lowercase: the same byte offsets, so that a word's
    /// lowercase form is a slice of it, never an allocation.
    lowered: String,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        // Unit text is whitespace-normalised: words are separated by one space.
        let words = split_words(text);
        let mut sentences = Vec::new();
        let mut start = 0;
        for i in 0..words.len() {
            if !ends_sentence_token(words[i]) {
                continue;
            }
            let next_starts = words
                .get(i + 1)
                .and_then(|w| w.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "“\"‘(".contains(c));
            if next_starts {
                sentences.push(start..i + 1);
                start = i + 1;
            }
        }
        if start < words.len() {
            sentences.push(start..words.len());
        }
        let cores = words.iter().map(|w| core(w)).collect();
        Tokens {
            words,
            sentences,
            cores,
            text,
            lowered: text.to_ascii_lowercase(),
        }
    }

    /// The word at `i` stripped of surrounding punctuation, lowercased when
    /// ASCII (enough for the function words compared against).
    /// The text of the words `range`, as written.
    pub(super) fn span(&self, range: std::ops::Range<usize>) -> &'a str {
        if range.is_empty() {
            return "";
        }
        let offset = |word: &str| word.as_ptr() as usize - self.text.as_ptr() as usize;
        let start = offset(self.words[range.start]);
        let last = self.words[range.end - 1];
        &self.text[start..offset(last) + last.len()]
    }

    /// Whether the word at `i`, stripped of punctuation, is `word` (ASCII
    /// lowercase) in any case; no allocation.
    pub(super) fn is(&self, i: usize, word: &str) -> bool {
        self.cores[i].eq_ignore_ascii_case(word)
    }

    /// The word at `i` without punctuation ([`core`]).
    pub(super) fn core(&self, i: usize) -> &'a str {
        self.cores[i]
    }

    pub(super) fn lower(&self, i: usize) -> &str {
        let word = self.cores[i];
        if word.is_empty() {
            return "";
        }
        let start = word.as_ptr() as usize - self.text.as_ptr() as usize;
        &self.lowered[start..start + word.len()]
    }
}

/// The words of whitespace-normalised text. Spaces are found without a
/// branch per byte (an unconditional store, a conditional count), then the
/// words between them are cut.
fn split_words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let Ok(len) = u32::try_from(bytes.len()) else {
        return text.split(' ').filter(|word| !word.is_empty()).collect();
    };
    let mut spaces: Vec<u32> = vec![0; bytes.len() + 1];
    let mut count = 0;
    for (at, &b) in (0..len).zip(bytes) {
        spaces[count] = at;
        count += usize::from(b == b' ');
    }
    spaces[count] = len;
    let mut words = Vec::with_capacity(count + 1);
    let mut start = 0;
    for &end in &spaces[..=count] {
        let end = end as usize;
        if end > start {
            words.push(&text[start..end]);
        }
        start = end + 1;
    }
    words
}

pub(super) fn ends_sentence_token(word: &str) -> bool {
    // Cheap first: a sentence ends in ".", "?", "!" or a closing quotation
    // mark or bracket (the last byte of "”" and "’" is 0x9D and 0x99).
    if !matches!(
        word.as_bytes().last(),
        Some(b'.' | b'?' | b'!' | b'"' | b'\'' | b')' | 0x9D | 0x99)
    ) {
        return false;
    }
    let trimmed = word.trim_end_matches(['”', '"', '’', '\'', ')']);
    let Some(stem) = trimmed
        .strip_suffix('.')
        .or_else(|| trimmed.strip_suffix('?'))
        .or_else(|| trimmed.strip_suffix('!'))
    else {
        return false;
    };
    if trimmed.ends_with('.') {
        let bare = stem.trim_start_matches(['(', '“', '"']);
        if crate::text::is_abbreviation(bare) {
            return false;
        }
    }
    true
}

/// A word without leading/trailing punctuation and possessive. Tokens whose
/// only punctuation is ASCII (most of them, "Narváez," too) are trimmed of
/// the punctuation reports use; others are cut at Unicode word boundaries
/// (UAX #29, unicode-segmentation), so that any quotation mark or bracket
/// goes and "N’Diaye" stays whole.
#[inline]
pub(super) fn core(word: &str) -> &str {
    // Most tokens are a bare word: nothing to trim but a possessive ("'s",
    // "’s": the byte before the "s" is "'" or the last byte of "’").
    let bytes = word.as_bytes();
    let bare = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    let possessive = bytes.len() >= 2
        && bytes[bytes.len() - 1] == b's'
        && matches!(bytes[bytes.len() - 2], b'\'' | 0x99);
    if bare && !possessive {
        return word;
    }
    trimmed_core(word)
}

#[inline(never)]
fn trimmed_core(word: &str) -> &str {
    let ascii_punctuation =
        word.is_ascii() || word.chars().all(|c| c.is_ascii() || c.is_alphanumeric());
    let word = if ascii_punctuation {
        trim_ascii_punctuation(word)
    } else {
        word_span(word)
    };
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

fn trim_ascii_punctuation(word: &str) -> &str {
    // Byte offsets of ASCII punctuation are character boundaries.
    let bytes = word.as_bytes();
    let mut start = 0;
    while start < bytes.len() && matches!(bytes[start], b'(' | b'"' | b'\'' | b'[') {
        start += 1;
    }
    let mut end = bytes.len();
    while end > start
        && matches!(
            bytes[end - 1],
            b')' | b'"' | b'\'' | b']' | b',' | b'.' | b';' | b':' | b'!' | b'?'
        )
    {
        end -= 1;
    }
    &word[start..end]
}

/// From the first to the last word segment of `token` that holds a letter
/// or digit: "(Côte" → "Côte", "“Thought" → "Thought", "Jean-Pierre," →
/// "Jean-Pierre".
fn word_span(token: &str) -> &str {
    let mut span: Option<(usize, usize)> = None;
    for (at, segment) in token.split_word_bound_indices() {
        if segment.chars().any(char::is_alphanumeric) {
            let start = span.map_or(at, |(start, _)| start);
            span = Some((start, at + segment.len()));
        }
    }
    span.map_or("", |(start, end)| &token[start..end])
}

pub(super) fn is_possessive(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.', ';', ':', ')']);
    word.ends_with("'s") || word.ends_with("’s") || word.ends_with("s'") || word.ends_with("s’")
}

/// Punctuation after the word that ends a name: "Halpaap," "Maag."
pub(super) fn has_trailing_punct(word: &str) -> bool {
    word.ends_with([',', '.', ';', ':', ')', '”', '"', '?', '!'])
}
