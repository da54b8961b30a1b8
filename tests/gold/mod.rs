//! Scoring a parsed report against its gold annotation
//! (`tests/fixtures/reports/README.md` describes the gold files): which
//! units were found, split or invented, how many agenda items are right, and
//! precision, recall and F1 of speakers, delegations and areas. Shared by
//! `tests/report_styles.rs` and `examples/parse_eval.rs`.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::Path;

use pagsearch::report::{Report, Unit};
use pagsearch::text::fold;
use serde::Deserialize;

/// A gold file.
#[derive(Debug, Deserialize)]
pub struct Gold {
    /// The report file, beside the gold file.
    pub file: String,
    /// What house style the report shows.
    #[serde(default)]
    pub style: String,
    /// Text on the pages that is no paragraph's (running heads, footnotes).
    #[serde(default)]
    pub furniture: Vec<String>,
    /// Every unit, in order.
    pub units: Vec<GoldUnit>,
}

/// One unit of a gold file.
#[derive(Debug, Deserialize)]
pub struct GoldUnit {
    pub label: String,
    pub agenda: Option<String>,
    #[serde(default)]
    pub agenda_title: Option<String>,
    pub sub_item: Option<String>,
    #[serde(default)]
    pub speakers: Vec<String>,
    #[serde(default)]
    pub delegations: Vec<String>,
    #[serde(default)]
    pub on_behalf_of: Vec<String>,
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub starts_with: String,
    #[serde(default)]
    pub ends_with: String,
}

impl Gold {
    /// Reads `path` (a `.gold.json` file).
    pub fn read(path: &Path) -> Gold {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// Matches, misses and inventions of one tag, counted over units.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub right: usize,
    pub wrong: usize,
    pub missed: usize,
}

/// "P 0.922  R 0.979  F1 0.949  (94 right, 8 wrong, 2 missed)".
impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}  ({} right, {} wrong, {} missed)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.right,
            self.wrong,
            self.missed
        )
    }
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.wrong)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.right, self.right + self.missed)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, found: &[String], gold: &[String]) {
        let found: HashSet<String> = found.iter().map(|s| fold(s)).collect();
        let gold: HashSet<String> = gold.iter().map(|s| fold(s)).collect();
        self.right += found.intersection(&gold).count();
        self.wrong += found.difference(&gold).count();
        self.missed += gold.difference(&found).count();
    }
}

/// 1.0 when there is nothing to find: no tag is perfectly found.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// How a parsed report compares with its gold.
#[derive(Debug, Default)]
pub struct Score {
    pub gold_units: usize,
    /// Gold units found under their label.
    pub found_units: usize,
    /// Parsed units no gold unit has.
    pub spurious: Vec<String>,
    /// Gold units not found.
    pub missing: Vec<String>,
    pub agenda_right: usize,
    pub title_right: usize,
    pub titles_judged: usize,
    pub text_right: usize,
    pub speakers: Counts,
    pub delegations: Counts,
    pub on_behalf_of: Counts,
    pub areas: Counts,
    /// Furniture strings found in some unit's text.
    pub furniture_leaks: Vec<String>,
    /// One line per disagreement, for reading.
    pub errors: Vec<String>,
}

impl Score {
    pub fn agenda_accuracy(&self) -> f64 {
        ratio(self.agenda_right, self.found_units)
    }
}

