//! Resolving references to identities paragraph by paragraph, in document
//! order: names to people, "he"/"she" to the latest compatible speaker,
//! offices ("the Chair", "the Executive Secretary") to their holder at that
//! point of the report (the chair changes hands when someone takes it),
//! delegations to the Parties they name, and the affiliation noted beside a
//! name.

use std::collections::HashMap;

use super::identities::{Registry, gender_of};
use super::refs::{Office, Ref, RefKind, bare_parts, org_after_from, parenthesised};
use super::roles::{Role, chair_agent, role, takes_the_chair};
use super::words::{Tokens, has_trailing_punct};
use super::{Gender, UnitPeople};

pub(super) struct Tagger {
    pub(super) registry: Registry,
    /// The last person who spoke or was given the floor, per gender, with
    /// when (a running count of such acts).
    pub(super) last_named: [Option<(usize, u64)>; 3],
    pub(super) acts: u64,
    /// The last delegation or person who spoke, across paragraphs.
    pub(super) last_speaker: Option<Entity>,
    /// Delegations met so far: the Parties named and the groups spoken for.
    pub(super) delegations: Vec<(Vec<String>, Vec<String>)>,
    /// Who holds each office, as far as the report has said.
    pub(super) holders: HashMap<Office, usize>,
    pub(super) co_chairs: Vec<usize>,
    /// The co-chair who last acted as "the Co-Chair".
    pub(super) last_co_chair: Option<usize>,
    /// Who is in the chair now.
    pub(super) presiding: Option<usize>,
    /// Buffers reused from unit to unit.
    scratch: Scratch,
}

/// Working lists of [`Tagger::tag_unit`], kept to spare an allocation per unit.
#[derive(Default)]
struct Scratch {
    antecedents: Vec<Entity>,
    named: Vec<usize>,
    entities: Vec<Entity>,
    sentence_people: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Entity {
    Person(usize),
    Participant,
    /// Index into [`Tagger::delegations`].
    Delegation(usize),
}

pub(super) fn gender_slot(gender: Gender) -> usize {
    match gender {
        Gender::Male => 0,
        Gender::Female => 1,
        Gender::Unknown => 2,
    }
}

impl Tagger {
    pub(super) fn new(registry: Registry) -> Self {
        Tagger {
            registry,
            last_named: [None; 3],
            acts: 0,
            last_speaker: None,
            delegations: Vec::new(),
            holders: HashMap::new(),
            co_chairs: Vec::new(),
            last_co_chair: None,
            presiding: None,
            scratch: Scratch::default(),
        }
    }

