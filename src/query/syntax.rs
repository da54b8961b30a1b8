//! User query syntax: turns what a user types into the search box into a
//! [`Node`] tree, or into a [`SyntaxError`] that points at the offending text.
//!
//! Grammar, from the loosest binding to the tightest:
//!
//! ```text
//! query    := or_expr EOF
//! or_expr  := and_expr ( "OR" and_expr )*
//! and_expr := seq ( "AND" seq )*
//! seq      := unary+                       implicit adjacency: `a b c`
//! unary    := "-" primary | primary        no space after the '-'
//! primary  := "(" or_expr ")" | FIELD ":" value | PHRASE | WORD
//! value    := PHRASE | WORD                no space after the ':'
//! ```
//!
//! - `OR` and `AND` are operators only in upper case and as whole tokens;
//!   `or` and `and` are ordinary words.
//! - A WORD is a run of characters other than whitespace, parentheses and
//!   opening quotes. It may contain `-`, `/`, `.`, `'`, digits and any letter
//!   or symbol (`chlor-alkali`, `PAG.8/7`); only a leading `-` means exclusion.
//! - A FIELD is a word of ASCII letters and `_` directly followed by `:`, and
//!   must be one of [`FIELDS`] (in any case). A word whose part before its
//!   first `:` is anything else (`10:30`) is a plain word.
//! - A PHRASE starts at `"` or `“` and ends at the next `"` or `”`; everything
//!   in between is literal.
//! - Whitespace is any Unicode whitespace, any control character, and the
//!   invisible separators U+200B, U+2060 and U+FEFF.
//!
//! For example, `(coal OR cement) AND speaker:"Susan Keane" -doc:PAG.8/6`
//! parses to `And[Or[coal, cement], Seq[speaker:"Susan Keane", Not[doc:PAG.8/6]]]`.

use crate::text::edit_distance;

use std::fmt;

/// The field names a query may filter on, as they appear (lowercase) in
/// [`Node::Field::name`](Node::Field); aliases included (see
/// [`FIELD_ALIASES`]).
pub const FIELDS: &[&str] = &[
    "area",
    "speaker",
    "agenda",
    "doc",
    "meeting",
    "year",
    "org",
    "delegation",
    "party",
    "group",
];

/// Other names of fields, and the field each names: `party:Canada` filters
/// as `delegation:Canada` does. The syntax tree keeps the name as typed.
pub const FIELD_ALIASES: &[(&str, &str)] = &[("party", "delegation")];

/// The field a name of [`FIELDS`] filters on: the name itself, or the field
/// an alias stands for (`party` → `delegation`).
///
/// ```
/// use pagsearch::query::canonical_field;
/// assert_eq!(canonical_field("party"), "delegation");
/// assert_eq!(canonical_field("speaker"), "speaker");
/// ```
pub fn canonical_field(name: &str) -> &str {
    FIELD_ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, field)| field)
}

/// How deeply parentheses may nest; deeper queries are rejected rather than
/// risk exhausting the stack.
const MAX_NESTING: usize = 32;

/// How many characters of a long query [`SyntaxError::render`] shows.
const RENDER_WIDTH: usize = 100;

/// A byte range `start..end` into the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The range from the start of `self` to the end of `last`.
    const fn to(self, last: Span) -> Span {
        Span::new(self.start, last.end)
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A free word, as typed (e.g. `chlor-alkali`).
    Word {
        /// The word.
        text: String,
        /// Where the word is.
        span: Span,
    },
    /// A quoted phrase of free words.
    Phrase {
        /// The text between the quotes, verbatim.
        text: String,
        /// Where the phrase is, quotes included.
        span: Span,
    },
    /// A field filter: `area:ASGM`, `speaker:"Susan Keane"`.
    Field {
        /// The field name as typed, lowercase; one of [`FIELDS`] (an alias
        /// stays an alias: [`canonical_field`] names the field it filters).
        name: String,
        /// The value, without quotes; never blank.
        value: String,
        /// Whether the value was a quoted phrase.
        quoted: bool,
        /// Where the whole filter is, from the name to the end of the value
        /// (closing quote included).
        span: Span,
        /// Where the value is, quotes excluded: `query[value_span] == value`.
        value_span: Span,
    },
    /// `-x`: exclude what `x` matches.
    Not {
        /// What to exclude.
        node: Box<Node>,
        /// Where the exclusion is, from the `-` to the end of `x` (closing
        /// parenthesis included).
        span: Span,
    },
    /// Implicit adjacency `a b c` (2+ children).
    Seq(Vec<Node>),
    /// Explicit `a AND b` (2+ children).
    And(Vec<Node>),
    /// `a OR b` (2+ children).
    Or(Vec<Node>),
}

impl Node {
    /// The byte range the node covers. For [`Node::Seq`], [`Node::And`] and
    /// [`Node::Or`] this runs from the start of the first child to the end of
    /// the last one, so parentheses around those children are not included.
    pub fn span(&self) -> Span {
        match self {
            Node::Word { span, .. }
            | Node::Phrase { span, .. }
            | Node::Field { span, .. }
            | Node::Not { span, .. } => *span,
            Node::Seq(children) | Node::And(children) | Node::Or(children) => {
                match (children.first(), children.last()) {
                    (Some(first), Some(last)) => first.span().to(last.span()),
                    _ => Span::default(),
                }
            }
        }
    }
}

/// Why a query could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong, for people (e.g. `unclosed '('`).
    pub message: String,
    /// The offending part of the query (empty at the end of an empty query).
    pub span: Span,
    /// The 1-based column, counted in characters, where `span` starts.
    pub column: usize,
}

