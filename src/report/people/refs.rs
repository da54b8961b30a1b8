//! Finding references to people in a sentence: names with an honorific
//! ("Ms. Susan Keane"), candidate bare names ("Marianne Bailey"), pronouns,
//! unnamed participants, offices ("the Chair", "the Executive Secretary")
//! and delegations ("the representative of Nigeria, speaking on behalf of
//! the African States"), with the affiliation written beside a name.

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
            | "los"
            | "las"
            | "ter"
            | "ten"
            | "zu"
            | "e"
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
    /// A capitalised word and a capitalised next word (`first` and `last`),
    /// not yet known to be a first name and surname: [`bare_parts`].
    Bare,
    Pronoun(Gender),
    Participant {
        org: Option<String>,
    },
    /// "the Chair", "the co-chairs", "the Executive Secretary".
    Office {
        office: Office,
        plural: bool,
    },
    /// "the representatives of Chile and Peru, speaking on behalf of …".
    Delegation {
        names: Vec<String>,
        on_behalf_of: Vec<String>,
    },
}

/// The offices through which reports refer to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Office {
    /// Chair, Chairperson, Chairman: whoever presides.
    Chair,
    CoChair,
    President,
    /// Vice-President, Vice-Chair.
    Vice,
    ExecutiveSecretary,
    ExecutiveDirector,
    Rapporteur,
}

