//! Acronyms a report defines, as in "Minamata Initial Assessments (MIAs)":
//! the long form is the shortest run of words before the parenthesis whose
//! initials spell the acronym in order (a few unrelated words and the small
//! words "of", "and", "the" may sit between them).

use serde::{Deserialize, Serialize};

/// An acronym and the long form the report gives for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acronym {
    /// The acronym without a plural "s": `"MIA"` for "(MIAs)".
    pub short: String,
    /// The long form as written: `"Minamata Initial Assessments"`.
    pub long: String,
}

/// Adds the acronyms defined in `text` to `found` (first definition wins).
pub(crate) fn collect(text: &str, found: &mut Vec<Acronym>) {
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| from + i) {
        from = open + 1;
        let Some(close) = text[open..].find(')').map(|i| open + i) else {
            break;
        };
        // "UNEP(ED)" is part of a symbol, not a definition.
        if !text[..open].ends_with(' ') {
            continue;
        }
        let Some(short) = acronym_key(&text[open + 1..close]) else {
            continue;
        };
        if found.iter().any(|a| a.short == short) {
            continue;
        }
        if let Some(long) = long_form(&text[..open], &short) {
            found.push(Acronym { short, long });
        }
    }
}

/// "MIAs" → "MIA"; `None` unless the text looks like an acronym.
fn acronym_key(inner: &str) -> Option<String> {
    let inner = inner.trim();
    let uppercase = inner.chars().filter(|c| c.is_uppercase()).count();
    let plausible = (2..=12).contains(&inner.len())
        && uppercase >= 2
        && inner.chars().next().is_some_and(char::is_uppercase)
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || c == '&' || c == '-');
    if !plausible {
        return None;
    }
    let key = match inner.strip_suffix('s') {
        Some(stem) if stem.ends_with(|c: char| c.is_uppercase()) => stem,
        _ => inner,
    };
    Some(key.to_string())
}

fn is_small_word(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "of" | "and" | "the" | "for" | "on" | "in" | "to" | "a" | "an" | "de" | "&"
    )
}

/// Finds the long form of `short` at the end of `before`.
fn long_form(before: &str, short: &str) -> Option<String> {
    let letters: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let window = letters.len() * 2 + 3;
    let words: Vec<&str> = before.split_whitespace().rev().take(window).collect();
    let mut remaining = letters.len();
    let mut skipped = 0;
    for (taken, word) in words.iter().enumerate() {
        let clean = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if clean.is_empty() {
            continue;
        }
        // Hyphenated words offer each part's initial, last part first.
        let mut matched_any = false;
        for part in clean.rsplit('-') {
            let Some(initial) = part
                .chars()
                .next()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
            else {
                continue;
            };
            if remaining > 0 && initial == letters[remaining - 1] {
                // The long form may not start with a small word.
                if remaining == 1 && is_small_word(part) {
                    continue;
                }
                remaining -= 1;
                matched_any = true;
            }
        }
        if remaining == 0 {
            let long: Vec<&str> = words[..=taken].iter().rev().copied().collect();
            let long = long.join(" ");
            let long = long.trim_matches(|c: char| !c.is_alphanumeric());
            return Some(long.to_string());
        }
        if !matched_any && !is_small_word(clean) {
            skipped += 1;
            if skipped > 2 {
                return None;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(text: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        collect(text, &mut found);
        found.into_iter().map(|a| (a.short, a.long)).collect()
    }

    #[test]
    fn finds_definitions() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            defined("to do the Minamata Initial Assessments (MIAs), it was"),
            pairs(&[("MIA", "Minamata Initial Assessments")])
        );
        assert_eq!(
            defined("supply to artisanal and small-scale gold mining (ASGM)."),
            pairs(&[("ASGM", "artisanal and small-scale gold mining")])
        );
        assert_eq!(
            defined(
                "the Inter-Organization Programme for the Sound Management of Chemicals (IOMC) group"
            ),
            pairs(&[(
                "IOMC",
                "Inter-Organization Programme for the Sound Management of Chemicals"
            )])
        );
        assert!(defined("Institute for Training and Research (UNITAR)").is_empty());
        assert_eq!(
            defined("the United Nations Institute for Training and Research (UNITAR), an"),
            pairs(&[(
                "UNITAR",
                "United Nations Institute for Training and Research"
            )])
        );
    }

    #[test]
    fn ignores_names_and_symbols() {
        assert!(defined("Mr. Thomas Groeneveld (USEPA) and UNEP(ED)/Hg/PAG.8/6").is_empty());
        assert!(defined("Zero Mercury Working Group (ZMWW)").is_empty());
    }
}
