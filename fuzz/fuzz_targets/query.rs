//! Fuzzes the query syntax parser, `pagsearch::query::parse`, on arbitrary
//! UTF-8 strings (other inputs are skipped).
//!
//! Properties checked:
//! - parsing never panics;
//! - on error, the error is an `Error::Query` whose `start..end` lies within
//!   the query, on character boundaries, and whose pointer has two lines;
//! - on success, every node's span lies within the query on character
//!   boundaries; every field filter names one of `FIELDS`, has a value that
//!   is not blank, and `query[value_span] == value` (for a quoted value too);
//!   `Seq`, `And` and `Or` have two or more children.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pagsearch::Error;
use pagsearch::query::{self, FIELDS, Node, Span};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match query::parse(text) {
        Ok(node) => check_node(text, &node),
        Err(Error::Query {
            start,
            end,
            pointer,
            ..
        }) => {
            check_span(text, Span::new(start, end), "error span");
            assert_eq!(pointer.lines().count(), 2, "pointer {pointer:?}");
        }
        Err(other) => panic!("query::parse failed with a non-query error: {other:?}"),
    }
});

fn check_span(query: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= query.len(),
        "{what} {span:?} outside a query of {} bytes",
        query.len()
    );
    assert!(
        query.is_char_boundary(span.start) && query.is_char_boundary(span.end),
        "{what} {span:?} not on character boundaries"
    );
}

fn check_node(query: &str, node: &Node) {
    check_span(query, node.span(), "node span");
    match node {
        Node::Word { .. } | Node::Phrase { .. } => {}
        Node::Field {
            name,
            value,
            span,
            value_span,
            ..
        } => {
            assert!(FIELDS.contains(&name.as_str()), "unknown field {name:?}");
            assert!(!value.trim().is_empty(), "blank value {value:?}");
            check_span(query, *value_span, "value span");
            assert!(
                span.start <= value_span.start && value_span.end <= span.end,
                "value span {value_span:?} outside field span {span:?}"
            );
            assert_eq!(
                &query[value_span.start..value_span.end],
                value,
                "value span {value_span:?} of {name}:"
            );
        }
        Node::Not { node: inner, .. } => check_node(query, inner),
        Node::Seq(children) | Node::And(children) | Node::Or(children) => {
            assert!(
                children.len() >= 2,
                "operator with {} children",
                children.len()
            );
            for child in children {
                check_node(query, child);
            }
        }
    }
}
