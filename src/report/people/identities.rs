//! Identities: one person for every form of a name ("Ms. Garcia", "Ana
//! Garcia Gonzales"), told apart by first name and by the gender of the
//! honorific.

use std::collections::HashSet;

use super::refs::honorific;
use super::{FoundPerson, Gender};
use crate::text::fold;

#[derive(Default)]
pub(super) struct Registry {
    pub(super) persons: Vec<FoundPerson>,
}

pub(super) fn gender_of(title: Option<&str>) -> Gender {
    title.and_then(honorific).unwrap_or(Gender::Unknown)
}

impl Registry {
    /// Builds identities from honorific forms: full names first, then every
    /// short form joins the full name that contains it.
    pub(super) fn add_titled(&mut self, mut forms: Vec<(Option<&str>, &[String])>) {
        // Longest forms first so "Ms. Garcia" finds "Ana Garcia Gonzales".
        forms.sort_by_key(|(_, parts)| std::cmp::Reverse(parts.len()));
        for (title, parts) in forms {
            let gender = gender_of(title);
            if let Some(known) = self.lookup(parts, gender) {
                // "Mitch Cuna" first, "Mr. Cuna" later: the title tells the gender.
                let person = &mut self.persons[known];
                if person.gender == Gender::Unknown && gender != Gender::Unknown {
                    person.gender = gender;
                    person.title = title.map(str::to_string);
                }
            } else {
                self.persons.push(FoundPerson {
                    folded: parts.iter().map(|p| fold(p)).collect(),
                    parts: parts.to_vec(),
                    gender,
                    title: title.map(str::to_string),
                    org: None,
                    from_org: None,
                });
            }
        }
    }

    /// A first name + surname form: completes a surname-only identity.
    pub(super) fn add_bare(&mut self, parts: &[String]) {
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
    pub(super) fn surnames(&self) -> HashSet<String> {
        let mut surnames = HashSet::new();
        for person in &self.persons {
            let skip = usize::from(person.folded.len() > 1);
            surnames.extend(person.folded.iter().skip(skip).cloned());
        }
        surnames
    }

    /// The identity a name form refers to: the same parts, or parts that
    /// appear in order in a longer name after its first name.
    pub(super) fn lookup(&self, parts: &[String], gender: Gender) -> Option<usize> {
        let folded: Vec<String> = parts.iter().map(|p| fold(p)).collect();
        let compatible = |p: &FoundPerson| {
            gender == Gender::Unknown || p.gender == Gender::Unknown || p.gender == gender
        };
        // Among the people a form fits, one of the same gender first: "Ms.
        // Mensah" is Efua Mensah, not Dr. Paul Mensah.
        let best = |fits: &dyn Fn(&FoundPerson) -> bool| {
            let mut candidates = self
                .persons
                .iter()
                .enumerate()
                .filter(|(_, p)| compatible(p) && fits(p));
            let first = candidates.next()?;
            if gender == Gender::Unknown || first.1.gender == gender {
                return Some(first.0);
            }
            Some(
                candidates
                    .find(|(_, p)| p.gender == gender)
                    .map_or(first.0, |(i, _)| i),
            )
        };
        if let Some(i) = best(&|p| p.folded == folded) {
            return Some(i);
        }
        best(&|p| {
            p.folded.len() > folded.len()
                && p.folded[1..]
                    .windows(folded.len())
                    .any(|w| w == folded.as_slice())
        })
        .or_else(|| {
            // "David Evers" when only "Mr. Evers" is known, or the same first
            // name with a fuller surname.
            (folded.len() >= 2).then(|| {
                best(&|p| {
                    (p.folded.len() == 1 && folded[1..].contains(&p.folded[0]))
                        || (p.folded.len() >= 2
                            && p.folded[0] == folded[0]
                            && folded[1..].iter().all(|f| p.folded.contains(f)))
                })
            })?
        })
        .or_else(|| {
            // "Ms. Chen" for "Ms. Chen Xiaoling": the family name first.
            (folded.len() == 1)
                .then(|| best(&|p| p.folded.len() >= 2 && p.folded[0] == folded[0]))?
        })
    }
}
