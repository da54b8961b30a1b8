//! Resolving references to identities paragraph by paragraph, in document
//! order: names to people, "he"/"she" to the latest compatible speaker, and
//! the affiliation noted beside a name.

use super::identities::{Registry, gender_of};
use super::refs::{Ref, RefKind, org_after_from, parenthesised};
use super::roles::{Role, role};
use super::words::{Tokens, has_trailing_punct};
use super::{Gender, UnitPeople};

pub(super) struct Tagger {
    pub(super) registry: Registry,
    /// The last person who spoke or was given the floor, per gender.
    pub(super) last_named: [Option<usize>; 3],
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Entity {
    Person(usize),
    Participant,
}

pub(super) fn gender_slot(gender: Gender) -> usize {
    match gender {
        Gender::Male => 0,
        Gender::Female => 1,
        Gender::Unknown => 2,
    }
}

impl Tagger {
    /// Tags one unit from its tokens and the references found in each sentence.
    pub(super) fn tag_unit(
        &mut self,
        tokens: &Tokens<'_>,
        sentence_refs: &[Vec<Ref>],
    ) -> UnitPeople {
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
    pub(super) fn person(
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
    pub(super) fn resolve(&self, gender: Gender, antecedents: &[Entity]) -> Option<Entity> {
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
    pub(super) fn note_affiliation(
        &mut self,
        person: usize,
        tokens: &Tokens<'_>,
        found: &Ref,
        end: usize,
    ) {
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
