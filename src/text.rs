//! Small text helpers shared by every stage: case and accent folding, and the
//! character classes the report parser relies on.

/// Folds `text` for comparison: lowercase, common Latin accents removed
/// ("García" and "garcia" fold to the same string).
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            folded.push(ch.to_ascii_lowercase());
            continue;
        }
        match strip_accent(ch) {
            Some(base) => folded.push(base),
            None => folded.extend(ch.to_lowercase()),
        }
    }
    folded
}

/// The unaccented lowercase base letter of a common accented Latin letter.
fn strip_accent(ch: char) -> Option<char> {
    let base = match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'š' | 'Š' | 'ś' => 's',
        'ž' | 'Ž' | 'ź' | 'ż' => 'z',
        'ł' | 'Ł' => 'l',
        'ß' => 's',
        '’' | '‘' => '\'',
        _ => return None,
    };
    Some(base)
}

/// True when a paragraph ending in `text` ends a sentence (so a following block
/// is a new paragraph, not the rest of this one cut by a page break).
pub fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '*')
    });
    matches!(
        trimmed.chars().next_back(),
        Some('.' | '?' | '!' | ':' | ';' | '…')
    )
}

/// True when the first letter of `text` is lowercase (a continuation line).
pub fn starts_lowercase(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_lowercase())
}

/// True when the first character of `text` is an uppercase letter.
pub fn starts_uppercase(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_uppercase())
}

/// True when `stem` (a word before a period, without the period) is an
/// abbreviation such as "Mr", "e.g" or an initial, so the period does not end
/// a sentence.
pub fn is_abbreviation(stem: &str) -> bool {
    let single_initial = stem.chars().count() == 1 && stem.chars().all(char::is_uppercase);
    let dotted = stem.len() <= 5
        && stem.contains('.')
        && stem.chars().all(|c| c.is_alphabetic() || c == '.');
    single_initial
        || dotted
        || matches!(
            stem,
            "Mr" | "Ms"
                | "Mrs"
                | "Dr"
                | "Prof"
                | "St"
                | "No"
                | "Nos"
                | "Co"
                | "Inc"
                | "Ltd"
                | "Jr"
                | "Sr"
                | "vs"
                | "etc"
                | "al"
                | "approx"
                | "Art"
                | "Arts"
                | "para"
                | "paras"
                | "p"
                | "pp"
                | "Vol"
                | "Rev"
                | "Hon"
                | "Amb"
                | "Gen"
                | "Fig"
                | "cf"
        )
}

/// The sentence of `text` that holds the bytes `start..end`.
pub fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let bytes = text.as_bytes();
    // `i` indexes a '.', '?' or '!' followed by a space that ends a sentence.
    let is_boundary = |i: usize| {
        if !matches!(bytes[i], b'.' | b'?' | b'!') || bytes.get(i + 1) != Some(&b' ') {
            return false;
        }
        let before = &text[..i];
        let word = before.rsplit(' ').next().unwrap_or(before);
        bytes[i] != b'.' || !is_abbreviation(word.trim_start_matches(['(', '"', '“']))
    };
    let sentence_start = (0..start)
        .rev()
        .find(|&i| is_boundary(i))
        .map_or(0, |i| i + 2);
    let sentence_end = (end..bytes.len())
        .find(|&i| is_boundary(i))
        .map_or(text.len(), |i| i + 1);
    &text[sentence_start..sentence_end]
}

/// Optimal string alignment distance: the fewest insertions, deletions,
/// substitutions and swaps of adjacent characters that turn `a` into `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // distances[i][j]: distance between the first i chars of a and the first j of b.
    let mut distances = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in distances.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in distances[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (distances[i - 1][j] + 1)
                .min(distances[i][j - 1] + 1)
                .min(distances[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(distances[i - 2][j - 2] + 1);
            }
            distances[i][j] = best;
        }
    }
    distances[a.len()][b.len()]
}

/// Up to `count` of `known` closest to `value` (folded; a known value also
/// matches through any of its words, so "Kean" finds "Susan Keane"), best
/// first, leaving out the far-fetched.
pub fn closest<'k>(value: &str, known: &'k [String], count: usize) -> Vec<&'k str> {
    let wanted = fold(value);
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = known
        .iter()
        .map(|candidate| {
            let folded = fold(candidate);
            let whole = edit_distance(&wanted, &folded);
            let best_word = folded
                .split([' ', '-'])
                .map(|word| edit_distance(&wanted, word))
                .min()
                .unwrap_or(whole);
            let prefix = if folded.starts_with(&wanted) && !wanted.is_empty() {
                0
            } else {
                usize::MAX
            };
            (whole.min(best_word).min(prefix), candidate.as_str())
        })
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(count)
        .map(|(_, name)| name)
        .collect()
}

/// Ordinal words, "first" to "twentieth": meeting numbers as reports write
/// them ("the eighth meeting").
pub const ORDINALS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("García Gonzáles"), "garcia gonzales");
        assert_eq!(fold("ASGM"), "asgm");
    }

    #[test]
    fn finds_the_sentence_around_a_match() {
        let text =
            "Mr. Cuna spoke. Then Mr. Cuna invited Ms. Keane to the Products area. She said.";
        let at = text.find("Products").unwrap();
        assert_eq!(
            sentence_around(text, at, at + 8),
            "Then Mr. Cuna invited Ms. Keane to the Products area."
        );
    }

    #[test]
    fn suggests_close_values() {
        let known: Vec<String> = ["Susan Keane", "Jakob Maag", "Jacob Duer"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("Kean", &known, 3), ["Susan Keane"]);
        assert_eq!(closest("jacob", &known, 3), ["Jacob Duer", "Jakob Maag"]);
        assert!(closest("xyzzy", &known, 3).is_empty());
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("the meeting."));
        assert!(ends_sentence("questions were:"));
        assert!(ends_sentence("the “Report 2017.”"));
        assert!(!ends_sentence("coal-fired plants to"));
        assert!(!ends_sentence("Management of Chemicals"));
    }
}
