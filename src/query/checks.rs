//! Checks on a query beyond its grammar, each failing with a message that
//! points at the problem: a query too long to be a search, control
//! characters, words with nothing in them to search for (emoji, symbols),
//! and queries made only of words so common that they match everything.

use std::sync::LazyLock;

use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, StopWordFilter, TextAnalyzer};

use super::syntax::{Node, Span, SyntaxError};

/// The longest query taken, in characters: a long paragraph, not a document.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Checks `query` before it is parsed: its length and its characters.
/// Tabs and line breaks (pasted text) are spaces; other control characters
/// are refused, as they are invisible in the terminal.
pub(super) fn check_text(query: &str) -> Result<(), SyntaxError> {
    if let Some((at, _)) = query.char_indices().nth(MAX_QUERY_CHARS) {
        let length = query.chars().count();
        return Err(SyntaxError::new(
            query,
            Span::new(at, query.len()),
            format!(
                "query too long: {length} characters, at most {MAX_QUERY_CHARS} are taken (search for its key words instead)"
            ),
        ));
    }
    if let Some((at, ch)) = query
        .char_indices()
        .find(|&(_, ch)| ch.is_control() && !matches!(ch, '\t' | '\n' | '\r'))
    {
        return Err(SyntaxError::new(
            query,
            Span::new(at, at + ch.len_utf8()),
            format!("control character U+{:04X} in the query", u32::from(ch)),
        ));
    }
    Ok(())
}

/// Checks the free words of a parsed query: a word with symbols but no
/// letter or digit (`🙂`, `→`) cannot be searched for; punctuation alone
/// (`–`, `&`) is passed over. A query of common words only (`the of and`),
/// with no filter to narrow it, would list nearly every paragraph.
pub(super) fn check_words(query: &str, node: &Node) -> Result<(), SyntaxError> {
    let mut words = Vec::new();
    let mut narrowed = false;
    collect_words(node, false, &mut words, &mut narrowed);
    let mut searched: Vec<&(&str, Span)> = Vec::with_capacity(words.len());
    for word in &words {
        let (text, span) = *word;
        if text.chars().any(char::is_alphanumeric) {
            searched.push(word);
            continue;
        }
        let symbolic = text
            .chars()
            .any(|ch| !ch.is_whitespace() && !is_punctuation(ch));
        if symbolic {
            return Err(SyntaxError::new(
                query,
                span,
                format!("'{text}' has no letter or digit to search for"),
            ));
        }
    }
    if !narrowed && !searched.is_empty() && searched.iter().all(|(text, _)| is_common(text)) {
        let span = Span::new(searched[0].1.start, searched[searched.len() - 1].1.end);
        let listed: Vec<&str> = searched.iter().map(|(text, _)| *text).collect();
        return Err(SyntaxError::new(
            query,
            span,
            format!(
                "only common words ({}), found in nearly every paragraph: add a word or a filter that says what you are looking for",
                listed.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The free words searched for (not excluded ones), and whether anything
/// else (a phrase, a filter) narrows the query.
fn collect_words<'q>(
    node: &'q Node,
    excluded: bool,
    words: &mut Vec<(&'q str, Span)>,
    narrowed: &mut bool,
) {
    match node {
        Node::Word { text, span } => {
            if !excluded {
                words.push((text, *span));
            }
        }
        Node::Phrase { .. } | Node::Field { .. } => *narrowed |= !excluded,
        Node::Not { node, .. } => collect_words(node, true, words, narrowed),
        Node::Seq(children) | Node::And(children) | Node::Or(children) => {
            for child in children {
                collect_words(child, excluded, words, narrowed);
            }
        }
    }
}

/// Punctuation marks (ASCII and the common typographic ones), as opposed to
/// symbols such as emoji, arrows or currency signs.
fn is_punctuation(ch: char) -> bool {
    ch.is_ascii_punctuation() && !matches!(ch, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~')
        || matches!(
            ch,
            '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '«' | '»' | '¿' | '¡' | '·' | '§' | '¶'
        )
}

/// True when every token of `word` is an English stop word (tantivy's list).
pub(crate) fn is_common(word: &str) -> bool {
    static STOP_WORDS: LazyLock<Option<TextAnalyzer>> = LazyLock::new(|| {
        let filter = StopWordFilter::new(Language::English)?;
        Some(
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(filter)
                .build(),
        )
    });
    let Some(analyzer) = STOP_WORDS.as_ref() else {
        return false;
    };
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(word);
    !stream.advance()
}

/// True for the words that make a question of a query ("who", "how",
/// "did", "say"): beside other words they only narrow the phrase.
pub(crate) fn is_question_word(word: &str) -> bool {
    const WORDS: [&str; 24] = [
        "who", "whom", "whose", "what", "which", "where", "when", "why", "how", "did", "does",
        "do", "can", "could", "would", "should", "say", "said", "says", "tell", "about", "many",
        "much", "get",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_error(query: &str) -> Option<String> {
        let node = super::super::syntax::parse(query).unwrap();
        check_words(query, &node).err().map(|e| e.to_string())
    }

    #[test]
    fn common_words_alone_are_refused_but_may_accompany_others() {
        assert!(
            words_error("the of and")
                .unwrap()
                .contains("only common words (the, of, and)")
        );
        assert_eq!(words_error("the Partnership"), None);
        assert_eq!(words_error("the speaker:Keane"), None);
        assert_eq!(words_error("\"the of\" and"), None);
        assert_eq!(words_error("mercury -the"), None);
    }

    #[test]
    fn symbols_without_letters_are_refused_and_punctuation_passed_over() {
        assert_eq!(
            words_error("mercury 🙂").unwrap(),
            "'🙂' has no letter or digit to search for at column 9"
        );
        assert_eq!(words_error("mercury – waste"), None);
        assert_eq!(words_error("coal & cement"), None);
        assert_eq!(words_error("€5"), None);
    }

    #[test]
    fn length_and_control_characters() {
        let long = "mercury ".repeat(200);
        let error = check_text(&long).unwrap_err();
        assert_eq!(error.column, MAX_QUERY_CHARS + 1);
        assert!(error.message.contains("1600 characters"));
        let error = check_text("mercury\u{7}waste").unwrap_err();
        assert_eq!(
            error.to_string(),
            "control character U+0007 in the query at column 8"
        );
        assert!(check_text("mercury\twaste\r\n").is_ok());
    }
}
