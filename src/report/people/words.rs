//! Words and sentences of a paragraph: the tokens every later pass of
//! attribution reads, and the punctuation tests on them (a possessive, a
//! word that ends a name, a sentence end that is not an abbreviation).

use std::borrow::Cow;

/// Whitespace-separated tokens of a paragraph, with sentence ranges.
pub(super) struct Tokens<'a> {
    pub(super) words: Vec<&'a str>,
    pub(super) sentences: Vec<std::ops::Range<usize>>,
    /// The paragraph text the words are slices of.
    text: &'a str,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        // Unit text is whitespace-normalised: words are separated by one
        // space (a byte loop: words are too short for memchr to pay off).
        let mut words: Vec<&str> = Vec::with_capacity(text.len() / 6);
        let mut start = 0;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if b == b' ' {
                if i > start {
                    words.push(&text[start..i]);
                }
                start = i + 1;
            }
        }
        if start < text.len() {
            words.push(&text[start..]);
        }
        let mut sentences = Vec::new();
        let mut start = 0;
        for i in 0..words.len() {
            let next_starts = words
                .get(i + 1)
                .and_then(|w| w.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "“\"‘(".contains(c));
            if next_starts && ends_sentence_token(words[i]) {
                sentences.push(start..i + 1);
                start = i + 1;
            }
        }
        if start < words.len() {
            sentences.push(start..words.len());
        }
        Tokens {
            words,
            sentences,
            text,
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
        core(self.words[i]).eq_ignore_ascii_case(word)
    }

    pub(super) fn lower(&self, i: usize) -> Cow<'a, str> {
        let word = core(self.words[i]);
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    }
}

pub(super) fn ends_sentence_token(word: &str) -> bool {
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

/// A word without leading/trailing punctuation and possessive.
pub(super) fn core(word: &str) -> &str {
    let leading = |c: char| matches!(c, '(' | '“' | '"' | '‘' | '\'' | '[');
    let trailing = |c: char| {
        matches!(
            c,
            ')' | '”' | '"' | '’' | '\'' | ']' | ',' | '.' | ';' | ':' | '!' | '?'
        )
    };
    let mut word = word;
    while let Some(c) = word.chars().next().filter(|&c| leading(c)) {
        word = &word[c.len_utf8()..];
    }
    while let Some(c) = word.chars().next_back().filter(|&c| trailing(c)) {
        word = &word[..word.len() - c.len_utf8()];
    }
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

pub(super) fn is_possessive(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.', ';', ':', ')']);
    word.ends_with("'s") || word.ends_with("’s") || word.ends_with("s'") || word.ends_with("s’")
}

/// Punctuation after the word that ends a name: "Halpaap," "Maag."
pub(super) fn has_trailing_punct(word: &str) -> bool {
    word.ends_with([',', '.', ';', ':', ')', '”', '"', '?', '!'])
}
