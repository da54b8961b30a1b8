//! Who speaks in each paragraph. Finds people by their honorific ("Ms. Susan
//! Keane", "Mr. Maag") or, once known, by first name and surname ("Marianne
//! Bailey"); merges every form of a name into one identity; keeps the
//! affiliation given in parentheses; and decides per paragraph who is the
//! subject of a speech act (a speaker) and who is only named (a mention),
//! resolving "He"/"She" to the right earlier person and flagging unnamed
//! participants who speak.

use std::borrow::Cow;
use std::collections::HashSet;

use super::segment::RawUnit;
use crate::text::fold;

/// Grammatical gender implied by an honorific, used to resolve pronouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Male,
    Female,
    Unknown,
}

/// A person found in a report.
#[derive(Debug, Clone)]
pub(crate) struct FoundPerson {
    /// Name parts of the fullest form seen, e.g. `["Ana", "Garcia", "Gonzales"]`.
    pub parts: Vec<String>,
    /// Honorific as written ("Ms."), if any form had one.
    pub title: Option<String>,
    pub gender: Gender,
    /// Affiliation in parentheses after the name, else "from <organisation>".
    pub org: Option<String>,
    from_org: Option<String>,
    folded: Vec<String>,
}

impl FoundPerson {
    pub fn display_name(&self) -> String {
        self.parts.join(" ")
    }
}

/// The people of one unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UnitPeople {
    /// Indices into [`People::persons`], in order of first speech.
    pub speakers: Vec<usize>,
    pub mentions: Vec<usize>,
    /// An unnamed participant speaks in the unit.
    pub participant: bool,
    /// Organisations of the unnamed participants who speak ("a participant from WCC").
    pub participant_orgs: Vec<String>,
}

/// Everyone in a report and each unit's speakers and mentions.
#[derive(Debug, Default)]
pub(crate) struct People {
    pub persons: Vec<FoundPerson>,
    pub units: Vec<UnitPeople>,
}

/// Finds the people of a report's units (in document order).
pub(crate) fn find(units: &[RawUnit]) -> People {
    let tokenised: Vec<Tokens<'_>> = units.iter().map(|u| Tokens::new(&u.text)).collect();
    // One scan finds honorific names, pronouns, participants and candidate
    // bare names ("Marianne Bailey"), sentence by sentence.
    let mut scanned: Vec<Vec<Vec<Ref>>> = tokenised
        .iter()
        .map(|tokens| {
            tokens
                .sentences
                .iter()
                .map(|s| scan(tokens, s.clone()))
                .collect()
        })
        .collect();
    let mut registry = Registry::default();
    let titled = scanned
        .iter()
        .flatten()
        .flatten()
        .filter_map(|found| match &found.kind {
            RefKind::Named {
                title: Some(title),
                parts,
            } => Some((Some(title.clone()), parts.clone())),
            _ => None,
        })
        .collect();
    registry.add_titled(titled);
    // A bare name counts when its surname belongs to someone named with an
    // honorific; it may then complete that person's first name.
    let surnames = registry.surnames();
    for refs in scanned.iter_mut().flatten() {
        let mut covered_until = None;
        refs.retain(|found| {
            let keep = match &found.kind {
                RefKind::Bare { parts } => {
                    covered_until.is_none_or(|end| found.first > end)
                        && surnames.contains(&fold(&parts[1]))
                }
                _ => true,
            };
            if keep {
                covered_until = Some(found.last);
            }
            keep
        });
        for found in refs.iter() {
            if let RefKind::Bare { parts } = &found.kind {
                registry.add_bare(parts);
            }
        }
    }
    // Roles, pronouns and affiliations, in document order.
    let mut tagger = Tagger {
        registry,
        last_named: [None; 3],
    };
    let mut units: Vec<UnitPeople> = tokenised
        .iter()
        .zip(&scanned)
        .map(|(tokens, refs)| tagger.tag_unit(tokens, refs))
        .collect();
    let mut persons = tagger.registry.persons;
    for person in &mut persons {
        if person.org.is_none() {
            person.org = person.from_org.take();
        }
    }
    // Number people in order of first appearance.
    let mut order: Vec<usize> = Vec::with_capacity(persons.len());
    for unit in &units {
        for &p in unit.speakers.iter().chain(&unit.mentions) {
            if !order.contains(&p) {
                order.push(p);
            }
        }
    }
    let unseen: Vec<usize> = (0..persons.len()).filter(|p| !order.contains(p)).collect();
    order.extend(unseen);
    let mut new_index = vec![0; persons.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    for unit in &mut units {
        for p in unit.speakers.iter_mut().chain(unit.mentions.iter_mut()) {
            *p = new_index[*p];
        }
    }
    let mut slots: Vec<Option<FoundPerson>> = persons.into_iter().map(Some).collect();
    let persons = order.iter().filter_map(|&old| slots[old].take()).collect();
    People { persons, units }
}

// ---------------------------------------------------------------------------
// Tokens and sentences

/// Whitespace-separated tokens of a paragraph, with sentence ranges.
struct Tokens<'a> {
    words: Vec<&'a str>,
    sentences: Vec<std::ops::Range<usize>>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
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
        Tokens { words, sentences }
    }

    /// The word at `i` stripped of surrounding punctuation, lowercased when
    /// ASCII (enough for the function words compared against).
    fn lower(&self, i: usize) -> Cow<'a, str> {
        let word = core(self.words[i]);
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    }
}