#[derive(Debug, Clone)]
pub(super) struct Ref {
    /// First and last token of the reference (inclusive).
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) kind: RefKind,
    pub(super) possessive: bool,
    /// The office written beside a name: "Mr. X (Netherlands), President of
    /// the Conference," or "the Executive Secretary, Ms. Y,".
    pub(super) office: Option<Office>,
    /// The name is an apposition to an office just before it ("The
    /// Co-Chair, Ms. Lindqvist, thanked …"): its own comma closes it.
    pub(super) after_office: bool,
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
            let mut found = Ref {
                first: i,
                last,
                possessive: is_possessive(words[last]),
                kind: RefKind::Named {
                    title: Some(word.trim_end_matches('.').to_string() + "."),
                    parts,
                },
                office: None,
                after_office: false,
            };
            note_office(tokens, &mut refs, &mut found, range.end);
            refs.push(found);
            i = last + 1;
            continue;
        }
        let initial = word.as_bytes()[0].to_ascii_lowercase();
        // Which cheap tests apply, from a bit per initial letter (no jump
        // table on the initial: its branches are hard to predict).
        let initial_bit = if initial.is_ascii_lowercase() {
            1u32 << (initial - b'a')
        } else {
            0
        };
        if initial_bit & letters(b"rdo") != 0
            && let Some(found) = delegation(tokens, i, range.end)
        {
            i = found.last + 1;
            refs.push(found);
            continue;
        }
        if initial == b't'
            && let Some(found) = office(tokens, i, range.end)
        {
            i = found.last + 1;
            refs.push(found);
            continue;
        }
        if may_start_a_name(word)
            && let Some((parts, last)) = introduced_bare_name(words, i, range.end)
        {
            refs.push(Ref {
                first: i,
                last,
                possessive: is_possessive(words[last]),
                kind: RefKind::Named { title: None, parts },
                office: None,
                after_office: false,
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
        if initial_bit & letters(b"hspdro") == 0 {
            i += 1;
            continue;
        }
        let lower = tokens.lower(i);
        match lower {
            "he" => refs.push(pronoun(i, Gender::Male)),
            "she" => refs.push(pronoun(i, Gender::Female)),
            _ => {}
        }
        if i > range.start && is_participant_noun(lower) && !is_possessive(word) {
            let determiner = tokens.lower(i - 1);
            if is_determiner(determiner) {
                let (org, last) = org_after_from(words, i + 1, range.end);
                refs.push(Ref {
                    first: i - 1,
                    last: last.unwrap_or(i),
                    kind: RefKind::Participant { org },
                    possessive: false,
                    office: None,
                    after_office: false,
                });
                i = last.unwrap_or(i) + 1;
                continue;
            }
        }
        i += 1;
    }
    refs
}

/// A bit per lowercase letter of `set`.
const fn letters(set: &[u8]) -> u32 {
    let mut bits = 0;
    let mut k = 0;
    while k < set.len() {
        bits |= 1 << (set[k] - b'a');
        k += 1;
    }
    bits
}

/// Whether a word can open a name: a capital (also after "(" or a quotation
/// mark) or a letter outside ASCII ("Élodie"). Tests the first two bytes only.
fn may_start_a_name(word: &str) -> bool {
    let bytes = word.as_bytes();
    let opens = |b: u8| b.is_ascii_uppercase() || b >= 0x80;
    opens(bytes[0]) || (matches!(bytes[0], b'(' | b'"') && bytes.get(1).is_some_and(|&b| opens(b)))
}

pub(super) fn pronoun(i: usize, gender: Gender) -> Ref {
    Ref {
        first: i,
        last: i,
        kind: RefKind::Pronoun(gender),
        possessive: false,
        office: None,
        after_office: false,
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
        // "de los Santos", "van der Berg": particles before a name part.
        let particles = words[j..end.min(j + 3)]
            .iter()
            .take_while(|w| is_particle(w))
            .count();
        if particles > 0
            && j + particles < end
            && name_part(words[j + particles]).is_some()
            && !has_trailing_punct(words[j + particles - 1])
        {
            parts.extend(words[j..j + particles].iter().map(|w| w.to_string()));
            j += particles;
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
    // Cheap first: most words are not capitalised (a non-ASCII initial is
    // left to `name_part`).
    let initial = words[i].as_bytes()[0];
    if i + 1 >= end || initial.is_ascii_lowercase() || has_trailing_punct(words[i]) {
        return None;
    }
    let next_initial = words[i + 1].as_bytes()[0];
    if next_initial.is_ascii_lowercase() || next_initial.is_ascii_digit() {
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
    name_part(words[i + 1])?;
    Some(Ref {
        first: i,
        last: i + 1,
        possessive: is_possessive(words[i + 1]),
        kind: RefKind::Bare,
        office: None,
        after_office: false,
    })
}

/// The given name and surname of a [`RefKind::Bare`] reference.
pub(super) fn bare_parts(tokens: &Tokens<'_>, found: &Ref) -> [String; 2] {
    [
        tokens.core(found.first).to_string(),
        tokens.core(found.last).to_string(),
    ]
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

/// The office a word names: "Chair", "co-chairs", "President", "Vice-Chair";
/// with whether it is plural. Any case; no allocation.
fn office_word(word: &str) -> Option<(Office, bool)> {
    const OFFICES: [(&str, Office); 14] = [
        ("chair", Office::Chair),
        ("chairperson", Office::Chair),
        ("chairman", Office::Chair),
        ("chairwoman", Office::Chair),
        ("co-chair", Office::CoChair),
        ("co-chairperson", Office::CoChair),
        ("co-chairs", Office::CoChair),
        ("co-chairpersons", Office::CoChair),
        ("president", Office::President),
        ("vice-president", Office::Vice),
        ("vice-chair", Office::Vice),
        ("vice-chairperson", Office::Vice),
        ("vice-chairman", Office::Vice),
        ("rapporteur", Office::Rapporteur),
    ];
    let (_, office) = OFFICES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))?;
    Some((*office, word.ends_with('s')))
}

/// The office named by the words at `i` ("Chair", "Executive Secretary",
/// "co-chairs"), with the index of its last word.
fn office_at(tokens: &Tokens<'_>, i: usize, end: usize) -> Option<(Office, bool, usize)> {
    // Cheap first: every office word starts with one of these letters.
    let initial = tokens.words[i].as_bytes()[0].to_ascii_lowercase();
    if !matches!(initial, b'c' | b'p' | b'v' | b'e' | b'r') {
        return None;
    }
    if tokens.is(i, "executive") && i + 1 < end {
        if tokens.is(i + 1, "secretary") {
            return Some((Office::ExecutiveSecretary, false, i + 1));
        }
        if tokens.is(i + 1, "director") {
            return Some((Office::ExecutiveDirector, false, i + 1));
        }
        return None;
    }
    let (office, plural) = office_word(core(tokens.words[i]))?;
    Some((office, plural, i))
}

/// Whether the office at `last` belongs to another body ("the Chair of the
/// contact group", "co-chair of the Board"): its holder is not the meeting's.
fn office_of_another_body(tokens: &Tokens<'_>, last: usize, end: usize) -> bool {
    if last + 1 >= end || !tokens.is(last + 1, "of") || has_trailing_punct(tokens.words[last]) {
        return false;
    }
    // "the Chair of the Group" is the meeting's own; "the Chair of the
    // contact group", "co-chair of the Board" are another body's.
    (last + 2..end.min(last + 7)).any(|k| {
        let word = core(tokens.words[k]);
        matches!(
            word,
            "group"
                | "groups"
                | "board"
                | "Board"
                | "area"
                | "areas"
                | "Area"
                | "task"
                | "subsidiary"
                | "panel"
                | "network"
                | "contact"
                | "drafting"
                | "breakout"
        )
    })
}

/// "the Chair", "The Co-Chairs", "the Executive Secretary" at `i`.
fn office(tokens: &Tokens<'_>, i: usize, end: usize) -> Option<Ref> {
    if i + 1 >= end || !matches!(tokens.words[i], "the" | "The") {
        return None;
    }
    let mut at = i + 1;
    // "the two Co-Chairs"
    if ["two", "three", "both"].iter().any(|w| tokens.is(at, w)) && at + 1 < end {
        at += 1;
    }
    let (office, plural, mut last) = office_at(tokens, at, end)?;
    if office_of_another_body(tokens, last, end) {
        return None;
    }
    // "the Executive Secretary of the Minamata Convention, Ms. Y": the
    // qualifier belongs to the office when a comma closes it.
    if !has_trailing_punct(tokens.words[last])
        && last + 1 < end
        && tokens.is(last + 1, "of")
        && let Some(comma) = (last + 2..end.min(last + 8)).find(|&k| tokens.words[k].ends_with(','))
        && (last + 2..comma).all(|k| !has_trailing_punct(tokens.words[k]))
    {
        last = comma;
    }
    Some(Ref {
        first: i,
        last,
        kind: RefKind::Office { office, plural },
        possessive: is_possessive(tokens.words[last]),
        office: None,
        after_office: false,
    })
}

/// Notes the office in apposition with the name `found`: after it
/// ("Mr. X (Netherlands), President of the Conference,") or just before it
/// ("the Executive Secretary, Ms. Y,", which then refers to the same person).
fn note_office(tokens: &Tokens<'_>, refs: &mut Vec<Ref>, found: &mut Ref, end: usize) {
    let words = &tokens.words;
    let own_office = office_after(tokens, found, end);
    if let Some(previous) = refs.last()
        && let RefKind::Office {
            office,
            plural: false,
        } = previous.kind
        && previous.last + 1 == found.first
        && words[previous.last].ends_with(',')
        && own_office.is_none()
        && !(previous.first > 0 && tokens.is(previous.first - 1, "of"))
    {
        found.office = Some(office);
        found.after_office = true;
        // The office and the name are one reference: "by the Executive
        // Secretary, Ms. Y," is the agent of the act before it.
        found.first = previous.first;
        refs.pop();
        return;
    }
    found.office = own_office;
}

/// The office in apposition after a name: "Mr. X (Netherlands), President
/// of the Conference,", "Ms. Y, Vice-President,".
fn office_after(tokens: &Tokens<'_>, found: &Ref, end: usize) -> Option<Office> {
    let words = &tokens.words;
    let mut k = found.last + 1;
    if let Some((_, close)) = parenthesised(words, k, end) {
        k = close + 1;
    }
    if k >= end || !words[k - 1].ends_with(',') {
        return None;
    }
    if tokens.is(k, "the") {
        k += 1;
    }
    if k < end
        && let Some((office, false, last)) = office_at(tokens, k, end)
        && !office_of_another_body(tokens, last, end)
    {
        return Some(office);
    }
    None
}

/// "the representative of Canada", "the representatives of Chile and Peru",
/// "the delegation of Japan", "the observer for the Zero Mercury Working
/// Group", with "speaking (also) on behalf of the African States" after it;
/// not "the representative of the secretariat".
fn delegation(tokens: &Tokens<'_>, i: usize, end: usize) -> Option<Ref> {
    let words = &tokens.words;
    const NOUNS: [&str; 8] = [
        "representative",
        "representatives",
        "delegation",
        "delegations",
        "delegate",
        "delegates",
        "observer",
        "observers",
    ];
    let noun = core(words[i]);
    if i + 2 >= end
        || !NOUNS.iter().any(|n| noun.eq_ignore_ascii_case(n))
        || !(tokens.is(i + 1, "of") || tokens.is(i + 1, "for"))
        || has_trailing_punct(words[i])
    {
        return None;
    }
    let first = if i > 0 && is_determiner(tokens.lower(i - 1)) {
        i - 1
    } else {
        i
    };
    let (mut names, mut last) = delegation_names(tokens, i + 2, end)?;
    let mut on_behalf_of = Vec::new();
    // ", speaking (also) on behalf of the African States," after each name;
    // "…; Peru, speaking on behalf of …; and the European Union" goes on.
    while let Some((groups, group_last)) = speaking_for(tokens, last, end) {
        on_behalf_of.extend(groups);
        if !words[group_last].ends_with(';') {
            break;
        }
        let mut next = group_last + 1;
        if next < end && tokens.is(next, "and") {
            next += 1;
        }
        let Some((more, more_last)) = delegation_names(tokens, next, end) else {
            break;
        };
        names.extend(more);
        last = more_last;
    }
    Some(Ref {
        first,
        last,
        kind: RefKind::Delegation {
            names,
            on_behalf_of,
        },
        possessive: is_possessive(words[last]),
        office: None,
        after_office: false,
    })
}

/// ", speaking (also) on behalf of the African States": the groups spoken
/// for after the delegation name ending at `last`, and the last word.
fn speaking_for(tokens: &Tokens<'_>, last: usize, end: usize) -> Option<(Vec<String>, usize)> {
    if !tokens.words[last].ends_with(',') {
        return None;
    }
    let mut k = last + 1;
    while k < end && matches!(tokens.lower(k), "also" | "jointly") {
        k += 1;
    }
    if k >= end || !tokens.is(k, "speaking") {
        return None;
    }
    k += 1;
    while k < end && matches!(tokens.lower(k), "also" | "jointly") {
        k += 1;
    }
    let behalf =
        k + 2 < end && tokens.is(k, "on") && tokens.is(k + 1, "behalf") && tokens.is(k + 2, "of");
    behalf.then(|| group_names(tokens, k + 3, end))
}

/// Names of Parties and organisations in a list: "Canada", "Chile and
/// Peru", "Brazil, Indonesia and Switzerland", "the European Union",
/// "Bosnia and Herzegovina"; with the index of the last word.
fn delegation_names(tokens: &Tokens<'_>, start: usize, end: usize) -> Option<(Vec<String>, usize)> {
    let words = &tokens.words;
    let mut names: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut last = None;
    let mut j = start;
    while j < end && names.len() < 30 {
        let word = words[j];
        let part = core(word);
        let lower = tokens.lower(j);
        // "Côte d'Ivoire": an elided particle before a capital.
        let elided = part
            .split_once(['\'', '’'])
            .is_some_and(|(head, tail)| head.len() <= 2 && tail.starts_with(char::is_uppercase));
        let capital = part.chars().next().is_some_and(char::is_uppercase) || elided;
        if current.is_empty() && lower == "the" {
            j += 1;
            continue;
        }
        // "Bolivia (Plurinational State of)": the qualifier is part of the name.
        if !current.is_empty()
            && word.starts_with('(')
            && let Some((inside, close)) = parenthesised(words, j, end)
        {
            let name = format!("{} ({inside})", current.join(" "));
            names.push(name);
            current.clear();
            last = Some(close);
            let closing = words[close];
            let more = closing.ends_with(',')
                && words
                    .get(close + 1)
                    .is_some_and(|w| core(w).starts_with(char::is_uppercase));
            if has_trailing_punct(closing.trim_end_matches(')'))
                || (closing.ends_with(',') && !more)
            {
                break;
            }
            j = close + 1;
            continue;
        }
        if capital
            || (!current.is_empty()
                && matches!(lower, "of" | "the" | "and" | "for" | "on" | "de" | "du"))
        {
            // "and" joins two names unless it is part of one.
            if lower == "and" {
                let next = words.get(j + 1).map(|w| core(w)).unwrap_or("");
                let joined = format!("{} and {next}", current.join(" "));
                // "Global Cement and Concrete Association", "International
                // Council on Mining and Metals": one organisation; "Chile
                // and the Philippines": two names.
                let segment_end = (j + 1..end.min(j + 8))
                    .find(|&k| has_trailing_punct(words[k]) || tokens.is(k, "and"))
                    .unwrap_or(end.min(j + 8) - 1);
                let org_in_current = current.iter().position(|w| is_organisation_word(w));
                let one_organisation = !tokens.is(j + 1, "the")
                    && match org_in_current {
                        None => (j + 1..=segment_end).any(|k| is_organisation_word(core(words[k]))),
                        Some(at) => current[at + 1..]
                            .iter()
                            .any(|w| matches!(*w, "on" | "of" | "for")),
                    };
                if !is_compound_name(&joined) && !one_organisation {
                    flush(&mut names, &mut current);
                    j += 1;
                    continue;
                }
            }
            current.push(part.strip_prefix('(').unwrap_or(part));
            if capital {
                last = Some(j);
            }
            if has_trailing_punct(word) {
                // "Brazil, Indonesia and Switzerland": a comma between names.
                let more = word.ends_with(',')
                    && words
                        .get(j + 1)
                        .is_some_and(|w| core(w).starts_with(char::is_uppercase));
                flush(&mut names, &mut current);
                if !more {
                    break;
                }
            }
            j += 1;
            continue;
        }
        break;
    }
    flush(&mut names, &mut current);
    names.retain(|name| {
        let lower = name.to_lowercase();
        !(lower.contains("secretariat")
            || lower == "conference"
            || lower.starts_with("conference of"))
    });
    let last = last?;
    (!names.is_empty()).then_some((names, last))
}

/// The groups after "on behalf of": up to the next comma (or the sentence
/// end), without a leading "the".
fn group_names(tokens: &Tokens<'_>, start: usize, end: usize) -> (Vec<String>, usize) {
    let words = &tokens.words;
    let mut parts: Vec<&str> = Vec::new();
    let mut j = start;
    // "on behalf of the African States", "… of a group of countries".
    if j < end && (tokens.is(j, "the") || tokens.is(j, "a") || tokens.is(j, "an")) {
        j += 1;
    }
    let mut last = j;
    while j < end && parts.len() < 15 {
        let word = words[j];
        parts.push(core(word));
        last = j;
        if has_trailing_punct(word) {
            break;
        }
        j += 1;
    }
    let group = parts.join(" ");
    let groups = if group.is_empty() {
        Vec::new()
    } else {
        vec![group]
    };
    (groups, last)
}

fn flush(names: &mut Vec<String>, current: &mut Vec<&str>) {
    while current
        .last()
        .is_some_and(|w| matches!(*w, "of" | "the" | "and" | "for" | "on" | "de" | "du"))
    {
        current.pop();
    }
    if !current.is_empty() {
        names.push(current.join(" "));
    }
    current.clear();
}

/// Names of States that hold "and": "Bosnia and Herzegovina", "Trinidad and
/// Tobago", "Group of Latin American and Caribbean States".
fn is_compound_name(joined: &str) -> bool {
    const COMPOUNDS: [&str; 10] = [
        "Antigua and Barbuda",
        "Bosnia and Herzegovina",
        "Trinidad and Tobago",
        "Saint Kitts and Nevis",
        "Saint Vincent and the",
        "Sao Tome and Principe",
        "Great Britain and Northern",
        "Latin American and Caribbean",
        "Heard Island and",
        "Wallis and Futuna",
    ];
    COMPOUNDS.iter().any(|c| joined.ends_with(c))
}

/// Words that name organisations, never people: "… Working Group (ZMWG)".
fn is_organisation_word(word: &str) -> bool {
    matches!(
        word,
        "Group"
            | "Council"
            | "Organization"
            | "Organisation"
            | "Programme"
            | "Program"
            | "Agency"
            | "Fund"
            | "Institute"
            | "Ministry"
            | "Centre"
            | "Center"
            | "University"
            | "Network"
            | "Foundation"
            | "Association"
            | "Alliance"
            | "Union"
            | "States"
            | "Nations"
            | "Environment"
            | "Secretariat"
            | "Committee"
            | "Commission"
            | "Facility"
            | "Partnership"
            | "Convention"
            | "Conference"
            | "Bank"
            | "Forum"
            | "Initiative"
            | "Office"
            | "Department"
            | "Government"
            | "Republic"
            | "Kingdom"
            | "Coalition"
            | "Project"
            | "Mercury"
            | "Working"
            | "Industry"
            | "Area"
            | "Areas"
            | "Board"
            | "Agreement"
            | "Protocol"
            | "Assembly"
            | "Party"
            | "Parties"
            | "Region"
            | "Island"
            | "Islands"
            | "Federation"
            | "Community"
            | "Authority"
            | "Service"
            | "Services"
            | "Council's"
            | "Company"
            | "Corporation"
            | "Limited"
            | "Laboratory"
            | "Society"
    )
}

/// First words of place names that look like given names ("South Africa").
fn is_place_word(word: &str) -> bool {
    matches!(
        word,
        "South"
            | "North"
            | "New"
            | "Costa"
            | "Sri"
            | "Burkina"
            | "Sierra"
            | "Saudi"
            | "United"
            | "Dominican"
            | "Czech"
            | "Papua"
            | "Solomon"
            | "Marshall"
            | "Cabo"
            | "Cape"
            | "Equatorial"
            | "Central"
            | "El"
            | "San"
            | "Saint"
            | "Timor"
            | "Trinidad"
            | "Antigua"
            | "Bosnia"
            | "Guinea"
            | "West"
            | "East"
            | "Latin"
            | "Asia"
            | "Pacific"
            | "Western"
            | "Eastern"
            | "Southern"
            | "Northern"
    )
}

/// A full name without title standing where people are introduced: 2–4
/// name parts (particles allowed) followed by an affiliation in parentheses
/// or after a comma ("Paulina Arriagada Soto (Chile)", "Keiko Yamamoto, of
/// the Ministry …"). Returns the parts and the index of the last one.
pub(super) fn introduced_bare_name(
    words: &[&str],
    i: usize,
    end: usize,
) -> Option<(Vec<String>, usize)> {
    // Cheap first: the words up to an affiliation must look like a name,
    // and an affiliation must follow: "(Chile)" or ", of the …".
    let run = (i..end.min(i + 6))
        .take_while(|&k| {
            let w = words[k];
            !w.starts_with('(')
                && (w.chars().next().is_some_and(char::is_uppercase) || is_particle(w))
        })
        .last()?;
    let next_opens = words.get(run + 1).is_some_and(|w| w.starts_with('('));
    if run == i || !(next_opens || words[i + 1..=run].iter().any(|w| w.ends_with(','))) {
        return None;
    }
    if i > 0
        && (honorific(words[i - 1]).is_some()
            || name_part(words[i - 1]).is_some_and(|p| {
                !is_name_stopword(p) && !words[i - 1].ends_with([',', '.', ';', ':'])
            }))
    {
        return None;
    }
    let first = name_part(words[i])?;
    let given_name = first.split('-').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    });
    if !given_name
        || is_name_stopword(first)
        || is_place_word(first)
        || has_trailing_punct(words[i])
    {
        return None;
    }
    let (parts, last) = name_after(words, i, end)?;
    if parts.len() < 2
        || parts.len() > 5
        || parts
            .iter()
            .any(|p| is_organisation_word(p) || is_name_stopword(p))
    {
        return None;
    }
    let next = words.get(last + 1).copied().unwrap_or("");
    // "Minamata Initial Assessments (MIAs)": an acronym spelt out, not a person.
    if let Some((inside, _)) = parenthesised(words, last + 1, end) {
        let letters: String = inside.chars().filter(|c| c.is_alphabetic()).collect();
        // Its letters hold the initials of the last two words, in order.
        let initials = parts[parts.len() - 2..]
            .iter()
            .filter_map(|p| p.chars().next());
        let mut rest = letters.chars();
        let spelt_out = initials.into_iter().all(|i| rest.any(|c| c == i));
        let acronym = letters.len() >= 2
            && letters
                .trim_end_matches('s')
                .chars()
                .all(|c| c.is_uppercase())
            && spelt_out;
        if acronym {
            return None;
        }
    }
    let introduced = next.starts_with('(')
        || (words[last].ends_with(',')
            && matches!(next, "of" | "from" | "representing" | "speaking"));
    introduced.then_some((parts, last))
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
            assert!(letters(b"hspdro") & (1 << (initial - b'a')) != 0, "{word}");
            assert!(word.len() < 4 || is_participant_noun(word), "{word}");
        }
    }
}
