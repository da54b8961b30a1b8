//! Document metadata from a report's title block: symbol and short id,
//! title, meeting number and name, venue, meeting and distribution dates.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

/// What the title block of a report says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportMeta {
    /// Document symbol, e.g. `"UNEP(Economy Division)/Hg/PAG.8/7"`.
    pub symbol: Option<String>,
    /// Short id used as the document id: `"PAG.8/7"`, or the file stem.
    pub id: String,
    /// Report title, e.g. "Draft Report of the Eight Meeting of …".
    pub title: Option<String>,
    /// Meeting number (8 for "Eighth Meeting" or "PAG.8").
    pub meeting_number: Option<u32>,
    /// Meeting name as written: "Partnership Advisory Group, Eighth Meeting".
    pub meeting_name: Option<String>,
    /// Venue: "Geneva, Switzerland".
    pub venue: Option<String>,
    /// First day of the meeting, ISO 8601 (`"2017-09-22"`).
    pub meeting_date: Option<String>,
    /// Distribution date, ISO 8601 (`"2017-11-16"`).
    pub distribution_date: Option<String>,
}

impl ReportMeta {
    /// The meeting year, or the distribution year when the meeting date is unknown.
    pub fn year(&self) -> Option<u64> {
        self.meeting_date
            .as_deref()
            .or(self.distribution_date.as_deref())
            .and_then(|date| date.get(..4))
            .and_then(|year| year.parse().ok())
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn symbol_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b([A-Z][A-Za-z]*(?:\s?\([A-Za-z .]{1,40}\))?(?:/[A-Za-z0-9.\-]+){2,})")
            .expect("valid regex")
    })
}

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(\d{1,2})(?:\s*[-–]\s*\d{1,2})?\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{4})\b")
            .expect("valid regex")
    })
}

fn meeting_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // "Eighth", "Twenty-First", "Thirtieth", "21st" before "Meeting"/"Session".
        Regex::new(r"(?i)\b((?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|\d{1,3}(?:st|nd|rd|th))\s+(meeting|session)\b")
            .expect("valid regex")
    })
}

/// Reads metadata from the title-block lines (non-blank, in order); `stem`
/// (the file name without extension) is the id when there is no symbol.
pub(crate) fn read(header: &[&str], stem: &str) -> ReportMeta {
    let joined = join_symbol_lines(header);
    let symbol = joined
        .iter()
        .find_map(|line| symbol_re().captures(line).map(|c| c[1].to_string()));
    let id = symbol
        .as_deref()
        .map(short_id)
        .unwrap_or_else(|| stem.to_string());

    let title = title(header);
    let meeting_line = header
        .iter()
        .find(|line| meeting_re().is_match(line) && !line.contains("Report"));
    let meeting_name = meeting_line.map(|l| l.trim_end_matches([',', '.']).to_string());
    let meeting_number = meeting_line
        .and_then(|l| meeting_re().captures(l))
        .and_then(|c| ordinal_value(&c[1]))
        .or_else(|| symbol.as_deref().and_then(symbol_meeting_number));

    let mut venue = None;
    let mut meeting_date = None;
    let mut distribution_date = None;
    let mut after_distr = 0u32;
    for line in header {
        if line.contains("Distr") {
            after_distr = 3;
        }
        let date = date_re().captures(line);
        if let Some(c) = &date {
            let iso = iso_date(&c[1], &c[2], &c[3]);
            if after_distr > 0 && distribution_date.is_none() {
                distribution_date = iso;
            } else if meeting_date.is_none() {
                let before = line[..c.get(0).map_or(0, |m| m.start())]
                    .trim()
                    .trim_end_matches(',')
                    .trim();
                if !before.is_empty() && !before.contains("Distr") {
                    venue = Some(before.to_string());
                }
                meeting_date = iso;
            }
        }
        after_distr = after_distr.saturating_sub(1);
    }
    ReportMeta {
        symbol,
        id,
        title,
        meeting_number,
        meeting_name,
        venue,
        meeting_date,
        distribution_date,
    }
}

/// "UNEP(Economy Division)" + "/Hg/PAG.8/7" → one line.
fn join_symbol_lines(header: &[&str]) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    for line in header {
        match joined.last_mut() {
            Some(last) if line.starts_with('/') || last.ends_with('/') => last.push_str(line),
            _ => joined.push(line.to_string()),
        }
    }
    joined
}

