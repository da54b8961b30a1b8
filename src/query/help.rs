//! The query syntax explained for people, in plain text: what
//! `pagsearch search --help` prints after the options, what the manual page
//! holds, and what a web page can show beside its search box. It describes
//! what [`parse`](super::parse) and [`Index::search`](crate::Index::search)
//! do; change it with them.

/// How to write a query, in plain text wrapped at 72 columns (so that it
/// fits in 80 also indented, as a manual page shows it): free words,
/// phrases, exclusion, `OR`, `AND` and parentheses, the field filters and
/// their ranges, what a query of filters only lists, acronym expansion and
/// spelling correction, with worked examples. It has no heading of its own,
/// and ends with a line break.
pub const SYNTAX: &str = r#"Free words
  financing conversion
      Paragraphs holding any of the words, ranked by BM25 with English
      stemming (plans also finds plan). Each word is looked for in the
      paragraph text, in the names of who speaks (speakers and
      delegations) and in the title of the agenda item. A paragraph
      holding more of the words ranks higher, and one holding all of
      them close together (as a phrase, up to two words apart) higher
      still. A common word (the, of, into) or a question word (who,
      what, how) beside other words counts only within that phrase:
      "where can the partnership get money" is about money. Words are
      not case-sensitive.

Phrases
  "mercury waste"
      The words in this order, next to each other.

Exclusion
  -cement  -"mercury waste"  -area:cement  -(coal OR cement)
      Leaves out the paragraphs that match. Write the - right before
      what to exclude; a - inside a word (chlor-alkali) is part of the
      word.

Operators and grouping
  coal OR cement      either side matches
  coal AND cement     both sides match
  (coal OR cement) AND speaker:Keane
      OR and AND are operators only in capitals; or and and are plain
      words. Words side by side bind tightest, then AND, then OR: coal
      cement OR waste means (coal cement) OR waste. Parentheses group.

Filters
  A filter is a field name, a colon and a value, with no space between
  them; quote a value of several words: speaker:"Susan Keane". Field
  names are not case-sensitive. Filters side by side must all match.

  area:ASGM          a partnership area, by key, name or alias, in
                     any case; a unique start of a key works
                     (area:chlor)
  speaker:Keane      who speaks, by surname, any part of the name or
                     the full name (speaker:"Susan Keane"); case and
                     accents do not matter (speaker:garcia finds
                     García)
  delegation:Canada  a delegation (a Party or an observer
                     organisation) whose representative speaks, by
                     full name or any word of it
                     (delegation:"European Union")
  party:Canada       another name for delegation:
  group:african      a group a delegation speaks for ("on behalf of the
                     African States"), by full name or any word of it
  agenda:3           an agenda item by number, or by the words of its
                     title (agenda:"organizational matters")
  doc:PAG.8/7        a report, by short id, full symbol, file stem or
                     path
  meeting:8          a meeting by number, or by words of its name
  year:2017          the year of the meeting
  org:UNITAR         the organisation of who speaks

  year: and meeting: take ranges, both ends included; either end may be
  left open:
  year:2017..2020    meeting:8..11    year:2019..    meeting:..9

  An unknown field is refused, and so is an area, speaker, delegation,
  group, document, agenda item number, meeting number, year or
  organisation that no report holds, naming the closest known ones (exit
  status 2). pagsearch facets lists the areas, speakers, agenda items,
  documents and delegations.

Filters only
  area:ASGM speaker:Keane
      A query of filters only lists every matching paragraph, in
      document order, unless --limit says how many. Beside free words,
      filters only select: the words rank what the filters let through.

Acronyms
  MIA
      Acronyms the reports define are expanded both ways: MIA also finds
      "Minamata Initial Assessment", and the long form also finds MIA.

Spelling
  finacing
      A free word that no paragraph holds is searched as the nearest
      word the reports use (financing), and the output says so first.
      Words of three letters or fewer, words with digits, known names
      and acronyms are never corrected. --as-typed, or quotes around the
      word, search it as typed.

  Words typed apart also find their joined form (video conference finds
  videoconference), PAG8 finds PAG.8, and the taxonomy's synonyms
  (sulphur, sulfur) are searched too, at a lower weight; what was also
  searched is listed after the hits.

Examples
  pagsearch search 'area:ASGM speaker:Keane'
      every paragraph where Keane speaks about gold mining, in order
  pagsearch search 'financing chlor-alkali agenda:3'
      the best paragraphs on financing chlor-alkali under agenda item 3
  pagsearch search '"mercury waste" -cement'
      the phrase, leaving out paragraphs that mention cement
  pagsearch search '(coal OR cement) AND speaker:Fonta'
      coal or cement, where Fonta speaks
  pagsearch search 'inventory -area:asgm year:2017..2020'
      inventory, leaving out gold mining, at meetings from 2017 to 2020
  pagsearch search 'national action plans' --group-by speaker
      the best paragraph of each speaker on national action plans
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::FIELDS;

    #[test]
    fn fits_in_72_columns() {
        for line in SYNTAX.lines() {
            assert!(line.chars().count() <= 72, "{line:?}");
            assert_eq!(line, line.trim_end(), "trailing spaces in {line:?}");
        }
    }

    #[test]
    fn names_every_field() {
        for field in FIELDS {
            assert!(SYNTAX.contains(&format!("{field}:")), "{field}: missing");
        }
    }

    #[test]
    fn every_example_query_parses() {
        let examples = SYNTAX
            .lines()
            .filter_map(|line| line.trim().strip_prefix("pagsearch search '"))
            .filter_map(|rest| rest.split_once('\'').map(|(query, _)| query));
        let mut count = 0;
        for query in examples {
            crate::query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            count += 1;
        }
        assert!(count >= 4, "{count} examples");
    }
}
