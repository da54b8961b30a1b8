//! Who speaks in each paragraph. Finds people by their honorific ("Ms. Susan
//! Keane", "Mr. Maag") or, once known, by first name and surname ("Marianne
//! Bailey"); merges every form of a name into one identity; keeps the
//! affiliation given in parentheses; and decides per paragraph who is the
//! subject of a speech act (a speaker) and who is only named (a mention),
//! resolving "He"/"She" to the right earlier person and flagging unnamed
//! participants who speak.

mod identities;
mod refs;
mod resolve;
mod roles;
mod words;

use super::segment::RawUnit;
use crate::text::fold;
use identities::Registry;
use refs::{Ref, RefKind, bare_parts, scan};
use resolve::Tagger;
use words::Tokens;

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
    /// Parties and organisations whose representatives speak.
    pub delegations: Vec<String>,
    /// Groups those delegations speak for.
    pub on_behalf_of: Vec<String>,
}

/// Everyone in a report and each unit's speakers and mentions.
#[derive(Debug, Default)]
pub(crate) struct People {
    pub persons: Vec<FoundPerson>,
    pub units: Vec<UnitPeople>,
}

/// Unit text whose words and references [`find`] keeps between its passes:
/// every unit of a report up to this size (any real report), the first
/// units of a larger one. The words of a paragraph take about six times its
/// text and its references more than its text again, so the rest of a very
/// large report is tokenised and scanned again in each pass instead, one
/// unit at a time: the same words and references, in bounded memory.
const KEPT_TEXT_BYTES: usize = 4 << 20;

/// The references of each sentence of a unit.
fn scan_unit(tokens: &Tokens<'_>) -> Vec<Vec<Ref>> {
    tokens
        .sentences
        .iter()
        .map(|s| scan(tokens, s.clone()))
        .collect()
}

/// Keeps, of a unit's candidate bare names ("Marianne Bailey"), those
/// whose surname belongs to someone named with an honorific and that no
/// reference kept before covers.
fn keep_known_bare(
    tokens: &Tokens<'_>,
    unit_refs: &mut [Vec<Ref>],
    surnames: &std::collections::HashSet<String>,
) {
    for refs in unit_refs {
        let mut covered_until = None;
        refs.retain(|found| {
            let keep = match &found.kind {
                RefKind::Bare => {
                    covered_until.is_none_or(|end| found.first > end) && {
                        // Surnames are folded; an ASCII word needs only lowercasing.
                        let surname = tokens.core(found.last);
                        if surname.is_ascii() {
                            surnames.contains(tokens.lower(found.last))
                        } else {
                            surnames.contains(&fold(surname))
                        }
                    }
                }
                _ => true,
            };
            if keep {
                covered_until = Some(found.last);
            }
            keep
        });
    }
}

/// Completes the identities of `registry` with a unit's bare names.
fn add_bare_names(registry: &mut Registry, tokens: &Tokens<'_>, unit_refs: &[Vec<Ref>]) {
    for found in unit_refs.iter().flatten() {
        if let RefKind::Bare = found.kind {
            registry.add_bare(&bare_parts(tokens, found));
        }
    }
}

/// Finds the people of a report's units (in document order).
pub(crate) fn find(units: &[RawUnit]) -> People {
    find_keeping(units, KEPT_TEXT_BYTES)
}