/// "UNEP(Economy Division)/Hg/PAG.8/7" → "PAG.8/7": the segments from the
/// first one with a digit.
pub(crate) fn short_id(symbol: &str) -> String {
    let segments: Vec<&str> = symbol.split('/').collect();
    let first_numbered = segments
        .iter()
        .skip(1)
        .position(|s| s.chars().any(|c| c.is_ascii_digit()))
        .map_or(segments.len() - 1, |i| i + 1);
    segments[first_numbered..].join("/")
}

/// "PAG.8" in a symbol → 8.
fn symbol_meeting_number(symbol: &str) -> Option<u32> {
    symbol
        .split('/')
        .find_map(|segment| segment.split_once('.').and_then(|(_, n)| n.parse().ok()))
}

fn ordinal_value(word: &str) -> Option<u32> {
    let lower = word.to_ascii_lowercase();
    if let Some(i) = crate::text::ORDINALS.iter().position(|o| *o == lower) {
        return Some(i as u32 + 1);
    }
    const TENS: [&str; 8] = [
        "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet",
    ];
    // "twenty-first": tens and units; "thirtieth": tens alone.
    let (tens_word, units_word) = lower.split_once(['-', ' ']).unwrap_or((&lower, ""));
    if let Some(t) = TENS.iter().position(|t| {
        tens_word.starts_with(t) && (tens_word.ends_with('y') || tens_word.ends_with("ieth"))
    }) {
        let tens = (t as u32 + 2) * 10;
        let units = match units_word {
            "" => 0,
            units => {
                crate::text::ORDINALS[..9]
                    .iter()
                    .position(|o| *o == units)? as u32
                    + 1
            }
        };
        return Some(tens + units);
    }
    lower
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()
}

fn iso_date(day: &str, month: &str, year: &str) -> Option<String> {
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? + 1;
    let day: u32 = day.parse().ok()?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{year}-{month:02}-{day:02}"))
}

/// The line with "Report" and the line after it when the title wraps.
fn title(header: &[&str]) -> Option<String> {
    let start = header.iter().position(|l| {
        (l.starts_with("Report") || l.contains("Report of")) && !l.contains("Distr")
    })?;
    let mut title = header[start].to_string();
    if let Some(next) = header.get(start + 1) {
        let continues = next.chars().next().is_some_and(char::is_uppercase)
            && !date_re().is_match(next)
            && !title.ends_with('.')
            && next.len() < 60
            && !next.contains("Distr");
        if continues {
            title.push(' ');
            title.push_str(next);
        }
    }
    Some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pag8_title_block() {
        let header = [
            "UNEP(Economy Division)",
            "/Hg/PAG.8/7",
            "United Nations",
            "Environment Programme",
            "Distr.: General",
            "16 November 2017",
            "English only",
            "UN Environment Global Mercury Partnership",
            "Partnership Advisory Group, Eighth Meeting",
            "Geneva, Switzerland, 22 September 2017",
            "Draft Report of the Eight Meeting of the Global Mercury Partnership",
            "Advisory Group",
        ];
        let meta = read(&header, "pag8-report");
        assert_eq!(
            meta.symbol.as_deref(),
            Some("UNEP(Economy Division)/Hg/PAG.8/7")
        );
        assert_eq!(meta.id, "PAG.8/7");
        assert_eq!(
            meta.title.as_deref(),
            Some(
                "Draft Report of the Eight Meeting of the Global Mercury Partnership Advisory Group"
            )
        );
        assert_eq!(meta.meeting_number, Some(8));
        assert_eq!(
            meta.meeting_name.as_deref(),
            Some("Partnership Advisory Group, Eighth Meeting")
        );
        assert_eq!(meta.venue.as_deref(), Some("Geneva, Switzerland"));
        assert_eq!(meta.meeting_date.as_deref(), Some("2017-09-22"));
        assert_eq!(meta.distribution_date.as_deref(), Some("2017-11-16"));
    }

    #[test]
    fn reads_compound_ordinals() {
        for (line, number) in [
            ("Partnership Advisory Group, Twenty-First Meeting", 21),
            ("Thirtieth Meeting", 30),
            ("the thirty ninth session", 39),
            ("Twelfth Meeting", 12),
            ("21st Meeting", 21),
        ] {
            let meta = read(&[line], "x");
            assert_eq!(meta.meeting_number, Some(number), "{line}");
        }
    }

    #[test]
    fn falls_back_to_the_file_stem() {
        let meta = read(&["Some notes"], "notes");
        assert_eq!(meta.id, "notes");
        assert_eq!(meta.symbol, None);
        assert_eq!(short_id("UNEP/MC/COP.1/29"), "COP.1/29");
    }
}