impl SyntaxError {
    /// An error about `span` of `query`.
    pub fn new(query: &str, span: Span, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            span,
            column: char_index(query, span.start) + 1,
        }
    }

    /// Shows where the error is: two lines, the query (control characters
    /// and other whitespace as plain spaces) and under it a `^` below each
    /// character of the span (at least one). A query longer than 100
    /// characters is cut to a window around the error, with `…` at each cut
    /// end.
    ///
    /// ```text
    /// aera:ASGM speaker:Keane
    /// ^^^^
    /// ```
    pub fn render(&self, query: &str) -> String {
        let chars: Vec<char> = query
            .chars()
            .map(|ch| if is_space(ch) { ' ' } else { ch })
            .collect();
        let total = chars.len();
        let first = char_index(query, self.span.start);
        let last = char_index(query, self.span.end).max(first + 1);

        let (shown_start, shown_end) = if total <= RENDER_WIDTH {
            (0, total)
        } else {
            let caret_count = (last - first).min(RENDER_WIDTH);
            let context_before = (RENDER_WIDTH - caret_count) / 2;
            let end = (first.saturating_sub(context_before) + RENDER_WIDTH).min(total);
            (end.saturating_sub(RENDER_WIDTH), end)
        };

        let mut rendered = String::new();
        let mut caret_column = first.saturating_sub(shown_start);
        if shown_start > 0 {
            rendered.push('…');
            caret_column += 1;
        }
        rendered.extend(chars.iter().skip(shown_start).take(shown_end - shown_start));
        if shown_end < total {
            rendered.push('…');
        }
        let caret_count = last.min(shown_end).saturating_sub(first).max(1);
        rendered.push('\n');
        rendered.extend(std::iter::repeat_n(' ', caret_column));
        rendered.extend(std::iter::repeat_n('^', caret_count));
        rendered
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)
    }
}

impl std::error::Error for SyntaxError {}

/// Parses a user query.
///
/// Never panics: any input either parses or yields a [`SyntaxError`] whose
/// span lies within `query`, on character boundaries.
pub fn parse(query: &str) -> Result<Node, SyntaxError> {
    let tokens = tokenize(query)?;
    if tokens.is_empty() {
        return Err(SyntaxError::new(query, Span::new(0, 0), "empty query"));
    }
    let mut parser = Parser {
        query,
        tokens,
        next: 0,
        consumed_end: 0,
        nesting: 0,
    };
    let node = parser.or_expr()?;
    match parser.peek() {
        None => Ok(node),
        Some(token) => Err(parser.unexpected(token)),
    }
}

// ---------------------------------------------------------------------------
// Lexer

/// One lexical unit of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token<'q> {
    kind: TokenKind<'q>,
    span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind<'q> {
    OpenParen,
    CloseParen,
    /// A `-` at the start of a token (exclusion).
    Minus,
    Or,
    And,
    Word(&'q str),
    /// The text between the quotes.
    Phrase(&'q str),
    Field(FieldToken<'q>),
}

impl TokenKind<'_> {
    /// Whether a token of this kind can start a `primary`.
    fn starts_primary(&self) -> bool {
        matches!(
            self,
            TokenKind::OpenParen | TokenKind::Word(_) | TokenKind::Phrase(_) | TokenKind::Field(_)
        )
    }

    /// Whether a token of this kind can start a `unary`.
    fn starts_unary(&self) -> bool {
        *self == TokenKind::Minus || self.starts_primary()
    }
}

/// `name:value` as typed; checked by the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldToken<'q> {
    /// The name as typed (ASCII letters and `_`).
    name: &'q str,
    name_span: Span,
    /// The value without quotes; possibly empty.
    value: &'q str,
    value_span: Span,
    quoted: bool,
}

/// Splits the whole query into tokens.
fn tokenize(query: &str) -> Result<Vec<Token<'_>>, SyntaxError> {
    let mut lexer = Lexer { query, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

struct Lexer<'q> {
    query: &'q str,
    /// Byte offset of the next character; always on a char boundary.
    pos: usize,
}

impl<'q> Lexer<'q> {
    fn peek(&self) -> Option<char> {
        self.query.get(self.pos..)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    fn skip_while(&mut self, wanted: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&wanted) {
            self.bump();
        }
    }

    fn next_token(&mut self) -> Result<Option<Token<'q>>, SyntaxError> {
        self.skip_while(is_space);
        let start = self.pos;
        let Some(ch) = self.bump() else {
            return Ok(None);
        };
        let kind = match ch {
            '(' => TokenKind::OpenParen,
            ')' => TokenKind::CloseParen,
            '-' => TokenKind::Minus,
            _ if is_opening_quote(ch) => TokenKind::Phrase(self.phrase_after_quote(start)?.0),
            _ => {
                self.skip_while(is_word_char);
                self.word_or_field(start)?
            }
        };
        Ok(Some(Token {
            kind,
            span: Span::new(start, self.pos),
        }))
    }

    /// Reads the rest of a phrase whose opening quote, at `quote_start`, has
    /// just been consumed: its text, through the closing quote. Returns the
    /// text between the quotes and where it is.
    fn phrase_after_quote(&mut self, quote_start: usize) -> Result<(&'q str, Span), SyntaxError> {
        let text_start = self.pos;
        self.skip_while(|ch| !is_closing_quote(ch));
        let text_span = Span::new(text_start, self.pos);
        if self.bump().is_none() {
            let quote = Span::new(quote_start, text_start);
            return Err(SyntaxError::new(
                self.query,
                quote,
                "unterminated quote (a phrase needs a closing '\"')",
            ));
        }
        Ok((slice(self.query, text_span), text_span))
    }

    /// Classifies the word just read from `start`: an operator, a
    /// `name:value` field (reading a quoted value that follows the colon),
    /// or a plain word.
    fn word_or_field(&mut self, start: usize) -> Result<TokenKind<'q>, SyntaxError> {
        let text = slice(self.query, Span::new(start, self.pos));
        match text {
            "OR" => return Ok(TokenKind::Or),
            "AND" => return Ok(TokenKind::And),
            _ => {}
        }
        let Some((name, word_value)) = text.split_once(':').filter(|(name, _)| is_field_name(name))
        else {
            return Ok(TokenKind::Word(text));
        };
        let name_span = Span::new(start, start + name.len());
        let value_start = name_span.end + 1;
        let quote_start = self.pos;
        let (value, value_span, quoted) =
            if word_value.is_empty() && self.peek().is_some_and(is_opening_quote) {
                self.bump();
                let (value, value_span) = self.phrase_after_quote(quote_start)?;
                (value, value_span, true)
            } else {
                (word_value, Span::new(value_start, self.pos), false)
            };
        Ok(TokenKind::Field(FieldToken {
            name,
            name_span,
            value,
            value_span,
            quoted,
        }))
    }
}