/// Scores `report` against `gold`.
pub fn score(report: &Report, gold: &Gold) -> Score {
    let mut score = Score {
        gold_units: gold.units.len(),
        ..Score::default()
    };
    let parsed: HashMap<&str, &Unit> = report.units.iter().map(|u| (u.label.as_str(), u)).collect();
    let gold_labels: HashSet<&str> = gold.units.iter().map(|u| u.label.as_str()).collect();
    for unit in &report.units {
        if !gold_labels.contains(unit.label.as_str()) {
            score.spurious.push(unit.label.clone());
            let start: String = unit.text.chars().take(60).collect();
            score
                .errors
                .push(format!("¶{}: spurious unit: {start}", unit.label));
        }
    }
    for want in &gold.units {
        let Some(unit) = parsed.get(want.label.as_str()) else {
            score.missing.push(want.label.clone());
            score.errors.push(format!("¶{}: missing", want.label));
            continue;
        };
        score.found_units += 1;
        let label = &want.label;
        let agenda = unit.agenda.as_ref();
        let number = agenda.and_then(|a| a.number.clone());
        let sub = agenda.and_then(|a| a.sub_item.clone());
        if number == want.agenda && sub == want.sub_item {
            score.agenda_right += 1;
        } else {
            score.errors.push(format!(
                "¶{label}: agenda {:?}/{:?}, gold {:?}/{:?}",
                number, sub, want.agenda, want.sub_item
            ));
        }
        if let Some(title) = &want.agenda_title {
            score.titles_judged += 1;
            let got = agenda.map(|a| a.title.as_str()).unwrap_or("");
            if got == title {
                score.title_right += 1;
            } else {
                score
                    .errors
                    .push(format!("¶{label}: agenda title {got:?}, gold {title:?}"));
            }
        }
        let text_ok =
            unit.text.starts_with(&want.starts_with) && unit.text.ends_with(&want.ends_with);
        if text_ok {
            score.text_right += 1;
        } else {
            let head: String = unit.text.chars().take(50).collect();
            let tail: String = {
                let chars: Vec<char> = unit.text.chars().collect();
                chars[chars.len().saturating_sub(50)..].iter().collect()
            };
            score
                .errors
                .push(format!("¶{label}: text {head:?} … {tail:?}"));
        }
        let speakers: Vec<String> = report
            .speaker_names(unit)
            .into_iter()
            .map(str::to_string)
            .collect();
        tally(
            &mut score.speakers,
            &mut score.errors,
            label,
            "speakers",
            &speakers,
            &want.speakers,
        );
        tally(
            &mut score.delegations,
            &mut score.errors,
            label,
            "delegations",
            &unit.delegations,
            &want.delegations,
        );
        tally(
            &mut score.on_behalf_of,
            &mut score.errors,
            label,
            "on_behalf_of",
            &unit.on_behalf_of,
            &want.on_behalf_of,
        );
        tally(
            &mut score.areas,
            &mut score.errors,
            label,
            "areas",
            &unit.areas,
            &want.areas,
        );
    }
    for piece in &gold.furniture {
        if let Some(unit) = report
            .units
            .iter()
            .find(|u| u.text.contains(piece.as_str()))
        {
            score.furniture_leaks.push(piece.clone());
            score
                .errors
                .push(format!("¶{}: holds page furniture {piece:?}", unit.label));
        }
    }
    score
}

fn tally(
    counts: &mut Counts,
    errors: &mut Vec<String>,
    label: &str,
    what: &str,
    found: &[String],
    gold: &[String],
) {
    let before = *counts;
    counts.add(found, gold);
    if counts.wrong != before.wrong || counts.missed != before.missed {
        errors.push(format!("¶{label}: {what} {found:?}, gold {gold:?}"));
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = String::new();
        let _ = write!(
            line,
            "units {}/{} ({} spurious, {} missing), agenda {}/{}, titles {}/{}, text {}/{}, furniture leaks {}",
            self.found_units,
            self.gold_units,
            self.spurious.len(),
            self.missing.len(),
            self.agenda_right,
            self.found_units,
            self.title_right,
            self.titles_judged,
            self.text_right,
            self.found_units,
            self.furniture_leaks.len(),
        );
        writeln!(f, "{line}")?;
        for (name, counts) in [
            ("speakers", self.speakers),
            ("delegations", self.delegations),
            ("on_behalf_of", self.on_behalf_of),
            ("areas", self.areas),
        ] {
            writeln!(f, "  {name:<13} {counts}")?;
        }
        Ok(())
    }
}
