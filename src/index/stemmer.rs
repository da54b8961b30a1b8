//! An English stemming token filter that remembers its stems.
//!
//! Stemming is the largest single cost of indexing: a report's vocabulary is
//! small and its words come back again and again, yet tantivy's `Stemmer`
//! runs the Snowball algorithm on every token. This filter gives the very
//! same stems (it calls the `frostem` stemmer tantivy itself uses) and keeps
//! the word → stem pairs it has computed, so a repeated word costs one hash
//! lookup.
//!
//! The memory belongs to the thread: indexing threads never share (or lock)
//! one, and a thread that searches again and again (snippets are stemmed
//! too) keeps its stems from one search to the next, although every search
//! clones the analyzer afresh. It holds at most [`MAX_REMEMBERED`] words and
//! is cleared when full.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rustc_hash::FxHasher;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words a thread remembers before it forgets them all (about 5 MB).
pub(crate) const MAX_REMEMBERED: usize = 50_000;

type Memory = HashMap<Box<str>, Box<str>, BuildHasherDefault<FxHasher>>;

thread_local! {
    /// This thread's word -> stem pairs.
    static MEMORY: RefCell<Memory> = RefCell::new(Memory::default());
}

/// English Snowball stemming, remembered. Expects lowercased tokens.
#[derive(Clone, Copy, Default)]
pub(crate) struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner: tokenizer,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

#[derive(Clone)]
pub(crate) struct MemoStemmerFilter<T> {
    inner: T,
    stemmer: frostem::Stemmer,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
        }
    }
}

pub(crate) struct MemoStemmerStream<'a, S> {
    tail: S,
    stemmer: &'a frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let stemmer = self.stemmer;
        let token = self.tail.token_mut();
        MEMORY.with_borrow_mut(|memory| {
            if let Some(stem) = memory.get(token.text.as_str()) {
                if **stem != token.text {
                    token.text.clear();
                    token.text.push_str(stem);
                }
                return;
            }
            let stem: Box<str> = stemmer.stem(&token.text).into();
            if memory.len() >= MAX_REMEMBERED {
                memory.clear();
            }
            memory.insert(token.text.as_str().into(), stem.clone());
            token.text.clear();
            token.text.push_str(&stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn gives_the_stems_of_tantivys_stemmer() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pag8-report.md"),
        )
        .expect("shipped report");
        let mut remembered = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoStemmer)
            .build();
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        // Twice: the second pass reads every stem from memory.
        for _ in 0..2 {
            let expected = tokens(&mut plain, &text);
            assert!(expected.len() > 5_000);
            assert_eq!(tokens(&mut remembered, &text), expected);
        }
        assert_eq!(
            tokens(&mut remembered, "Partnerships financing financed"),
            ["partnership", "financ", "financ"]
        );
    }

    #[test]
    fn keeps_offsets_and_positions() {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoStemmer)
            .build();
        let mut stream = analyzer.token_stream("waste wastes");
        let mut seen = Vec::new();
        while stream.advance() {
            let token = stream.token();
            seen.push((token.text.clone(), token.position, token.offset_from));
        }
        assert_eq!(seen, [("wast".into(), 0, 0), ("wast".into(), 1, 6)]);
    }

    #[test]
    fn forgets_when_full_and_stays_right() {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(MemoStemmer)
            .build();
        let words: Vec<String> = (0..MAX_REMEMBERED + 10)
            .map(|i| format!("w{i}ings"))
            .collect();
        let stems = tokens(&mut analyzer, &words.join(" "));
        assert_eq!(stems.len(), words.len());
        assert_eq!(stems.last().map(String::as_str), Some("w50009ing"));
        // Cleared once full: 50,010 new words left fewer than the bound.
        assert!(MEMORY.with_borrow(|memory| memory.len()) < MAX_REMEMBERED);
        assert_eq!(tokens(&mut analyzer, "meetings"), ["meet"]);
    }
}
