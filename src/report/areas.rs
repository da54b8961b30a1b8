//! Partnership areas: the taxonomy (built in, or the user's TOML/JSON file)
//! and the tagging of units with areas — by the area report block a unit lies
//! in, by a group-report lead-in ("On coal emissions and cement areas: …"),
//! and by the area's name or aliases in the text.

use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::fold;

const BUILTIN: &str = include_str!("areas.toml");

/// Topics people raise that no partnership area covers: a unit about them
/// ends an area's report block rather than being forced into the area.
const OUTSIDE_TOPICS: [&str; 9] = [
    "non-ferrous",
    "nonferrous",
    "oil and gas",
    "natural gas",
    "smelting",
    "smelter",
    "smelters",
    "not covered by any",
    "not addressed by any",
];

/// The "area" of an [`OUTSIDE_TOPICS`] pattern.
const OUTSIDE: usize = usize::MAX;
/// The "area" of a [`Area::not_about`] phrase: it only hides the aliases in it.
const NOT_ABOUT: usize = usize::MAX - 1;

/// One partnership area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Short key used in queries and output, e.g. `"asgm"`.
    pub key: String,
    /// Full name, e.g. `"Artisanal and Small-Scale Gold Mining"`.
    pub name: String,
    /// Other ways reports name the area.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Phrases that hold one of the aliases but are not about the area
    /// ("emission monitoring" is about a source, not about fate and
    /// transport research): where one stands, its words tag nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_about: Vec<String>,
}

#[derive(Deserialize)]
struct TaxonomyFile {
    /// Groups of words and phrases a search treats as the same.
    #[serde(default)]
    synonyms: Vec<Vec<String>>,
    #[serde(alias = "areas")]
    area: Vec<Area>,
}

