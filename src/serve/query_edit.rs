//! Editing the text of a query the way a person would: adding a filter a
//! facet names, or taking it out again. The page shows the edited text in
//! the search box, so that a click teaches the syntax.

/// The filter `field:value`, the value in quotes when it holds a space or a
/// character the syntax reads (`speaker:"Susan Keane"`, `doc:PAG.8/7`).
pub fn filter(field: &str, value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '(' | ')' | ':'));
    if plain {
        format!("{field}:{value}")
    } else {
        // A quote cannot be written inside quotes: it is left out.
        let value: String = value.chars().filter(|&c| c != '"').collect();
        format!("{field}:\"{value}\"")
    }
}

/// The query split into its space-separated terms, a quoted part (`"mercury
/// waste"`, `speaker:"Susan Keane"`) kept whole.
fn terms(query: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in query.char_indices() {
        if c == '"' {
            quoted = !quoted;
        }
        match (start, c.is_whitespace() && !quoted) {
            (None, false) => start = Some(i),
            (Some(from), true) => {
                terms.push(&query[from..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        terms.push(&query[from..]);
    }
    terms
}

/// Whether the query holds `filter` as one of its terms (case aside).
pub fn has(query: &str, filter: &str) -> bool {
    terms(query).iter().any(|t| t.eq_ignore_ascii_case(filter))
}

/// The query with `filter` taken out when it holds it, added at the end
/// when not.
pub fn toggle(query: &str, filter: &str) -> String {
    if has(query, filter) {
        let kept: Vec<&str> = terms(query)
            .into_iter()
            .filter(|t| !t.eq_ignore_ascii_case(filter))
            .collect();
        kept.join(" ")
    } else if query.trim().is_empty() {
        filter.to_string()
    } else {
        format!("{} {filter}", query.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_spaces_or_syntax_are_quoted() {
        assert_eq!(filter("area", "asgm"), "area:asgm");
        assert_eq!(filter("doc", "PAG.8/7"), "doc:PAG.8/7");
        assert_eq!(filter("speaker", "Susan Keane"), "speaker:\"Susan Keane\"");
        assert_eq!(
            filter("speaker", "O'Neil (Chair)"),
            "speaker:\"O'Neil (Chair)\""
        );
        assert_eq!(filter("speaker", "a \"b\""), "speaker:\"a b\"");
    }

    #[test]
    fn a_filter_is_added_then_taken_out() {
        let added = toggle("financing  chlor-alkali", "area:asgm");
        assert_eq!(added, "financing  chlor-alkali area:asgm");
        assert_eq!(toggle(&added, "area:asgm"), "financing chlor-alkali");
        assert_eq!(toggle("", "agenda:3"), "agenda:3");
        // As the user typed it, case aside.
        assert_eq!(toggle("mercury area:ASGM", "area:asgm"), "mercury");
    }

    #[test]
    fn quoted_terms_stay_whole() {
        let query = "\"mercury waste\" speaker:\"Susan Keane\" agenda:3";
        assert_eq!(
            terms(query),
            ["\"mercury waste\"", "speaker:\"Susan Keane\"", "agenda:3"]
        );
        assert!(has(query, "speaker:\"susan keane\""));
        assert_eq!(
            toggle(query, "speaker:\"Susan Keane\""),
            "\"mercury waste\" agenda:3"
        );
        // An unclosed quote runs to the end.
        assert_eq!(terms("a \"b c"), ["a", "\"b c"]);
        // An excluded filter is another term.
        assert!(!has("-area:asgm", "area:asgm"));
    }
}
