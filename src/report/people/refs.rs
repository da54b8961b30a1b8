//! Finding references to people in a sentence: names with an honorific
//! ("Ms. Susan Keane"), candidate bare names ("Marianne Bailey"), pronouns
//! and unnamed participants, with the affiliation written beside a name.

use super::Gender;
use super::words::{Tokens, core, has_trailing_punct, is_possessive};

pub(super) fn honorific(word: &str) -> Option<Gender> {
    if !matches!(
        word.as_bytes().first(),
        Some(b'M' | b'S' | b'D' | b'P' | b'H')
    ) {
        return None;
    }
    match word {
        "Mr." | "Mr" | "Sir" => Some(Gender::Male),
        "Ms." | "Ms" | "Mrs." | "Mrs" | "Miss" | "Madam" | "Mme" | "Mme." => Some(Gender::Female),
        "Dr." | "Dr" | "Prof." | "Professor" | "H.E." => Some(Gender::Unknown),
        _ => None,
    }
}

/// A capitalised name part: "Keane", "Garcia", "O'Neil", "Jean-Pierre", "J.".
pub(super) fn name_part(word: &str) -> Option<&str> {
    let part = core(word);
    let mut chars = part.chars();
    let first = chars.next()?;
    if !first.is_uppercase() {
        return None;
    }
    let rest_ok = part
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
    let all_caps = part
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    (rest_ok && !(all_caps && part.chars().count() > 1)).then_some(part)
}

pub(super) fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "de" | "da"
            | "van"
            | "von"
            | "der"
            | "den"
            | "del"
            | "della"
            | "la"
            | "le"
            | "di"
            | "dos"
            | "das"
            | "du"
            | "bin"
            | "al"
            | "y"
    )
}

/// Capitalised words that start a phrase but never a person's name.
pub(super) fn is_name_stopword(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "A"
            | "An"
            | "In"
            | "On"
            | "At"
            | "For"
            | "With"
            | "By"
            | "From"
            | "To"
            | "Of"
            | "And"
            | "As"
            | "Chair"
            | "Co-Chair"
            | "Co-Chairs"
            | "Secretariat"
            | "Partnership"
            | "Convention"
            | "President"
            | "Minister"
            | "Ambassador"
            | "Global"
            | "Mercury"
            | "Government"
            | "Lead"
            | "Co-Lead"
            | "Co-Leads"
            | "Director"
            | "Head"
            | "Chief"
            | "Professor"
            | "Dear"
            | "Following"
            | "Regarding"
            | "Finally"
            | "Lastly"
            | "Also"
            | "Then"
            | "Madam"
    )
}

#[derive(Debug, Clone)]
pub(super) enum RefKind {
    Named {
        title: Option<String>,
        parts: Vec<String>,
    },
    /// A capitalised word and a capitalised next word, not yet known to be a
    /// first name and surname.
    Bare {
        parts: Vec<String>,
    },
    Pronoun(Gender),
    Participant {
        org: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Ref {
    /// First and last token of the reference (inclusive).
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) kind: RefKind,
    pub(super) possessive: bool,
}

/// Finds the references to people in `range` of `tokens`. Bare names
/// (no honorific) are found only when `surnames` is given.
pub(super) fn scan(tokens: &Tokens<'_>, range: std::ops::Range<usize>) -> Vec<Ref> {
    let words = &tokens.words;
    let mut refs = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let word = words[i];
        if honorific(word).is_some()
            && let Some((parts, last)) = name_after(words, i + 1, range.end)
        {
            refs.push(Ref {
                first: i,
                last,
                possessive: is_possessive(words[last]),
                kind: RefKind::Named {
                    title: Some(word.trim_end_matches('.').to_string() + "."),
                    parts,
                },
            });
            i = last + 1;
            continue;
        }
        if let Some(found) = bare_name(words, i, range.end) {
            // Not consumed: "Ana Garcia Gonzales" offers two candidates.
            refs.push(found);
            i += 1;
            continue;
        }
        if !may_name_a_person(word.as_bytes()[0].to_ascii_lowercase()) {
            i += 1;
            continue;
        }
        let lower = tokens.lower(i);
        match lower.as_ref() {
            "he" => refs.push(pronoun(i, Gender::Male)),
            "she" => refs.push(pronoun(i, Gender::Female)),
            _ => {}
        }
        if i > range.start && is_participant_noun(&lower) && !is_possessive(word) {
            let determiner = tokens.lower(i - 1);
            if is_determiner(&determiner) {
                let (org, last) = org_after_from(words, i + 1, range.end);
                refs.push(Ref {
                    first: i - 1,
                    last: last.unwrap_or(i),
                    kind: RefKind::Participant { org },
                    possessive: false,
                });
                i = last.unwrap_or(i) + 1;
                continue;
            }
        }
        i += 1;
    }
    refs
}

pub(super) fn pronoun(i: usize, gender: Gender) -> Ref {
    Ref {
        first: i,
        last: i,
        kind: RefKind::Pronoun(gender),
        possessive: false,
    }
}