/// The partnership areas and a matcher for their names in text.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    areas: Vec<Area>,
    /// Groups of words and phrases searched as one another.
    synonyms: Vec<Vec<String>>,
    /// Names and aliases with their variants, and the area of each.
    patterns: Vec<String>,
    pattern_area: Vec<usize>,
    /// Built on first use: searching needs only the areas, tagging the matcher.
    matcher: OnceLock<Option<AhoCorasick>>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Taxonomy {
    /// The eight areas of the Global Mercury Partnership.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN, Path::new("<built-in>")).expect("the built-in taxonomy is valid")
    }

    /// Reads a taxonomy file: JSON when the name ends in `.json`, else TOML.
    /// Both hold a list of `{key, name, aliases}` under `area` (or `areas`).
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            let file: TaxonomyFile = serde_json::from_str(&text).map_err(|e| Error::Taxonomy {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
            Ok(Self::new(file.area, path)?.with_synonyms(file.synonyms))
        } else {
            Self::from_toml(&text, path)
        }
    }

    fn from_toml(text: &str, path: &Path) -> Result<Self> {
        let file: TaxonomyFile = toml::from_str(text).map_err(|e| Error::Taxonomy {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(Self::new(file.area, path)?.with_synonyms(file.synonyms))
    }

    /// Builds a taxonomy from areas; keys must be non-empty and unique.
    pub fn new(areas: Vec<Area>, origin: &Path) -> Result<Self> {
        let invalid = |reason: String| Error::Taxonomy {
            path: origin.to_path_buf(),
            reason,
        };
        if areas.is_empty() {
            return Err(invalid("no areas defined".to_string()));
        }
        let mut patterns = Vec::new();
        let mut pattern_area = Vec::new();
        for (index, area) in areas.iter().enumerate() {
            if area.key.trim().is_empty() {
                return Err(invalid(format!("area {} has an empty key", index + 1)));
            }
            if areas[..index]
                .iter()
                .any(|a| fold(&a.key) == fold(&area.key))
            {
                return Err(invalid(format!("duplicate area key {:?}", area.key)));
            }
            let names = std::iter::once(&area.name).chain(&area.aliases);
            let tagged = names
                .map(|phrase| (phrase, index))
                .chain(area.not_about.iter().map(|phrase| (phrase, NOT_ABOUT)));
            for (phrase, index) in tagged {
                let phrase = phrase.trim();
                if phrase.is_empty() {
                    continue;
                }
                // "small-scale" and "small scale" are the same words.
                for variant in [
                    phrase.to_string(),
                    phrase.replace('-', " "),
                    phrase.replace(' ', "-"),
                ] {
                    if !patterns.contains(&variant) {
                        patterns.push(variant);
                        pattern_area.push(index);
                    }
                }
            }
        }
        // Topics no area covers, matched in the same pass (an area the
        // taxonomy gives such a name keeps it).
        for topic in OUTSIDE_TOPICS {
            if !patterns.iter().any(|p| p.eq_ignore_ascii_case(topic)) {
                patterns.push(topic.to_string());
                pattern_area.push(OUTSIDE);
            }
        }
        if patterns.len() > 20_000 || patterns.iter().any(|p| p.len() > 500) {
            return Err(invalid(
                "too many or too long names and aliases".to_string(),
            ));
        }
        Ok(Taxonomy {
            areas,
            synonyms: Vec::new(),
            patterns,
            pattern_area,
            matcher: OnceLock::new(),
        })
    }

    /// The taxonomy with these synonym groups (each of two or more
    /// non-blank entries; others are dropped).
    pub fn with_synonyms(mut self, groups: Vec<Vec<String>>) -> Self {
        self.synonyms = groups
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|entry| entry.trim().to_string())
                    .filter(|entry| !entry.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|group| group.len() >= 2)
            .collect();
        self
    }

    /// Groups of words and phrases a search treats as the same
    /// ("sulfur", "sulphur"), from the taxonomy file's `synonyms`.
    pub fn synonyms(&self) -> &[Vec<String>] {
        &self.synonyms
    }

    fn matcher(&self) -> Option<&AhoCorasick> {
        self.matcher
            .get_or_init(|| {
                // A DFA: the taxonomy is small and every unit's text is searched.
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    /// The areas, in taxonomy order.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// The area a user names by key, name or alias (case- and
    /// accent-insensitive), or by a prefix of exactly one key.
    pub fn lookup(&self, name: &str) -> Option<&Area> {
        let wanted = fold(name.trim());
        let exact = self.areas.iter().find(|a| {
            fold(&a.key) == wanted
                || fold(&a.name) == wanted
                || a.aliases.iter().any(|alias| fold(alias) == wanted)
        });
        if exact.is_some() || wanted.is_empty() {
            return exact;
        }
        let mut prefixed = self
            .areas
            .iter()
            .filter(|a| fold(&a.key).starts_with(&wanted));
        match (prefixed.next(), prefixed.next()) {
            (Some(area), None) => Some(area),
            _ => None,
        }
    }

    /// Areas named in `text` (whole words), as `(area index, start, end)`.
    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, usize)> + 't {
        self.matcher()
            .into_iter()
            .flat_map(move |matcher| matcher.find_iter(text))
            .filter_map(move |m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let bounded = !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric);
                let area = self.pattern_area[m.pattern().as_usize()];
                (bounded && area != NOT_ABOUT).then_some((area, m.start(), m.end()))
            })
    }

    /// Areas whose key appears as a word in a group-report lead-in such as
    /// "products, chlor-alkali, supply and storage, and waste management areas".
    fn keys_in(&self, lead_in: &str) -> Vec<usize> {
        let folded = fold(lead_in);
        self.areas
            .iter()
            .enumerate()
            .filter(|(_, area)| {
                let key = fold(&area.key);
                contains_word(&folded, &key) || contains_word(&folded, &key.replace('-', " "))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Tags units in document order; keeps track of the area report block.
pub(crate) struct AreaTagger<'t> {
    taxonomy: &'t Taxonomy,
    block: Vec<usize>,
    block_item: Option<(Option<u32>, String, Option<String>)>,
    /// The area the agenda item or sub-item in force is about, if its title
    /// names exactly one ("B. Artisanal and small-scale gold mining").
    item_area: Option<usize>,
}

impl<'t> AreaTagger<'t> {
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
        AreaTagger {
            taxonomy,
            block: Vec::new(),
            block_item: None,
            item_area: None,
        }
    }

    /// The area indices (taxonomy order) of a unit under agenda `item`
    /// (number, title, sub-item title).
    pub fn tag(
        &mut self,
        text: &str,
        item: Option<(Option<u32>, &str, Option<&str>)>,
    ) -> Vec<usize> {
        let item = item.map(|(n, title, sub)| (n, title.to_string(), sub.map(str::to_string)));
        if item != self.block_item {
            self.block.clear();
            self.item_area = item.as_ref().and_then(|(_, title, sub)| {
                let heading = sub.as_deref().unwrap_or(title);
                // A heading that lists topics ("Areas addressing products,
                // processes, supply and waste") is about more than one area.
                let listing =
                    heading.contains(',') || heading.to_ascii_lowercase().contains("areas");
                if listing {
                    return None;
                }
                let mut named: Vec<usize> = self
                    .taxonomy
                    .matches(heading)
                    .map(|(a, ..)| a)
                    .filter(|&a| a != OUTSIDE)
                    .collect();
                named.dedup();
                (named.len() == 1).then(|| named[0])
            });
            self.block_item = item;
        }
        let mut named: Vec<(usize, usize, usize)> = self.taxonomy.matches(text).collect();
        drop_enumerations(text, &mut named);
        let outside = named.iter().any(|&(area, ..)| area == OUTSIDE);
        if outside {
            self.block.clear();
        }
        let mut found = vec![false; self.taxonomy.areas.len()];
        let mut starts = Vec::new();
        for (area, start, end) in named {
            if area == OUTSIDE {
                continue;
            }
            found[area] = true;
            if introduces_area_lead(text, start, end) {
                starts.push(area);
            }
        }
        // Report blocks run under an agenda item; outside the outline (an
        // annex of action items) each unit speaks for itself.
        if self.block_item.is_none() {
            self.block.clear();
        } else if !starts.is_empty() {
            self.block = starts;
        }
        for &area in &self.block {
            found[area] = true;
        }
        if let Some(area) = self.item_area.filter(|_| !outside) {
            found[area] = true;
        }
        if let Some(lead_in) = group_lead_in(text) {
            for area in self.taxonomy.keys_in(lead_in) {
                found[area] = true;
            }
        }
        found
            .iter()
            .enumerate()
            .filter_map(|(i, &yes)| yes.then_some(i))
            .collect()
    }
}

/// Removes the names of a sentence that only enumerates areas: a numbered
/// list ("1) ASGM area; 2) Fate and transport area; 3) …") whose items name
/// three areas or more, such as how small groups were composed or a list of
/// proposed themes. Such a sentence is about the list, not about each area.
fn drop_enumerations(text: &str, named: &mut Vec<(usize, usize, usize)>) {
    // Most units name fewer than three areas or hold no list: no sentence
    // needs finding.
    if named.len() < 3 {
        return;
    }
    let mut areas: Vec<usize> = named
        .iter()
        .map(|&(area, ..)| area)
        .filter(|&area| area != OUTSIDE)
        .collect();
    areas.sort_unstable();
    areas.dedup();
    if areas.len() < 3 || !["1)", "2)", "3)"].iter().all(|m| text.contains(m)) {
        return;
    }
    let sentence_of = |start: usize, end: usize| {
        let sentence = crate::text::sentence_around(text, start, end);
        let from = sentence.as_ptr() as usize - text.as_ptr() as usize;
        (from, from + sentence.len())
    };
    let enumerating: Vec<(usize, usize)> = named
        .iter()
        .map(|&(_, start, end)| sentence_of(start, end))
        .filter(|&(from, to)| {
            let mut areas: Vec<usize> = named
                .iter()
                .filter(|&&(area, start, _)| area != OUTSIDE && (from..to).contains(&start))
                .map(|&(area, ..)| area)
                .collect();
            areas.sort_unstable();
            areas.dedup();
            areas.len() >= 3 && numbered_list(&text[from..to])
        })
        .collect();
    named.retain(|&(_, start, _)| !enumerating.iter().any(|r| (r.0..r.1).contains(&start)));
}

/// A sentence holding list items "1) … 2) … 3) …".
fn numbered_list(sentence: &str) -> bool {
    ["1)", "2)", "3)"].iter().all(|marker| {
        sentence.match_indices(marker).any(|(i, _)| {
            !sentence[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric())
        })
    })
}

/// "… Co-Lead of the Coal Combustion Partnership Area", "invited Mr. X to …
/// share the activities undertaken by Products Partnership area": the match
/// at `start..end` names a partnership area whose lead is given the floor.
fn introduces_area_lead(text: &str, start: usize, end: usize) -> bool {
    let matched = text[start..end].to_ascii_lowercase();
    let rest = text[end..].trim_start();
    let rest = match rest.strip_prefix('(') {
        Some(inner) => inner
            .split_once(')')
            .map_or(inner, |(_, after)| after)
            .trim_start(),
        None => rest,
    };
    let titled = matched.ends_with("partnership area")
        || rest
            .get(..16)
            .is_some_and(|r| r.eq_ignore_ascii_case("partnership area"));
    if !titled {
        return false;
    }
    let sentence = crate::text::sentence_around(text, start, end).to_ascii_lowercase();
    [
        "lead of",
        "leads of",
        "co-lead",
        "invited",
        "invite ",
        "the floor to",
        "given the floor",
    ]
    .iter()
    .any(|trigger| sentence.contains(trigger))
}

/// The lead-in of a group report: "On the fate and transport area: …".
fn group_lead_in(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("On ")?;
    let colon = rest.find(':')?;
    (colon <= 120).then(|| &rest[..colon])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(taxonomy: &Taxonomy, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&i| taxonomy.areas()[i].key.clone())
            .collect()
    }

    #[test]
    fn builtin_has_eight_areas_and_lookup_is_lenient() {
        let taxonomy = Taxonomy::builtin();
        assert_eq!(taxonomy.areas().len(), 8);
        assert_eq!(taxonomy.lookup("ASGM").unwrap().key, "asgm");
        assert_eq!(
            taxonomy
                .lookup("artisanal and small-scale gold mining")
                .unwrap()
                .key,
            "asgm"
        );
        assert_eq!(taxonomy.lookup("chlor").unwrap().key, "chlor-alkali");
        assert!(taxonomy.lookup("c").is_none());
    }

    #[test]
    fn phrases_not_about_an_area_hide_its_alias() {
        let taxonomy = Taxonomy::builtin();
        let mut tagger = AreaTagger::new(&taxonomy);
        let item = Some((Some(3), "Review", None));
        let stack = tagger.tag("Continuous emission monitoring at coal-fired plants.", item);
        assert_eq!(keys(&taxonomy, &stack), ["coal"]);
        let global = tagger.tag("Global monitoring of mercury in air.", item);
        assert_eq!(keys(&taxonomy, &global), ["fate-transport"]);
    }

    #[test]
    fn blocks_follow_the_lead_introduction() {
        let taxonomy = Taxonomy::builtin();
        let mut tagger = AreaTagger::new(&taxonomy);
        let item = Some((Some(3), "Review", None));
        let intro = tagger.tag(
            "Ms. Bailey invited Mr. X, Co-Lead of the Cement Industry Partnership Area.",
            item,
        );
        assert_eq!(keys(&taxonomy, &intro), ["cement"]);
        let next = tagger.tag("He said guidance was shared worldwide.", item);
        assert_eq!(keys(&taxonomy, &next), ["cement"]);
        let other_item = tagger.tag(
            "He said guidance was shared worldwide.",
            Some((Some(4), "Other", None)),
        );
        assert!(other_item.is_empty());
    }

    #[test]
    fn group_lead_in_names_areas_by_key() {
        let taxonomy = Taxonomy::builtin();
        let mut tagger = AreaTagger::new(&taxonomy);
        let areas = tagger.tag(
            "On products, chlor-alkali, supply and storage, and waste management areas: text.",
            None,
        );
        assert_eq!(
            keys(&taxonomy, &areas),
            ["products", "chlor-alkali", "supply-storage", "waste"]
        );
    }

    #[test]
    fn rejects_bad_files() {
        let err = Taxonomy::from_toml(
            "[[area]]\nkey = \"a\"\nname = \"A\"\n[[area]]\nkey = \"A\"\nname = \"B\"\n",
            Path::new("t.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("duplicate area key"));
    }
}