/// Whether `ch` separates tokens.
fn is_space(ch: char) -> bool {
    ch.is_whitespace() || ch.is_control() || matches!(ch, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn is_opening_quote(ch: char) -> bool {
    matches!(ch, '"' | '“')
}

fn is_closing_quote(ch: char) -> bool {
    matches!(ch, '"' | '”')
}

fn is_word_char(ch: char) -> bool {
    !is_space(ch) && !is_opening_quote(ch) && !matches!(ch, '(' | ')')
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|ch| ch.is_ascii_alphabetic() || ch == '_')
}

/// Whether `text` has nothing but whitespace.
fn is_blank(text: &str) -> bool {
    text.chars().all(is_space)
}

/// `text[span]`, or `""` if the span does not fit (it always does for spans
/// made by this module).
fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or_default()
}

/// How many characters of `text` start before byte offset `byte`.
fn char_index(text: &str, byte: usize) -> usize {
    text.char_indices().take_while(|&(at, _)| at < byte).count()
}

// ---------------------------------------------------------------------------
// Parser

/// Recursive-descent parser over the token list; one method per grammar rule.
struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Token<'q>>,
    /// Index of the next token to consume.
    next: usize,
    /// Byte offset just past the last consumed token.
    consumed_end: usize,
    /// How many parentheses enclose the current position.
    nesting: usize,
}

impl<'q> Parser<'q> {
    fn peek(&self) -> Option<Token<'q>> {
        self.tokens.get(self.next).copied()
    }

    fn bump(&mut self) -> Option<Token<'q>> {
        let token = self.peek()?;
        self.next += 1;
        self.consumed_end = token.span.end;
        Some(token)
    }

    /// Consumes the next token if it is of `kind`.
    fn bump_if(&mut self, kind: TokenKind<'q>) -> Option<Token<'q>> {
        match self.peek() {
            Some(token) if token.kind == kind => self.bump(),
            _ => None,
        }
    }

    fn at_unary_start(&self) -> bool {
        self.peek().is_some_and(|token| token.kind.starts_unary())
    }

    fn error(&self, span: Span, message: impl Into<String>) -> SyntaxError {
        SyntaxError::new(self.query, span, message)
    }

    /// The error for a token that cannot appear where it is.
    fn unexpected(&self, token: Token<'q>) -> SyntaxError {
        let message = match token.kind {
            TokenKind::CloseParen => "unexpected ')' (no '(' to close)",
            TokenKind::Or => "dangling OR (it needs a search term on each side)",
            TokenKind::And => "dangling AND (it needs a search term on each side)",
            TokenKind::Minus => {
                "dangling '-' (write it right before what to exclude, as in -cement)"
            }
            _ => "unexpected search term",
        };
        self.error(token.span, message)
    }

    /// `or_expr := and_expr ( "OR" and_expr )*`
    fn or_expr(&mut self) -> Result<Node, SyntaxError> {
        let mut operands = vec![self.and_expr()?];
        while let Some(operator) = self.bump_if(TokenKind::Or) {
            if !self.at_unary_start() {
                return Err(self.unexpected(operator));
            }
            operands.push(self.and_expr()?);
        }
        Ok(collapse(operands, Node::Or))
    }

    /// `and_expr := seq ( "AND" seq )*`
    fn and_expr(&mut self) -> Result<Node, SyntaxError> {
        let mut operands = vec![self.seq()?];
        while let Some(operator) = self.bump_if(TokenKind::And) {
            if !self.at_unary_start() {
                return Err(self.unexpected(operator));
            }
            operands.push(self.seq()?);
        }
        Ok(collapse(operands, Node::And))
    }

    /// `seq := unary+`
    fn seq(&mut self) -> Result<Node, SyntaxError> {
        let mut items = vec![self.unary()?];
        while self.at_unary_start() {
            items.push(self.unary()?);
        }
        Ok(collapse(items, Node::Seq))
    }

    /// `unary := "-" primary | primary`, with no space after the `-`.
    fn unary(&mut self) -> Result<Node, SyntaxError> {
        let Some(minus) = self.bump_if(TokenKind::Minus) else {
            return self.primary();
        };
        let attached = self.peek().is_some_and(|operand| {
            operand.span.start == minus.span.end && operand.kind.starts_primary()
        });
        if !attached {
            return Err(self.unexpected(minus));
        }
        let node = self.primary()?;
        Ok(Node::Not {
            node: Box::new(node),
            span: Span::new(minus.span.start, self.consumed_end),
        })
    }

    /// `primary := "(" or_expr ")" | FIELD ":" value | PHRASE | WORD`
    fn primary(&mut self) -> Result<Node, SyntaxError> {
        let Some(token) = self.bump() else {
            let end = Span::new(self.query.len(), self.query.len());
            return Err(self.error(end, "unexpected end of query"));
        };
        match token.kind {
            TokenKind::Word(text) => Ok(Node::Word {
                text: text.to_owned(),
                span: token.span,
            }),
            TokenKind::Phrase(text) if is_blank(text) => {
                Err(self.error(token.span, "empty phrase (nothing between the quotes)"))
            }
            TokenKind::Phrase(text) => Ok(Node::Phrase {
                text: text.to_owned(),
                span: token.span,
            }),
            TokenKind::Field(field) => self.field(field, token.span),
            TokenKind::OpenParen => self.group(token.span),
            _ => Err(self.unexpected(token)),
        }
    }

    /// The rest of `"(" or_expr ")"` after the `(` at `open`.
    fn group(&mut self, open: Span) -> Result<Node, SyntaxError> {
        match self.peek() {
            None => return Err(self.error(open, "unclosed '('")),
            Some(close) if close.kind == TokenKind::CloseParen => {
                return Err(self.error(open.to(close.span), "empty parentheses"));
            }
            Some(_) if self.nesting >= MAX_NESTING => {
                let message = format!("parentheses nested too deeply (at most {MAX_NESTING})");
                return Err(self.error(open, message));
            }
            Some(_) => {}
        }
        self.nesting += 1;
        let inner = self.or_expr()?;
        self.nesting -= 1;
        match self.bump() {
            Some(close) if close.kind == TokenKind::CloseParen => Ok(inner),
            Some(other) => Err(self.unexpected(other)),
            None => Err(self.error(open, "unclosed '('")),
        }
    }

    /// Checks a `name:value` token and turns it into a [`Node::Field`].
    fn field(&self, field: FieldToken<'q>, span: Span) -> Result<Node, SyntaxError> {
        let name = field.name.to_ascii_lowercase();
        if !FIELDS.contains(&name.as_str()) {
            return Err(self.error(field.name_span, unknown_field_message(field.name)));
        }
        if is_blank(field.value) {
            let name_and_colon = Span::new(field.name_span.start, field.name_span.end + 1);
            let message = format!(
                "empty value for '{name}:' (put the value right after the colon, \
                 as in {name}:value or {name}:\"two words\")"
            );
            return Err(self.error(name_and_colon, message));
        }
        Ok(Node::Field {
            name,
            value: field.value.to_owned(),
            quoted: field.quoted,
            span,
            value_span: field.value_span,
        })
    }
}