/// Nouns for unnamed people who may speak ("a participant asked").
pub(super) const PARTICIPANT_NOUNS: [&str; 8] = [
    "participant",
    "participants",
    "delegate",
    "delegates",
    "representative",
    "representatives",
    "observer",
    "observers",
];

pub(super) fn is_participant_noun(word: &str) -> bool {
    PARTICIPANT_NOUNS.contains(&word)
}

/// Whether a word with this (lowercase) initial can be "he", "she" or a
/// participant noun: a cheap test before comparing whole words.
pub(super) fn may_name_a_person(initial: u8) -> bool {
    matches!(initial, b'h' | b's' | b'p' | b'd' | b'r' | b'o')
}

pub(super) fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "one"
            | "another"
            | "the"
            | "some"
            | "other"
            | "several"
            | "many"
            | "two"
            | "three"
            | "various"
            | "few"
    )
}

/// The name parts after an honorific at `start`, and the index of the last one.
pub(super) fn name_after(words: &[&str], start: usize, end: usize) -> Option<(Vec<String>, usize)> {
    let mut parts = Vec::new();
    let mut last = start;
    let mut j = start;
    while j < end && parts.len() < 5 {
        let word = words[j];
        if word.starts_with('(') {
            break;
        }
        if is_particle(word)
            && j + 1 < end
            && name_part(words[j + 1]).is_some()
            && !parts.is_empty()
        {
            parts.push(word.to_string());
            j += 1;
            continue;
        }
        let Some(part) = name_part(word) else { break };
        if parts.is_empty() && is_name_stopword(part) {
            break;
        }
        parts.push(part.to_string());
        last = j;
        if has_trailing_punct(word) || is_possessive(word) {
            break;
        }
        j += 1;
    }
    (!parts.is_empty()).then_some((parts, last))
}

/// "Marianne Bailey": a capitalised word followed by a capitalised name
/// part; a name only if the surname turns out to be known.
pub(super) fn bare_name(words: &[&str], i: usize, end: usize) -> Option<Ref> {
    if i + 1 >= end || has_trailing_punct(words[i]) {
        return None;
    }
    if (i > 0 && honorific(words[i - 1]).is_some()) || honorific(words[i + 1]).is_some() {
        return None;
    }
    let first = name_part(words[i])?;
    // A given name: "Marianne", "Jean-Pierre" (each part capitalised).
    let given_name = first.split('-').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    });
    if is_name_stopword(first) || first.ends_with('.') || !given_name {
        return None;
    }
    let surname = name_part(words[i + 1])?;
    Some(Ref {
        first: i,
        last: i + 1,
        possessive: is_possessive(words[i + 1]),
        kind: RefKind::Bare {
            parts: vec![first.to_string(), surname.to_string()],
        },
    })
}

/// "from the United Nations Institute … (UNITAR)": the organisation after
/// "from" at `start`, and the index of its last word.
pub(super) fn org_after_from(
    words: &[&str],
    start: usize,
    end: usize,
) -> (Option<String>, Option<usize>) {
    if start >= end || words[start] != "from" {
        return (None, None);
    }
    let mut j = start + 1;
    if j < end && words[j] == "the" {
        j += 1;
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut last = None;
    while j < end && parts.len() < 12 {
        let word = words[j];
        let part = core(word);
        let capital = part.chars().next().is_some_and(char::is_uppercase);
        let connector = matches!(part, "of" | "and" | "for" | "on" | "the" | "-" | "–" | "de");
        if word.starts_with('(') || !(capital || (connector && !parts.is_empty())) {
            break;
        }
        parts.push(part);
        last = Some(j);
        if has_trailing_punct(word) {
            break;
        }
        j += 1;
    }
    while parts
        .last()
        .is_some_and(|p| matches!(*p, "of" | "and" | "for" | "on" | "the" | "-" | "–" | "de"))
    {
        parts.pop();
    }
    if parts.is_empty() {
        return (None, None);
    }
    (Some(parts.join(" ")), last)
}

/// The text in parentheses starting at word `start`, if it closes soon.
pub(super) fn parenthesised(words: &[&str], start: usize, end: usize) -> Option<(String, usize)> {
    if start >= end || !words[start].starts_with('(') {
        return None;
    }
    let mut parts = Vec::new();
    for (j, word) in words
        .iter()
        .enumerate()
        .take(end.min(start + 15))
        .skip(start)
    {
        let trimmed = word.trim_end_matches([',', '.', ';', ':']);
        parts.push(word.trim_start_matches('('));
        if let Some(stripped) = trimmed.strip_suffix(')') {
            *parts.last_mut()? = stripped.trim_start_matches('(');
            let text = parts.join(" ");
            return Some((text, j));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_letter_filter_lets_every_person_word_through() {
        let words = [
            "he",
            "she",
            "participant",
            "delegate",
            "representative",
            "observer",
        ];
        for word in words {
            let initial = word.as_bytes()[0];
            assert!(
                matches!(initial, b'h' | b's' | b'p' | b'd' | b'r' | b'o'),
                "{word}"
            );
            assert!(word.len() < 4 || is_participant_noun(word), "{word}");
        }
    }
}