/// [`find`], keeping the words and references of the first units up to
/// `kept_text` bytes of text between passes.
fn find_keeping(units: &[RawUnit], kept_text: usize) -> People {
    let mut kept_bytes = 0;
    let kept = units
        .iter()
        .take_while(|u| {
            kept_bytes += u.text.len();
            kept_bytes <= kept_text
        })
        .count();
    let (kept_units, rest) = units.split_at(kept);
    let tokenised: Vec<Tokens<'_>> = kept_units.iter().map(|u| Tokens::new(&u.text)).collect();
    // One scan finds honorific names, pronouns, participants and candidate
    // bare names ("Marianne Bailey"), sentence by sentence.
    let mut scanned: Vec<Vec<Vec<Ref>>> = tokenised.iter().map(scan_unit).collect();
    // The honorific names of the other units, each form once: a form met
    // again changes no identity.
    let mut rest_titled: Vec<(Option<String>, Vec<String>)> = Vec::new();
    let mut rest_seen = std::collections::HashSet::new();
    for unit in rest {
        let tokens = Tokens::new(&unit.text);
        for found in scan_unit(&tokens).into_iter().flatten() {
            if let RefKind::Named { title, parts } = found.kind
                && rest_seen.insert((title.clone(), parts.clone()))
            {
                rest_titled.push((title, parts));
            }
        }
    }
    drop(rest_seen);
    let mut registry = Registry::default();
    let titled = scanned
        .iter()
        .flatten()
        .flatten()
        .filter_map(|found| match &found.kind {
            RefKind::Named { title, parts } => Some((title.as_deref(), parts.as_slice())),
            _ => None,
        })
        .chain(
            rest_titled
                .iter()
                .map(|(title, parts)| (title.as_deref(), parts.as_slice())),
        )
        .collect();
    registry.add_titled(titled);
    drop(rest_titled);
    // A bare name counts when its surname belongs to someone named with an
    // honorific; it may then complete that person's first name.
    let surnames = registry.surnames();
    for (tokens, unit_refs) in tokenised.iter().zip(scanned.iter_mut()) {
        keep_known_bare(tokens, unit_refs, &surnames);
        add_bare_names(&mut registry, tokens, unit_refs);
    }
    for unit in rest {
        let tokens = Tokens::new(&unit.text);
        let mut unit_refs = scan_unit(&tokens);
        keep_known_bare(&tokens, &mut unit_refs, &surnames);
        add_bare_names(&mut registry, &tokens, &unit_refs);
    }
    // Roles, pronouns and affiliations, in document order.
    let mut tagger = Tagger::new(registry);
    let mut units: Vec<UnitPeople> = tokenised
        .iter()
        .zip(&scanned)
        .map(|(tokens, refs)| tagger.tag_unit(tokens, refs))
        .collect();
    drop((scanned, tokenised));
    units.extend(rest.iter().map(|unit| {
        let tokens = Tokens::new(&unit.text);
        let mut unit_refs = scan_unit(&tokens);
        keep_known_bare(&tokens, &mut unit_refs, &surnames);
        tagger.tag_unit(&tokens, &unit_refs)
    }));
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

    /// Units scanned again pass after pass find what units kept between
    /// passes find: the same people, speakers and mentions, whatever the
    /// share kept, on reports of several house styles.
    #[test]
    fn kept_and_rescanned_units_find_the_same_people() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = vec![
            format!("{root}/corpus/pag8-report.md"),
            format!("{root}/tests/fixtures/delegations-report.md"),
            format!("{root}/tests/fixtures/pag8-report.layout.txt"),
        ];
        let styles = std::fs::read_dir(format!("{root}/tests/fixtures/reports")).unwrap();
        files.extend(
            styles
                .flatten()
                .map(|entry| entry.path().display().to_string())
                .filter(|path| path.ends_with(".md") || path.ends_with(".txt")),
        );
        assert!(files.len() >= 5, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let clean = super::super::lines::clean(&text);
            let units = super::super::segment::segment(&clean).units;
            let all = find_keeping(&units, usize::MAX);
            let half: usize = units.iter().map(|u| u.text.len()).sum::<usize>() / 2;
            for kept in [0, half] {
                let people = find_keeping(&units, kept);
                assert_eq!(people.units, all.units, "{file}, {kept} bytes kept");
                assert_eq!(
                    format!("{:?}", people.persons),
                    format!("{:?}", all.persons),
                    "{file}, {kept} bytes kept"
                );
            }
        }
    }
}