fn ends_sentence_token(word: &str) -> bool {
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
fn core(word: &str) -> &str {
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

fn is_possessive(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.', ';', ':', ')']);
    word.ends_with("'s") || word.ends_with("’s") || word.ends_with("s'") || word.ends_with("s’")
}

/// Punctuation after the word that ends a name: "Halpaap," "Maag."
fn has_trailing_punct(word: &str) -> bool {
    word.ends_with([',', '.', ';', ':', ')', '”', '"', '?', '!'])
}

fn honorific(word: &str) -> Option<Gender> {
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
fn name_part(word: &str) -> Option<&str> {
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

fn is_particle(word: &str) -> bool {
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
fn is_name_stopword(word: &str) -> bool {
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

// ---------------------------------------------------------------------------
// References to people in one sentence

#[derive(Debug, Clone)]
enum RefKind {
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
struct Ref {
    /// First and last token of the reference (inclusive).
    first: usize,
    last: usize,
    kind: RefKind,
    possessive: bool,
}

/// Finds the references to people in `range` of `tokens`. Bare names
/// (no honorific) are found only when `surnames` is given.
fn scan(tokens: &Tokens<'_>, range: std::ops::Range<usize>) -> Vec<Ref> {
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

fn pronoun(i: usize, gender: Gender) -> Ref {
    Ref {
        first: i,
        last: i,
        kind: RefKind::Pronoun(gender),
        possessive: false,
    }
}

/// Nouns for unnamed people who may speak ("a participant asked").
const PARTICIPANT_NOUNS: [&str; 8] = [
    "participant",
    "participants",
    "delegate",
    "delegates",
    "representative",
    "representatives",
    "observer",
    "observers",
];

fn is_participant_noun(word: &str) -> bool {
    PARTICIPANT_NOUNS.contains(&word)
}

/// Whether a word with this (lowercase) initial can be "he", "she" or a
/// participant noun: a cheap test before comparing whole words.
fn may_name_a_person(initial: u8) -> bool {
    matches!(initial, b'h' | b's' | b'p' | b'd' | b'r' | b'o')
}

fn is_determiner(word: &str) -> bool {
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
fn name_after(words: &[&str], start: usize, end: usize) -> Option<(Vec<String>, usize)> {
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
fn bare_name(words: &[&str], i: usize, end: usize) -> Option<Ref> {
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
fn org_after_from(words: &[&str], start: usize, end: usize) -> (Option<String>, Option<usize>) {
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
fn parenthesised(words: &[&str], start: usize, end: usize) -> Option<(String, usize)> {
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

// ---------------------------------------------------------------------------
// Roles

fn is_speech_verb(word: &str) -> bool {
    matches!(
        word,
        "said"
            | "stated"
            | "reported"
            | "added"
            | "asked"
            | "invited"
            | "thanked"
            | "concluded"
            | "noted"
            | "mentioned"
            | "highlighted"
            | "explained"
            | "informed"
            | "announced"
            | "introduced"
            | "welcomed"
            | "started"
            | "began"
            | "expressed"
            | "recalled"
            | "congratulated"
            | "encouraged"
            | "suggested"
            | "proposed"
            | "agreed"
            | "disagreed"
            | "commented"
            | "shared"
            | "presented"
            | "stressed"
            | "emphasized"
            | "emphasised"
            | "clarified"
            | "answered"
            | "responded"
            | "replied"
            | "requested"
            | "touched"
            | "turned"
            | "passed"
            | "gave"
            | "proceeded"
            | "moved"
            | "continued"
            | "acknowledged"
            | "reflected"
            | "raised"
            | "addressed"
            | "discussed"
            | "described"
            | "outlined"
            | "recognized"
            | "recognised"
            | "urged"
            | "underlined"
            | "underscored"
            | "observed"
            | "pointed"
            | "indicated"
            | "hoped"
            | "believed"
            | "felt"
            | "confirmed"
            | "declared"
            | "persuaded"
            | "opened"
            | "closed"
            | "summarized"
            | "summarised"
            | "updated"
            | "briefed"
            | "elaborated"
            | "reiterated"
            | "illustrated"
            | "drew"
            | "took"
            | "called"
            | "referred"
            | "wished"
            | "complimented"
            | "inquired"
            | "enquired"
            | "queried"
            | "questioned"
            | "wondered"
            | "wanted"
            | "remarked"
            | "recommended"
            | "advised"
            | "cautioned"
            | "warned"
            | "argued"
            | "insisted"
            | "spoke"
            | "commended"
            | "praised"
            | "appreciated"
            | "conveyed"
            | "delivered"
            | "apologized"
            | "apologised"
            | "regretted"
            | "supported"
            | "endorsed"
            | "objected"
            | "appealed"
            | "offered"
            | "finished"
            | "ended"
            | "chaired"
            | "moderated"
            | "recommends"
            | "says"
            | "states"
            | "notes"
            | "adds"
            | "reports"
            | "asks"
            | "explains"
            | "highlights"
            | "suggests"
            | "recalls"
            | "thanks"
            | "stresses"
            | "emphasizes"
            | "informs"
            | "mentions"
            | "proposes"
            | "agrees"
            | "concludes"
            | "welcomes"
            | "expresses"
    )
}

fn is_adverb(word: &str) -> bool {
    matches!(
        word,
        "then"
            | "also"
            | "further"
            | "finally"
            | "lastly"
            | "briefly"
            | "again"
            | "later"
            | "subsequently"
            | "additionally"
            | "first"
            | "firstly"
            | "kindly"
            | "however"
            | "therefore"
            | "thus"
            | "moreover"
            | "furthermore"
            | "next"
            | "immediately"
            | "warmly"
            | "strongly"
            | "fully"
            | "only"
            | "just"
            | "both"
            | "once"
            | "herself"
            | "himself"
            | "jointly"
            | "specifically"
            | "particularly"
            | "clearly"
            | "formally"
            | "initially"
            | "similarly"
            | "likewise"
            | "consequently"
            | "accordingly"
            | "together"
            | "recently"
            | "already"
            | "earlier"
            | "had"
            | "has"
            | "have"
            | "had,"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Speaker,
    /// Given the floor or invited to speak: the likely next speaker.
    FloorRecipient,
    Mention,
}

/// The role of `refs[at]` in its sentence.
fn role(tokens: &Tokens<'_>, refs: &[Ref], at: usize, end: usize) -> Role {
    let found = &refs[at];
    if found.possessive {
        return Role::Mention;
    }
    if passive_agent(tokens, found) {
        return Role::Speaker;
    }
    match forward_role(tokens, refs, at, end) {
        Role::Mention if floor_recipient(tokens, found.first) => Role::FloorRecipient,
        role => role,
    }
}

/// "… was then invited by Mr. Cuna", "a comment raised by a participant".
fn passive_agent(tokens: &Tokens<'_>, found: &Ref) -> bool {
    if found.first < 2 || tokens.lower(found.first - 1) != "by" {
        return false;
    }
    let mut k = found.first - 2;
    while k > 0 && (is_adverb(&tokens.lower(k)) || tokens.lower(k) == "out") {
        k -= 1;
    }
    let verb = tokens.lower(k);
    let participant = matches!(found.kind, RefKind::Participant { .. });
    let agentive = is_speech_verb(&verb) || matches!(verb.as_ref(), "made" | "posed" | "put");
    if !agentive {
        return false;
    }
    if participant {
        return true;
    }
    // A named agent only of a full passive ("was invited by"), not of a
    // reduced relative ("the activities highlighted by Mr. Stucki").
    while k > 0 {
        k -= 1;
        let word = tokens.lower(k);
        if is_adverb(&word) {
            continue;
        }
        return matches!(word.as_ref(), "was" | "were" | "been" | "being");
    }
    false
}

/// "give the floor to X", "floor was then given to X", "invited X", "turned to X".
fn floor_recipient(tokens: &Tokens<'_>, first: usize) -> bool {
    if first == 0 {
        return false;
    }
    let before = tokens.lower(first - 1);
    if matches!(
        before.as_ref(),
        "invited" | "invite" | "introduce" | "introduced"
    ) {
        return true;
    }
    before == "to"
        && (first.saturating_sub(5)..first - 1)
            .any(|k| matches!(tokens.lower(k).as_ref(), "floor" | "turned"))
}

/// Whether what follows `refs[at]` makes it the subject of a speech act.
fn forward_role(tokens: &Tokens<'_>, refs: &[Ref], at: usize, end: usize) -> Role {
    let words = &tokens.words;
    let found = &refs[at];
    let mut k = found.last + 1;
    // Affiliation in parentheses: "Ms. Susan Keane (NRDC) said".
    if let Some((_, close)) = parenthesised(words, k, end) {
        k = close + 1;
    }
    // Apposition: "Mr. Fernando Lugris, Chair of INC, was invited".
    if k > 0 && words[k - 1].ends_with(',') {
        let close = (k..end.min(k + 15)).find(|&j| words[j].ends_with(','));
        match close {
            Some(close) if close + 1 < end => k = close + 1,
            _ => return Role::Mention,
        }
    }
    if k >= end {
        return Role::Mention;
    }
    // Coordination: "Mr. Bernaudat and Mr. Davis reported".
    if words[k] == "and" {
        if let Some(next) = refs.iter().position(|r| r.first == k + 1) {
            return match forward_role(tokens, refs, next, end) {
                Role::Speaker => Role::Speaker,
                _ => Role::Mention,
            };
        }
        return Role::Mention;
    }
    let mut word = tokens.lower(k);
    if word == "who" {
        k += 1;
    }
    while k < end && is_adverb(&tokens.lower(k)) {
        k += 1;
    }
    if k >= end {
        return Role::Mention;
    }
    word.clone_from(&tokens.lower(k));
    if matches!(word.as_ref(), "was" | "were") {
        // "Mr. Toda was then given the floor to provide information".
        let mut j = k + 1;
        while j < end && is_adverb(&tokens.lower(j)) {
            j += 1;
        }
        let given = j + 2 < end
            && matches!(tokens.lower(j).as_ref(), "given" | "offered")
            && tokens.lower(j + 1) == "the"
            && tokens.lower(j + 2) == "floor";
        if !given {
            return Role::Mention;
        }
        let purpose = j + 3 < end && words[j + 2] == "floor" && tokens.lower(j + 3) == "to";
        return if purpose {
            Role::Speaker
        } else {
            Role::FloorRecipient
        };
    }
    if word == "would" && k + 1 < end && tokens.lower(k + 1) == "like" {
        return Role::Speaker;
    }
    if is_speech_verb(&word) {
        Role::Speaker
    } else {
        Role::Mention
    }
}

// ---------------------------------------------------------------------------
// Identities

#[derive(Default)]
struct Registry {
    persons: Vec<FoundPerson>,
}

fn gender_of(title: Option<&str>) -> Gender {
    title.and_then(honorific).unwrap_or(Gender::Unknown)
}

impl Registry {
    /// Builds identities from honorific forms: full names first, then every
    /// short form joins the full name that contains it.
    fn add_titled(&mut self, mut forms: Vec<(Option<String>, Vec<String>)>) {
        // Longest forms first so "Ms. Garcia" finds "Ana Garcia Gonzales".
        forms.sort_by_key(|(_, parts)| std::cmp::Reverse(parts.len()));
        for (title, parts) in forms {
            let gender = gender_of(title.as_deref());
            if self.lookup(&parts, gender).is_none() {
                self.persons.push(FoundPerson {
                    folded: parts.iter().map(|p| fold(p)).collect(),
                    parts,
                    gender,
                    title,
                    org: None,
                    from_org: None,
                });
            }
        }
    }

    /// A first name + surname form: completes a surname-only identity.
    fn add_bare(&mut self, parts: &[String]) {
        let Some(i) = self.lookup(parts, Gender::Unknown) else {
            return;
        };
        let person = &mut self.persons[i];
        if person.folded.len() == 1 && parts.len() > 1 {
            person.folded = parts.iter().map(|p| fold(p)).collect();
            person.parts = parts.to_vec();
        }
    }

    /// Surnames (every part but a first name) of the known people.
    fn surnames(&self) -> HashSet<String> {
        let mut surnames = HashSet::new();
        for person in &self.persons {
            let skip = usize::from(person.folded.len() > 1);
            surnames.extend(person.folded.iter().skip(skip).cloned());
        }
        surnames
    }

    /// The identity a name form refers to: the same parts, or parts that
    /// appear in order in a longer name after its first name.
    fn lookup(&self, parts: &[String], gender: Gender) -> Option<usize> {
        let folded: Vec<String> = parts.iter().map(|p| fold(p)).collect();
        let compatible = |p: &FoundPerson| {
            gender == Gender::Unknown || p.gender == Gender::Unknown || p.gender == gender
        };
        if let Some(i) = self
            .persons
            .iter()
            .position(|p| p.folded == folded && compatible(p))
        {
            return Some(i);
        }
        self.persons
            .iter()
            .position(|p| {
                compatible(p)
                    && p.folded.len() > folded.len()
                    && p.folded[1..]
                        .windows(folded.len())
                        .any(|w| w == folded.as_slice())
            })
            .or_else(|| {
                // "David Evers" when only "Mr. Evers" is known, or the same first
                // name with a fuller surname.
                (folded.len() >= 2).then(|| {
                    self.persons.iter().position(|p| {
                        compatible(p)
                            && ((p.folded.len() == 1 && folded[1..].contains(&p.folded[0]))
                                || (p.folded.len() >= 2
                                    && p.folded[0] == folded[0]
                                    && folded[1..].iter().all(|f| p.folded.contains(f))))
                    })
                })?
            })
    }
}

struct Tagger {
    registry: Registry,
    /// The last person who spoke or was given the floor, per gender.
    last_named: [Option<usize>; 3],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Entity {
    Person(usize),
    Participant,
}

fn gender_slot(gender: Gender) -> usize {
    match gender {
        Gender::Male => 0,
        Gender::Female => 1,
        Gender::Unknown => 2,
    }
}

impl Tagger {
    /// Tags one unit from its tokens and the references found in each sentence.
    fn tag_unit(&mut self, tokens: &Tokens<'_>, sentence_refs: &[Vec<Ref>]) -> UnitPeople {
        let mut people = UnitPeople::default();
        let mut antecedents: Vec<Entity> = Vec::new();
        let mut named: Vec<usize> = Vec::new();
        for (sentence, refs) in tokens.sentences.iter().zip(sentence_refs) {
            for at in 0..refs.len() {
                let found = &refs[at];
                let role = role(tokens, refs, at, sentence.end);
                let entity = match &found.kind {
                    RefKind::Named { title, parts } => {
                        self.person(title.as_deref(), parts, tokens, found, sentence.end)
                    }
                    RefKind::Bare { parts } => {
                        self.person(None, parts, tokens, found, sentence.end)
                    }
                    RefKind::Pronoun(gender) => {
                        if role != Role::Speaker {
                            continue;
                        }
                        self.resolve(*gender, &antecedents)
                    }
                    RefKind::Participant { org } => {
                        if role != Role::Speaker {
                            continue;
                        }
                        people.participant = true;
                        if let Some(org) = org
                            && !people.participant_orgs.contains(org)
                        {
                            people.participant_orgs.push(org.clone());
                        }
                        Some(Entity::Participant)
                    }
                };
                let Some(entity) = entity else { continue };
                if let Entity::Person(person) = entity {
                    named.push(person);
                }
                if role == Role::Mention {
                    continue;
                }
                antecedents.push(entity);
                if let Entity::Person(person) = entity {
                    let slot = gender_slot(self.registry.persons[person].gender);
                    self.last_named[slot] = Some(person);
                    if role == Role::Speaker && !people.speakers.contains(&person) {
                        people.speakers.push(person);
                    }
                }
            }
        }
        for person in named {
            if !people.speakers.contains(&person) && !people.mentions.contains(&person) {
                people.mentions.push(person);
            }
        }
        people
    }

    /// The identity a name refers to (noting any affiliation given with it).
    fn person(
        &mut self,
        title: Option<&str>,
        parts: &[String],
        tokens: &Tokens<'_>,
        found: &Ref,
        end: usize,
    ) -> Option<Entity> {
        let person = self.registry.lookup(parts, gender_of(title))?;
        self.note_affiliation(person, tokens, found, end);
        Some(Entity::Person(person))
    }

    /// "He"/"She": the latest compatible speaker or floor recipient in this
    /// paragraph, else the latest one of that gender before it.
    fn resolve(&self, gender: Gender, antecedents: &[Entity]) -> Option<Entity> {
        for entity in antecedents.iter().rev() {
            match *entity {
                Entity::Participant => return Some(Entity::Participant),
                Entity::Person(p) => {
                    let g = self.registry.persons[p].gender;
                    if g == gender || g == Gender::Unknown {
                        return Some(Entity::Person(p));
                    }
                }
            }
        }
        self.last_named[gender_slot(gender)]
            .or(self.last_named[gender_slot(Gender::Unknown)])
            .map(Entity::Person)
    }

    /// Records "(UNITAR)" or "from UN Environment" after a name.
    fn note_affiliation(&mut self, person: usize, tokens: &Tokens<'_>, found: &Ref, end: usize) {
        let words = &tokens.words;
        let person = &mut self.registry.persons[person];
        if person.org.is_some() {
            return;
        }
        let after = found.last + 1;
        if has_trailing_punct(words[found.last]) {
            // "Mr. Michael Bender, from the Zero Mercury Working Group (ZMWW),"
            if words[found.last].ends_with(',') && person.from_org.is_none() {
                person.from_org = org_after_from(words, after, end).0;
            }
            return;
        }
        if let Some((text, _)) = parenthesised(words, after, end) {
            if text.chars().next().is_some_and(char::is_uppercase)
                && !text.chars().any(|c| c.is_ascii_digit())
            {
                person.org = Some(text);
            }
            return;
        }
        if person.from_org.is_none() {
            person.from_org = org_after_from(words, after, end).0;
        }
    }
}

/// Display names of `ids`, for assertions.
#[cfg(test)]
fn names(people: &People, ids: &[usize]) -> Vec<String> {
    ids.iter()
        .map(|&i| people.persons[i].display_name())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(texts: &[&str]) -> Vec<RawUnit> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| RawUnit {
                label: (i + 1).to_string(),
                agenda: None,
                text: t.to_string(),
                first_page: 1,
                last_page: 1,
                line_no: i + 1,
            })
            .collect()
    }

    #[test]
    fn speakers_mentions_and_pronouns() {
        let people = find(&units(&[
            "Mr. Cuna invited Ms. Susan Keane (NRDC) to take the floor.",
            "Ms. Keane stated that no country had finished. She added more.",
            "He thanked Ms. Keane.",
        ]));
        assert_eq!(names(&people, &people.units[0].speakers), ["Cuna"]);
        assert_eq!(names(&people, &people.units[0].mentions), ["Susan Keane"]);
        assert_eq!(names(&people, &people.units[1].speakers), ["Susan Keane"]);
        assert_eq!(names(&people, &people.units[2].speakers), ["Cuna"]);
        let keane = people.units[0].mentions[0];
        assert_eq!(people.persons[keane].org.as_deref(), Some("NRDC"));
    }

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

    #[test]
    fn hyphenated_given_names_without_honorific() {
        let people = find(&units(&[
            "Mr. Cuna introduced Jean-Pierre Lefèvre (Philippines) to the meeting.",
            "Mr. Lefèvre stated that the work went on.",
        ]));
        assert_eq!(
            names(&people, &people.units[1].speakers),
            ["Jean-Pierre Lefèvre"]
        );
        let lefevre = people.units[1].speakers[0];
        assert_eq!(people.persons[lefevre].org.as_deref(), Some("Philippines"));
    }

    #[test]
    fn unnamed_participant_takes_the_pronoun() {
        let people = find(&units(&[
            "Mr. Ankrah answered. A participant from WCC added remarks. He mentioned costs.",
        ]));
        assert_eq!(names(&people, &people.units[0].speakers), ["Ankrah"]);
        assert!(people.units[0].participant);
        assert_eq!(people.units[0].participant_orgs, ["WCC"]);
    }
}