    /// Tags one unit from its tokens and the references found in each sentence.
    pub(super) fn tag_unit(
        &mut self,
        tokens: &Tokens<'_>,
        sentence_refs: &[Vec<Ref>],
    ) -> UnitPeople {
        let mut people = UnitPeople::default();
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.antecedents.clear();
        scratch.named.clear();
        let Scratch {
            antecedents,
            named,
            entities,
            sentence_people,
        } = &mut scratch;
        for (sentence, refs) in tokens.sentences.iter().zip(sentence_refs) {
            // "co-chaired by A and B", "the two Co-Chairs, A and B": the
            // people named after it are the co-chairs.
            let co_chair_word = (sentence.start..sentence.end).find(|&k| {
                matches!(tokens.words[k].as_bytes()[0], b'c' | b'C')
                    && ["co-chaired", "co-chairs", "co-chairpersons"]
                        .iter()
                        .any(|w| tokens.is(k, w))
            });
            sentence_people.clear();
            // Only a sentence about the chair can hand it over.
            let sentence_text = tokens.span(sentence.clone());
            let mentions_chair = sentence_text.contains("hair") || sentence_text.contains("resid");
            for at in 0..refs.len() {
                let found = &refs[at];
                let role = role(tokens, refs, at, sentence.start, sentence.end);
                let chairs = mentions_chair
                    && (takes_the_chair(tokens, refs, at, sentence.end)
                        || chair_agent(tokens, found));
                // Most references are one entity; "the co-chairs" are several.
                entities.clear();
                match &found.kind {
                    RefKind::Named { title, parts } => entities.extend(self.person(
                        title.as_deref(),
                        parts,
                        tokens,
                        found,
                        sentence.end,
                    )),
                    RefKind::Bare => {
                        let parts = bare_parts(tokens, found);
                        entities.extend(self.person(None, &parts, tokens, found, sentence.end))
                    }
                    RefKind::Pronoun(gender) => {
                        if role != Role::Speaker && !chairs {
                            continue;
                        }
                        entities.extend(self.resolve(*gender, antecedents));
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
                        entities.push(Entity::Participant);
                    }
                    RefKind::Office { office, plural } => entities.extend(
                        self.holders_of(*office, *plural)
                            .into_iter()
                            .map(Entity::Person),
                    ),
                    RefKind::Delegation {
                        names,
                        on_behalf_of,
                    } => {
                        let delegation = self.delegation(names, on_behalf_of);
                        entities.push(delegation);
                    }
                }
                for &entity in entities.iter() {
                    if let Entity::Person(person) = entity {
                        if let Some(office) = found.office {
                            self.hold(office, person);
                        }
                        if chairs {
                            self.presiding = Some(person);
                        }
                        if role == Role::Speaker
                            && matches!(
                                found.kind,
                                RefKind::Office {
                                    office: Office::CoChair,
                                    plural: false
                                }
                            )
                        {
                            self.last_co_chair = Some(person);
                        }
                        if matches!(found.kind, RefKind::Named { .. } | RefKind::Bare) {
                            named.push(person);
                            sentence_people.push((found.first, person));
                        }
                    }
                    if role == Role::Mention {
                        continue;
                    }
                    antecedents.push(entity);
                    if role == Role::Speaker {
                        self.last_speaker = Some(entity);
                    }
                    match entity {
                        Entity::Person(person) => {
                            let slot = gender_slot(self.registry.persons[person].gender);
                            self.acts += 1;
                            self.last_named[slot] = Some((person, self.acts));
                            if role == Role::Speaker && !people.speakers.contains(&person) {
                                people.speakers.push(person);
                            }
                        }
                        Entity::Delegation(index) if role == Role::Speaker => {
                            let (names, groups) = &self.delegations[index];
                            for name in names {
                                if !people.delegations.contains(name) {
                                    people.delegations.push(name.clone());
                                }
                            }
                            for group in groups {
                                if !people.on_behalf_of.contains(group) {
                                    people.on_behalf_of.push(group.clone());
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            if let Some(word) = co_chair_word
                && !co_chairs_another_body(tokens, sentence.start, word)
            {
                let mut chairs: Vec<usize> = Vec::new();
                // "A and B served as Co-Chairs", "A, one of the two Co-Chairs
                // of the working group, the other being B": named before too.
                let named_before = co_chairs_named_before(tokens, sentence.start, word);
                for &(first, person) in sentence_people.iter() {
                    if (first > word || named_before) && !chairs.contains(&person) {
                        chairs.push(person);
                    }
                }
                if chairs.len() >= 2 {
                    self.co_chairs = chairs;
                }
            }
        }
        for &person in named.iter() {
            if !people.speakers.contains(&person) && !people.mentions.contains(&person) {
                people.mentions.push(person);
            }
        }
        self.scratch = scratch;
        people
    }

    /// Records that `person` holds `office`.
    fn hold(&mut self, office: Office, person: usize) {
        match office {
            Office::CoChair => {
                if !self.co_chairs.contains(&person) {
                    self.co_chairs.push(person);
                }
                self.last_co_chair = Some(person);
            }
            Office::Chair => {
                self.holders.insert(office, person);
                self.presiding = Some(person);
            }
            Office::President => {
                self.holders.insert(office, person);
                self.presiding.get_or_insert(person);
            }
            _ => {
                self.holders.insert(office, person);
            }
        }
    }

    /// Who "the Chair", "the Co-Chair(s)", "the President" … is now.
    fn holders_of(&self, office: Office, plural: bool) -> Vec<usize> {
        let held = |o: Office| self.holders.get(&o).copied();
        let co_chair = || {
            self.presiding
                .filter(|p| self.co_chairs.contains(p))
                .or(self.last_co_chair)
                .or(self.co_chairs.first().copied())
        };
        let holder = match office {
            Office::CoChair if plural => return self.co_chairs.clone(),
            Office::Chair if plural => return self.co_chairs.clone(),
            Office::Chair => self
                .presiding
                .or(held(Office::Chair))
                .or(held(Office::President))
                .or_else(co_chair),
            Office::President => held(Office::President).or(self.presiding),
            Office::CoChair => co_chair().or(self.presiding),
            other => held(other),
        };
        holder.into_iter().collect()
    }

    /// The delegation entity of `names` (the same Parties: the same entity).
    fn delegation(&mut self, names: &[String], on_behalf_of: &[String]) -> Entity {
        if let Some(index) = self
            .delegations
            .iter()
            .position(|(known, groups)| known == names && groups == on_behalf_of)
        {
            return Entity::Delegation(index);
        }
        self.delegations
            .push((names.to_vec(), on_behalf_of.to_vec()));
        Entity::Delegation(self.delegations.len() - 1)
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
                Entity::Delegation(d) => return Some(Entity::Delegation(d)),
                Entity::Person(p) => {
                    let g = self.registry.persons[p].gender;
                    if g == gender || g == Gender::Unknown {
                        return Some(Entity::Person(p));
                    }
                }
            }
        }
        // A delegation that spoke last goes on speaking ("She added …").
        if let Some(Entity::Delegation(d)) = self.last_speaker {
            return Some(Entity::Delegation(d));
        }
        // The latest person of that gender, or a later one whose gender the
        // report never gave ("Dr. de los Santos … She added").
        let gendered = self.last_named[gender_slot(gender)];
        let unknown = self.last_named[gender_slot(Gender::Unknown)];
        let latest = match (gendered, unknown) {
            (Some(g), Some(u)) if u.1 > g.1 => Some(u),
            (Some(g), _) => Some(g),
            (None, u) => u,
        };
        latest.map(|(person, _)| Entity::Person(person))
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

/// "a contact group, co-chaired by A and B", "established a drafting group
/// co-chaired by …": the co-chairs of a body the meeting set up, not of the
/// meeting.
fn co_chairs_another_body(tokens: &Tokens<'_>, start: usize, word: usize) -> bool {
    (start..word).any(|k| {
        let lower = tokens.lower(k);
        let group = matches!(lower, "group" | "groups" | "subgroup" | "committee")
            && !(k > start && tokens.is(k - 1, "working"));
        group
            || lower.starts_with("establish")
            || matches!(lower, "set" | "formed" | "created" | "convened")
    })
}

/// Whether the people named before "Co-Chairs" hold the office: "A and B
/// served as Co-Chairs", "were elected Co-Chairs", "A, one of the two
/// Co-Chairs …, the other being B".
fn co_chairs_named_before(tokens: &Tokens<'_>, start: usize, word: usize) -> bool {
    let before = |d: usize| {
        word.checked_sub(d)
            .filter(|&k| k >= start)
            .map_or("", |k| tokens.lower(k))
    };
    matches!(before(1), "as" | "elected" | "appointed" | "were")
        || (before(1) == "the" && before(2) == "of" && before(3) == "one")
        || (before(1) == "two" && before(2) == "the" && before(3) == "of")
        || (before(1) == "the" && matches!(before(2), "as" | "elected" | "were"))
}