/// `nodes` as one node: the only one, or all of them grouped by `group`.
fn collapse(nodes: Vec<Node>, group: fn(Vec<Node>) -> Node) -> Node {
    match <[Node; 1]>::try_from(nodes) {
        Ok([node]) => node,
        Err(nodes) => group(nodes),
    }
}

/// "unknown field 'x'", suggesting the nearest known field if there is a
/// close one, listing them all otherwise.
fn unknown_field_message(name: &str) -> String {
    let lowercase = name.to_ascii_lowercase();
    let nearest = FIELDS
        .iter()
        .filter(|known| known.len().abs_diff(lowercase.len()) <= 2)
        .map(|known| (edit_distance(&lowercase, known), *known))
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance);
    match nearest {
        Some((_, known)) => format!("unknown field '{name}' (did you mean '{known}'?)"),
        None => format!(
            "unknown field '{name}' (known fields: {})",
            FIELDS.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, start: usize, end: usize) -> Node {
        Node::Word {
            text: text.to_owned(),
            span: Span::new(start, end),
        }
    }

    fn phrase(text: &str, start: usize, end: usize) -> Node {
        Node::Phrase {
            text: text.to_owned(),
            span: Span::new(start, end),
        }
    }

    fn field(name: &str, value: &str, span: (usize, usize), value_span: (usize, usize)) -> Node {
        Node::Field {
            name: name.to_owned(),
            value: value.to_owned(),
            quoted: false,
            span: Span::new(span.0, span.1),
            value_span: Span::new(value_span.0, value_span.1),
        }
    }

    fn quoted_field(
        name: &str,
        value: &str,
        span: (usize, usize),
        value_span: (usize, usize),
    ) -> Node {
        Node::Field {
            name: name.to_owned(),
            value: value.to_owned(),
            quoted: true,
            span: Span::new(span.0, span.1),
            value_span: Span::new(value_span.0, value_span.1),
        }
    }

    fn not(node: Node, start: usize, end: usize) -> Node {
        Node::Not {
            node: Box::new(node),
            span: Span::new(start, end),
        }
    }

    fn parsed(query: &str) -> Node {
        match parse(query) {
            Ok(node) => {
                assert_spans_valid(query, &node);
                node
            }
            Err(error) => panic!("{query:?} failed: {error}\n{}", error.render(query)),
        }
    }

    fn failed(query: &str) -> SyntaxError {
        match parse(query) {
            Ok(node) => panic!("{query:?} parsed as {node:?}"),
            Err(error) => {
                assert_error_valid(query, &error);
                error
            }
        }
    }

    /// Asserts `query` fails with a message containing `key` at `start..end`.
    fn assert_error(query: &str, key: &str, start: usize, end: usize) -> SyntaxError {
        let error = failed(query);
        assert!(
            error.message.contains(key),
            "{query:?}: message {:?} lacks {key:?}",
            error.message
        );
        assert_eq!(
            error.span,
            Span::new(start, end),
            "{query:?}: {}",
            error.message
        );
        error
    }

    fn on_boundaries(query: &str, span: Span) -> bool {
        span.start <= span.end
            && span.end <= query.len()
            && query.is_char_boundary(span.start)
            && query.is_char_boundary(span.end)
    }

    fn assert_spans_valid(query: &str, node: &Node) {
        assert!(on_boundaries(query, node.span()), "{query:?}: {node:?}");
        match node {
            Node::Word { text, span } => assert_eq!(slice(query, *span), text),
            Node::Phrase { text, span } => {
                let inner = slice(query, *span);
                assert!(inner.contains(text.as_str()), "{query:?}: {node:?}");
            }
            Node::Field {
                name,
                value,
                span,
                value_span,
                ..
            } => {
                assert!(FIELDS.contains(&name.as_str()));
                assert!(on_boundaries(query, *value_span));
                assert_eq!(slice(query, *value_span), value);
                assert!(!is_blank(value));
                assert!(span.start < value_span.start && value_span.end <= span.end);
            }
            Node::Not { node: inner, span } => {
                assert!(slice(query, *span).starts_with('-'));
                assert!(span.start < inner.span().start && inner.span().end <= span.end);
                assert_spans_valid(query, inner);
            }
            Node::Seq(children) | Node::And(children) | Node::Or(children) => {
                assert!(children.len() >= 2, "{query:?}: {node:?}");
                for child in children {
                    assert_spans_valid(query, child);
                }
            }
        }
    }

    /// Checks the error's span and column, and that `render` gives two lines
    /// with the carets under the span's first character.
    fn assert_error_valid(query: &str, error: &SyntaxError) {
        assert!(on_boundaries(query, error.span), "{query:?}: {error:?}");
        let column = query
            .get(..error.span.start)
            .map(|before| before.chars().count() + 1);
        assert_eq!(Some(error.column), column);
        assert!(
            error
                .to_string()
                .ends_with(&format!(" at column {}", error.column))
        );

        let rendered = error.render(query);
        let lines: Vec<&str> = rendered.split('\n').collect();
        assert_eq!(lines.len(), 2, "{rendered:?}");
        let caret_column = lines[1].chars().take_while(|&ch| ch == ' ').count();
        let carets = &lines[1][caret_column..];
        assert!(
            !carets.is_empty() && carets.chars().all(|ch| ch == '^'),
            "{rendered:?}"
        );
        assert!(lines[0].chars().count() <= RENDER_WIDTH + 2, "{rendered:?}");
        assert!(caret_column + carets.len() <= lines[0].chars().count() + 1);
        if let Some(first) = query
            .get(error.span.start..)
            .and_then(|rest| rest.chars().next())
        {
            let expected = if is_space(first) { ' ' } else { first };
            assert_eq!(
                lines[0].chars().nth(caret_column),
                Some(expected),
                "{rendered:?}"
            );
        }
    }

    // -- The examples ------------------------------------------------------

    #[test]
    fn field_filters() {
        assert_eq!(
            parsed("area:ASGM speaker:Keane"),
            Node::Seq(vec![
                field("area", "ASGM", (0, 9), (5, 9)),
                field("speaker", "Keane", (10, 23), (18, 23)),
            ])
        );
    }

    #[test]
    fn free_words_with_hyphen_and_field() {
        assert_eq!(
            parsed("financing chlor-alkali conversion agenda:3"),
            Node::Seq(vec![
                word("financing", 0, 9),
                word("chlor-alkali", 10, 22),
                word("conversion", 23, 33),
                field("agenda", "3", (34, 42), (41, 42)),
            ])
        );
    }

    #[test]
    fn phrase_and_exclusion() {
        assert_eq!(
            parsed("\"mercury waste\" -cement"),
            Node::Seq(vec![
                phrase("mercury waste", 0, 15),
                not(word("cement", 17, 23), 16, 23),
            ])
        );
    }

    #[test]
    fn operators_groups_quoted_field_and_excluded_field() {
        assert_eq!(
            parsed("(coal OR cement) AND speaker:\"Susan Keane\" -doc:PAG.8/6"),
            Node::And(vec![
                Node::Or(vec![word("coal", 1, 5), word("cement", 9, 15)]),
                Node::Seq(vec![
                    quoted_field("speaker", "Susan Keane", (21, 42), (30, 41)),
                    not(field("doc", "PAG.8/6", (44, 55), (48, 55)), 43, 55),
                ]),
            ])
        );
    }

    #[test]
    fn natural_question() {
        assert_eq!(
            parsed("who chaired the meeting"),
            Node::Seq(vec![
                word("who", 0, 3),
                word("chaired", 4, 11),
                word("the", 12, 15),
                word("meeting", 16, 23),
            ])
        );
    }

    #[test]
    fn single_term_is_not_wrapped() {
        assert_eq!(parsed("mercury"), word("mercury", 0, 7));
        assert_eq!(parsed("  mercury  "), word("mercury", 2, 9));
        assert_eq!(parsed("((mercury))"), word("mercury", 2, 9));
    }

    // -- Precedence --------------------------------------------------------

    #[test]
    fn adjacency_binds_tighter_than_or() {
        assert_eq!(
            parsed("a b OR c d"),
            Node::Or(vec![
                Node::Seq(vec![word("a", 0, 1), word("b", 2, 3)]),
                Node::Seq(vec![word("c", 7, 8), word("d", 9, 10)]),
            ])
        );
    }

    #[test]
    fn adjacency_binds_tighter_than_and() {
        assert_eq!(
            parsed("a AND b c"),
            Node::And(vec![
                word("a", 0, 1),
                Node::Seq(vec![word("b", 6, 7), word("c", 8, 9)]),
            ])
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(
            parsed("a OR b AND c OR d"),
            Node::Or(vec![
                word("a", 0, 1),
                Node::And(vec![word("b", 5, 6), word("c", 11, 12)]),
                word("d", 16, 17),
            ])
        );
    }

    #[test]
    fn chains_are_flat() {
        assert_eq!(
            parsed("a AND b AND c"),
            Node::And(vec![word("a", 0, 1), word("b", 6, 7), word("c", 12, 13)])
        );
    }

    #[test]
    fn parentheses_group_without_a_node() {
        assert_eq!(
            parsed("(a OR b) c"),
            Node::Seq(vec![
                Node::Or(vec![word("a", 1, 2), word("b", 6, 7)]),
                word("c", 9, 10),
            ])
        );
        assert_eq!(
            parsed("(a OR b) OR c"),
            Node::Or(vec![
                Node::Or(vec![word("a", 1, 2), word("b", 6, 7)]),
                word("c", 12, 13),
            ])
        );
    }

    #[test]
    fn exclusion_of_a_group() {
        let query = "-(a OR b)";
        let node = parsed(query);
        assert_eq!(
            node,
            not(Node::Or(vec![word("a", 2, 3), word("b", 7, 8)]), 0, 9)
        );
        assert_eq!(node.span(), Span::new(0, 9));
    }

    #[test]
    fn exclusion_of_phrase_and_field() {
        assert_eq!(
            parsed("-\"cement kiln\" -area:ASGM"),
            Node::Seq(vec![
                not(phrase("cement kiln", 1, 14), 0, 14),
                not(field("area", "ASGM", (16, 25), (21, 25)), 15, 25),
            ])
        );
    }

    #[test]
    fn spans_of_groups() {
        let node = parsed("a b OR c d");
        assert_eq!(node.span(), Span::new(0, 10));
    }

    // -- Words, phrases and fields -----------------------------------------

    #[test]
    fn curly_quotes() {
        assert_eq!(parsed("“mercury waste”"), phrase("mercury waste", 0, 19));
        assert_eq!(
            parsed("speaker:“Susan Keane”"),
            quoted_field("speaker", "Susan Keane", (0, 25), (11, 22))
        );
        // Mixed straight and curly quotes still pair up.
        assert_eq!(parsed("\"mercury waste”"), phrase("mercury waste", 0, 17));
        assert_eq!(parsed("“mercury waste\""), phrase("mercury waste", 0, 17));
    }

    #[test]
    fn field_values_keep_dots_slashes_and_digits() {
        assert_eq!(
            parsed("doc:PAG.8/7"),
            field("doc", "PAG.8/7", (0, 11), (4, 11))
        );
        assert_eq!(parsed("year:2017"), field("year", "2017", (0, 9), (5, 9)));
        assert_eq!(
            parsed("meeting:10:30"),
            field("meeting", "10:30", (0, 13), (8, 13))
        );
        assert_eq!(parsed("org:-x"), field("org", "-x", (0, 6), (4, 6)));
    }

    #[test]
    fn range_values_reach_the_filter_whole() {
        assert_eq!(
            parsed("year:2017..2020"),
            field("year", "2017..2020", (0, 15), (5, 15))
        );
        assert_eq!(
            parsed("meeting:8..11"),
            field("meeting", "8..11", (0, 13), (8, 13))
        );
        assert_eq!(
            parsed("year:2019.."),
            field("year", "2019..", (0, 11), (5, 11))
        );
        assert_eq!(
            parsed("year:..2018"),
            field("year", "..2018", (0, 11), (5, 11))
        );
        assert_eq!(
            parsed("-year:2017..2018 mercury"),
            Node::Seq(vec![
                not(field("year", "2017..2018", (1, 16), (6, 16)), 0, 16),
                word("mercury", 17, 24),
            ])
        );
        assert_eq!(
            parsed("year:\"2017..2020\""),
            quoted_field("year", "2017..2020", (0, 17), (6, 16))
        );
    }

    #[test]
    fn malformed_ranges_are_left_to_the_filter() {
        // The grammar takes any value; the filter says what is wrong.
        assert_eq!(
            parsed("meeting:.."),
            field("meeting", "..", (0, 10), (8, 10))
        );
        assert_eq!(parsed("year:...."), field("year", "....", (0, 9), (5, 9)));
        assert_eq!(
            parsed("meeting:1..2..3"),
            field("meeting", "1..2..3", (0, 15), (8, 15))
        );
        assert_eq!(
            parsed("year:2020..2017"),
            field("year", "2020..2017", (0, 15), (5, 15))
        );
    }

    #[test]
    fn field_names_are_case_insensitive() {
        assert_eq!(parsed("AREA:ASGM"), field("area", "ASGM", (0, 9), (5, 9)));
        assert_eq!(
            parsed("Speaker:keane"),
            field("speaker", "keane", (0, 13), (8, 13))
        );
    }

    #[test]
    fn colon_words_that_are_not_fields() {
        assert_eq!(parsed("10:30"), word("10:30", 0, 5));
        assert_eq!(parsed(":x"), word(":x", 0, 2));
        assert_eq!(parsed("é:x"), word("é:x", 0, 4));
    }

    #[test]
    fn lowercase_operators_are_words() {
        assert_eq!(
            parsed("coal or cement and Or"),
            Node::Seq(vec![
                word("coal", 0, 4),
                word("or", 5, 7),
                word("cement", 8, 14),
                word("and", 15, 18),
                word("Or", 19, 21),
            ])
        );
        assert_eq!(parsed("ORGAN"), word("ORGAN", 0, 5));
    }

    #[test]
    fn words_keep_inner_punctuation_and_letters() {
        assert_eq!(
            parsed("Côte d'Ivoire mercury-free"),
            Node::Seq(vec![
                word("Côte", 0, 5),
                word("d'Ivoire", 6, 14),
                word("mercury-free", 15, 27),
            ])
        );
    }

    #[test]
    fn emoji_are_word_characters() {
        assert_eq!(
            parsed("🦀 mercury🦀"),
            Node::Seq(vec![word("🦀", 0, 4), word("mercury🦀", 5, 16)])
        );
    }

    #[test]
    fn control_characters_are_whitespace() {
        assert_eq!(
            parsed("coal\u{7}cement\tOR\nmercury\u{7f}"),
            Node::Or(vec![
                Node::Seq(vec![word("coal", 0, 4), word("cement", 5, 11)]),
                word("mercury", 15, 22),
            ])
        );
        assert_eq!(
            parsed("\u{feff}coal\u{a0}cement"),
            Node::Seq(vec![word("coal", 3, 7), word("cement", 9, 15)])
        );
    }

    #[test]
    fn everything_is_literal_inside_a_phrase() {
        let query = "\"-coal area: aera:x (OR AND) “ -\"";
        assert_eq!(
            parsed(query),
            phrase("-coal area: aera:x (OR AND) “ -", 0, query.len())
        );
    }

    #[test]
    fn quotes_and_parentheses_end_words() {
        assert_eq!(
            parsed("abc\"def\"(g)"),
            Node::Seq(vec![
                word("abc", 0, 3),
                phrase("def", 3, 8),
                word("g", 9, 10)
            ])
        );
        assert_eq!(
            parsed("area:ASGM\"x\""),
            Node::Seq(vec![
                field("area", "ASGM", (0, 9), (5, 9)),
                phrase("x", 9, 12),
            ])
        );
    }

    #[test]
    fn hyphen_inside_or_at_end_of_word_is_literal() {
        assert_eq!(
            parsed("a-b c-"),
            Node::Seq(vec![word("a-b", 0, 3), word("c-", 4, 6)])
        );
    }

    // -- Errors ------------------------------------------------------------

    #[test]
    fn empty_query() {
        assert_error("", "empty query", 0, 0);
        assert_error("   ", "empty query", 0, 0);
        assert_error("\u{1}\t\n\u{3000}", "empty query", 0, 0);
        assert_eq!(failed("").render(""), "\n^");
        assert_eq!(failed("  ").render("  "), "  \n^");
    }

    #[test]
    fn unterminated_quote() {
        let error = assert_error("\"mercury waste", "unterminated quote", 0, 1);
        assert_eq!(error.render("\"mercury waste"), "\"mercury waste\n^");
        assert_error("coal \"mercury", "unterminated quote", 5, 6);
        assert_error("speaker:\"Susan", "unterminated quote", 8, 9);
        assert_error("“mercury", "unterminated quote", 0, 3);
        assert_error("\"a\" \"b", "unterminated quote", 4, 5);
    }

    #[test]
    fn parentheses_errors() {
        let error = assert_error("(coal OR cement", "unclosed '('", 0, 1);
        assert_eq!(error.render("(coal OR cement"), "(coal OR cement\n^");
        assert_error("((coal) OR cement", "unclosed '('", 0, 1);
        assert_error("(", "unclosed '('", 0, 1);
        assert_error("coal (", "unclosed '('", 5, 6);

        let error = assert_error("coal)", "unexpected ')'", 4, 5);
        assert_eq!(error.render("coal)"), "coal)\n    ^");
        assert_error(")", "unexpected ')'", 0, 1);
        assert_error("(a) b)", "unexpected ')'", 5, 6);

        let error = assert_error("()", "empty parentheses", 0, 2);
        assert_eq!(error.render("()"), "()\n^^");
        assert_error("coal ( )", "empty parentheses", 5, 8);
    }

    #[test]
    fn dangling_operators() {
        let error = assert_error("OR coal", "dangling OR", 0, 2);
        assert_eq!(error.render("OR coal"), "OR coal\n^^");
        let error = assert_error("coal OR", "dangling OR", 5, 7);
        assert_eq!(error.render("coal OR"), "coal OR\n     ^^");
        assert_error("coal AND", "dangling AND", 5, 8);
        assert_error("coal OR OR cement", "dangling OR", 5, 7);
        assert_error("AND", "dangling AND", 0, 3);
        assert_error("coal AND OR cement", "dangling AND", 5, 8);
        assert_error("(coal OR) cement", "dangling OR", 6, 8);
        assert_error("coal OR )", "dangling OR", 5, 7);
        assert_error("coal\tAND", "dangling AND", 5, 8);
    }

    #[test]
    fn dangling_minus() {
        let error = assert_error("-", "dangling '-'", 0, 1);
        assert_eq!(error.render("-"), "-\n^");
        let error = assert_error("coal - cement", "dangling '-'", 5, 6);
        assert_eq!(error.render("coal - cement"), "coal - cement\n     ^");
        assert_error("coal -", "dangling '-'", 5, 6);
        assert_error("--coal", "dangling '-'", 0, 1);
        assert_error("-OR coal", "dangling '-'", 0, 1);
        assert_error("(coal -)", "dangling '-'", 6, 7);
        assert_error("coal OR -", "dangling '-'", 8, 9);
    }

    #[test]
    fn unknown_fields() {
        let error = assert_error(
            "aera:ASGM speaker:Keane",
            "unknown field 'aera' (did you mean 'area'?)",
            0,
            4,
        );
        assert_eq!(
            error.render("aera:ASGM speaker:Keane"),
            "aera:ASGM speaker:Keane\n^^^^"
        );
        assert_eq!(
            error.to_string(),
            "unknown field 'aera' (did you mean 'area'?) at column 1"
        );

        let error = assert_error(
            "coal colour:red",
            "unknown field 'colour' (known fields: area, speaker, agenda, doc, meeting, year, org, \
             delegation, party, group)",
            5,
            11,
        );
        assert_eq!(
            error.render("coal colour:red"),
            "coal colour:red\n     ^^^^^^"
        );
        assert_error("speakr:Keane", "did you mean 'speaker'?", 0, 6);
        assert_error(
            "Aera:x",
            "unknown field 'Aera' (did you mean 'area'?)",
            0,
            4,
        );
        assert_error("-yaer:2017", "did you mean 'year'?", 1, 5);
        assert_error("docs:\"x\"", "did you mean 'doc'?", 0, 4);
        assert_error("http://example.org", "unknown field 'http'", 0, 4);
        assert_error("(a OR bogus:x)", "known fields:", 6, 11);
        assert_error("delegaton:Canada", "did you mean 'delegation'?", 0, 9);
        assert_error("parti:Canada", "did you mean 'party'?", 0, 5);
    }

    #[test]
    fn an_alias_is_kept_as_typed_and_names_its_field() {
        assert_eq!(
            parsed("Party:Canada group:\"African States\""),
            Node::Seq(vec![
                field("party", "Canada", (0, 12), (6, 12)),
                quoted_field("group", "African States", (13, 35), (20, 34)),
            ])
        );
        for (alias, field) in FIELD_ALIASES {
            assert!(FIELDS.contains(alias) && FIELDS.contains(field));
            assert_eq!(canonical_field(alias), *field);
        }
        assert_eq!(canonical_field("delegation"), "delegation");
        assert_error("party:", "empty value for 'party:'", 0, 6);
    }

    #[test]
    fn empty_values() {
        let error = assert_error("speaker:", "empty value for 'speaker:'", 0, 8);
        assert_eq!(error.render("speaker:"), "speaker:\n^^^^^^^^");
        assert_error("speaker: Keane", "empty value for 'speaker:'", 0, 8);
        assert_error("speaker:\"\"", "empty value for 'speaker:'", 0, 8);
        assert_error("speaker:\"  \"", "empty value for 'speaker:'", 0, 8);
        assert_error("coal AREA:", "empty value for 'area:'", 5, 10);
        assert_error("area:(ASGM)", "empty value for 'area:'", 0, 5);
    }

    #[test]
    fn empty_phrase() {
        assert_error("coal \"\"", "empty phrase", 5, 7);
        assert_error("“ ”", "empty phrase", 0, 7);
    }

    #[test]
    fn lexical_errors_are_reported_first() {
        // The lexer runs first, so an unterminated quote is reported even
        // after a grammar error.
        assert_error("OR \"coal", "unterminated quote", 3, 4);
    }

    #[test]
    fn columns_count_characters() {
        let query = "é🦀 aera:x";
        let error = assert_error(query, "unknown field 'aera'", 7, 11);
        assert_eq!(error.column, 4);
        assert!(error.to_string().ends_with(" at column 4"));
        assert_eq!(error.render(query), "é🦀 aera:x\n   ^^^^");
    }

    #[test]
    fn render_replaces_control_characters() {
        let query = "coal\u{7}\u{7} OR";
        let error = assert_error(query, "dangling OR", 7, 9);
        assert_eq!(error.render(query), "coal   OR\n       ^^");
        let query = "coal\n\"x";
        assert_eq!(failed(query).render(query), "coal \"x\n     ^");
    }

    #[test]
    fn render_windows_long_queries() {
        // Error at the end: cut at the start only.
        let query = format!("{}OR", "a ".repeat(100));
        let error = assert_error(&query, "dangling OR", 200, 202);
        let rendered = error.render(&query);
        let expected = format!("…{}OR\n{}^^", "a ".repeat(49), " ".repeat(99));
        assert_eq!(rendered, expected);

        // Error at the start: cut at the end only.
        let query = format!("OR {}", "a ".repeat(100));
        let rendered = assert_error(&query, "dangling OR", 0, 2).render(&query);
        let expected = format!("OR {}…\n^^", "a ".repeat(48) + "a");
        assert_eq!(rendered, expected);

        // Error in the middle: cut at both ends, the span centred.
        let query = format!("{}aera:x {}", "a ".repeat(100), "b ".repeat(100));
        let rendered = assert_error(&query, "unknown field", 200, 204).render(&query);
        let (line, carets) = rendered.split_once('\n').unwrap_or_default();
        assert!(line.starts_with('…') && line.ends_with('…'));
        assert_eq!(line.chars().count(), RENDER_WIDTH + 2);
        assert_eq!(carets, format!("{}^^^^", " ".repeat(49)));
        assert!(
            line.chars()
                .skip(49)
                .collect::<String>()
                .starts_with("aera:x")
        );

        // A span longer than the window is clipped to it.
        let query = format!("\"{}", "x".repeat(300));
        let rendered = assert_error(&query, "unterminated quote", 0, 1).render(&query);
        assert_eq!(rendered.lines().nth(1), Some("^"));
        let long_field = format!("{}:x", "q".repeat(300));
        let rendered = failed(&long_field).render(&long_field);
        assert_eq!(
            rendered.lines().nth(1),
            Some("^".repeat(RENDER_WIDTH).as_str())
        );
    }

    #[test]
    fn render_survives_mismatched_query() {
        let error = failed("aera:ASGM speaker:Keane");
        assert_eq!(error.render(""), "\n^");
        assert_eq!(error.render("é"), "é\n^");
        let error = failed("coal OR");
        assert_eq!(error.render("é"), "é\n ^");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let query = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_error(&query, "nested too deeply", MAX_NESTING, MAX_NESTING + 1);
        let query = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(parsed(&query), word("a", MAX_NESTING, MAX_NESTING + 1));
        let query = "-(".repeat(5_000);
        failed(&query);
    }

    #[test]
    fn ten_thousand_character_queries() {
        let query = "mercury ".repeat(1_250);
        assert_eq!(query.chars().count(), 10_000);
        match parsed(&query) {
            Node::Seq(words) => assert_eq!(words.len(), 1_250),
            other => panic!("{other:?}"),
        }

        let query = "-".repeat(10_000);
        assert_error(&query, "dangling '-'", 0, 1);

        let query = format!("{}coal OR", "é".repeat(9_993));
        assert_eq!(query.chars().count(), 10_000);
        assert_error(&query, "dangling OR", query.len() - 2, query.len());

        let query = "a OR ".repeat(2_000);
        failed(&query);
    }

    // -- Robustness --------------------------------------------------------

    #[test]
    fn pseudo_random_queries_never_panic() {
        #[rustfmt::skip]
        const FRAGMENTS: &[&str] = &[
            "\"", "“", "”", "(", ")", "-", "--", "OR", "AND", "or", "area:", "speaker:\"x\"",
            "aera:", "doc:PAG.8/7", "10:30", ":", "é", "\u{7}", "\u{0}", "🦀", " ", "  ", "\t",
            "\u{3000}", "\u{feff}", "coal", "chlor-alkali", "mercury", "Keane", "a", "'", "/",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut parsed_count, mut failed_count) = (0, 0);
        for _ in 0..5_000 {
            let length = next() % 12;
            let query: String = (0..length)
                .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
                .collect();
            match parse(&query) {
                Ok(node) => {
                    assert_spans_valid(&query, &node);
                    parsed_count += 1;
                }
                Err(error) => {
                    assert_error_valid(&query, &error);
                    failed_count += 1;
                }
            }
        }
        // The mix exercises both outcomes.
        assert!(
            parsed_count > 200 && failed_count > 200,
            "{parsed_count} {failed_count}"
        );
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("aera", "area"), 1);
        assert_eq!(edit_distance("", "doc"), 3);
        assert_eq!(edit_distance("speakr", "speaker"), 1);
        assert_eq!(edit_distance("meting", "meeting"), 1);
        assert_eq!(edit_distance("year", "year"), 0);
    }
}
