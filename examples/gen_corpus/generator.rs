//! Report generation for `gen_corpus`: parses the source report into its
//! title block, agenda sections and paragraphs, and builds varied reports
//! from them (see the example's documentation). Benchmarks include this file
//! too, to build their corpora in process.

use std::fmt::Write as _;

// ---------------------------------------------------------------------------
// Random numbers

/// SplitMix64: small, fast, and good enough for picking paragraphs and names.
struct Rng(u64);

impl Rng {
    /// The generator of report `index` under `seed`: independent of the other
    /// reports, so report 7 is the same whatever the count.
    fn for_report(seed: u64, index: u32) -> Self {
        Rng(mix64(
            seed ^ mix64(u64::from(index).wrapping_add(0x5851_F42D_4C95_7F2D)),
        ))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-and-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below((high - low + 1) as usize) as u32
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The SplitMix64 finaliser: scrambles all bits of `x`.
fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

// ---------------------------------------------------------------------------
// The source report

/// The source report, cut into the parts a generated report reuses.
#[derive(Debug)]
pub struct Source {
    /// Everything before the first agenda heading, byte for byte.
    header: String,
    /// Facts read from the title block, to be replaced in the text.
    meeting_number: u32,
    meeting_date: Date,
    venue: String,
    /// Agenda headings and sub-item headings, each with its paragraphs.
    sections: Vec<Section>,
}

#[derive(Debug)]
struct Section {
    /// The heading line as written ("## **2. Organizational matters**").
    heading: String,
    paragraphs: Vec<SourceParagraph>,
}

#[derive(Debug)]
struct SourceParagraph {
    /// The text after "14. ", with any page break inside it kept as written.
    body: String,
    /// Unnumbered paragraphs that follow this one ("On ASGM: …").
    followers: Vec<String>,
}

impl SourceParagraph {
    fn has_page_break(&self) -> bool {
        self.body.contains('\n')
    }
}

impl Source {
    /// Reads a report shaped like the shipped one: a title block, agenda
    /// headings with markup (`**1. …**`, `## **2. …**`, `### (a) …`), and
    /// numbered paragraphs separated by blank lines.
    pub fn parse(text: &str) -> Result<Source, String> {
        let mut header_end = None;
        let mut sections: Vec<Section> = Vec::new();
        let mut expected_item = 1;
        let mut expected_para = 1;
        for block in blocks(text) {
            let first_line = block.text.lines().next().unwrap_or_default();
            let heading = heading_text(first_line);
            if let Some(title) = heading {
                let agenda = title.strip_prefix(&format!("{expected_item}. ")).is_some();
                let sub_item = !sections.is_empty() && is_sub_item(title);
                if agenda || sub_item {
                    header_end.get_or_insert(block.offset);
                    if agenda {
                        expected_item += 1;
                    }
                    sections.push(Section {
                        heading: block.text.to_string(),
                        paragraphs: Vec::new(),
                    });
                    continue;
                }
            }
            let Some(section) = sections.last_mut() else {
                continue; // still in the title block
            };
            if let Some(body) = block.text.strip_prefix(&format!("{expected_para}. ")) {
                expected_para += 1;
                section.paragraphs.push(SourceParagraph {
                    body: body.to_string(),
                    followers: Vec::new(),
                });
                continue;
            }
            let Some(paragraph) = section.paragraphs.last_mut() else {
                return Err(format!(
                    "source line {}: text before the first paragraph of an agenda item",
                    block.line_no
                ));
            };
            // A block after text that stops mid-sentence is the rest of a
            // paragraph cut by a page break; otherwise it is an unnumbered
            // paragraph of its own.
            let open = paragraph
                .followers
                .last_mut()
                .unwrap_or(&mut paragraph.body);
            if ends_sentence(open) {
                paragraph.followers.push(block.text.to_string());
            } else {
                open.push_str(&"\n".repeat(block.blank_lines_before + 1));
                open.push_str(block.text);
            }
        }
        let header_end = header_end.ok_or("no agenda heading \"**1. …**\" in the source")?;
        if expected_para == 1 {
            return Err("no numbered paragraphs in the source".to_string());
        }
        let header = text[..header_end].to_string();
        let facts = HeaderFacts::read(&header)?;
        Ok(Source {
            header,
            meeting_number: facts.meeting_number,
            meeting_date: facts.meeting_date,
            venue: facts.venue,
            sections,
        })
    }
}

/// A run of non-blank lines.
struct Block<'a> {
    text: &'a str,
    /// Byte offset of the block in the source.
    offset: usize,
    line_no: usize,
    blank_lines_before: usize,
}

/// Splits `text` into blocks separated by blank lines.
fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut found = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut end = 0;
    let mut blanks = 0;
    let mut blanks_before = 0;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some((block_start, line_no)) = start.take() {
                found.push(Block {
                    text: &text[block_start..end],
                    offset: block_start,
                    line_no,
                    blank_lines_before: blanks_before,
                });
                blanks = 0;
            }
            blanks += 1;
        } else {
            if start.is_none() {
                start = Some((offset, index + 1));
                blanks_before = blanks;
            }
            end = offset + content.len();
        }
        offset += line.len();
    }
    if let Some((block_start, line_no)) = start {
        found.push(Block {
            text: &text[block_start..end],
            offset: block_start,
            line_no,
            blank_lines_before: blanks_before,
        });
    }
    found
}

/// The text of a heading line without its markup (`#`s, `**…**`), or `None`
/// when the line has no heading markup.
fn heading_text(line: &str) -> Option<&str> {
    let line = line.trim();
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let after_hashes = line[hashes..].trim_start();
    let bold =
        after_hashes.len() > 4 && after_hashes.starts_with("**") && after_hashes.ends_with("**");
    if hashes == 0 && !bold {
        return None;
    }
    Some(if bold {
        after_hashes[2..after_hashes.len() - 2].trim()
    } else {
        after_hashes
    })
}

/// "(a) Adoption of the agenda".
fn is_sub_item(title: &str) -> bool {
    let bytes = title.as_bytes();
    bytes.len() > 4 && bytes[0] == b'(' && bytes[1].is_ascii_lowercase() && bytes[2] == b')'
}

/// True when `text` ends a sentence, by the rule the pagsearch parser uses to
/// tell a page-break continuation from a new paragraph.
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '*')
    });
    matches!(
        trimmed.chars().next_back(),
        Some('.' | '?' | '!' | ':' | ';' | '…')
    )
}

/// What the source's title block says: meeting number (from the symbol),
/// meeting date and venue (from the "Geneva, Switzerland, 22 September 2017"
/// line).
struct HeaderFacts {
    meeting_number: u32,
    meeting_date: Date,
    venue: String,
}

impl HeaderFacts {
    fn read(header: &str) -> Result<HeaderFacts, String> {
        let meeting_number = header
            .lines()
            .find_map(|line| symbol_numbers(line).map(|(_, k, _)| k))
            .ok_or("no \"/Hg/PAG.<k>/<n>\" symbol in the source title block")?;
        let (venue, meeting_date) = header
            .lines()
            .find_map(venue_and_date)
            .ok_or("no \"<venue>, <day> <Month> <year>\" line in the source title block")?;
        Ok(HeaderFacts {
            meeting_number,
            meeting_date,
            venue: venue.to_string(),
        })
    }
}

/// "/Hg/PAG.8/7" → (byte offset of "8", 8, 7).
fn symbol_numbers(line: &str) -> Option<(usize, u32, u32)> {
    let start = line.find("PAG.")? + 4;
    let (k, n) = line[start..].trim_end().split_once('/')?;
    Some((start, k.parse().ok()?, n.parse().ok()?))
}

/// "Geneva, Switzerland, 22 September 2017" → ("Geneva, Switzerland", date).
fn venue_and_date(line: &str) -> Option<(&str, Date)> {
    let (venue, date) = line.trim().rsplit_once(", ")?;
    Some((venue, Date::parse(date)?))
}

// ---------------------------------------------------------------------------
// Dates

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// "22 September 2017".
    fn parse(text: &str) -> Option<Date> {
        let mut words = text.split_whitespace();
        let day = words.next()?.parse().ok()?;
        let month_name = words.next()?;
        let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
        let year = words.next()?.parse().ok()?;
        (words.next().is_none() && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    fn days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    fn add_days(self, days: i64) -> Date {
        Date::from_days(self.days() + days)
    }

    fn weekday(self) -> &'static str {
        // 1970-01-01 was a Thursday.
        WEEKDAYS[(self.days() + 3).rem_euclid(7) as usize]
    }

    fn month_name(self) -> &'static str {
        MONTHS[self.month as usize - 1]
    }

    /// "16 November 2017".
    fn long(self) -> String {
        format!("{} {} {}", self.day, self.month_name(), self.year)
    }
}

// ---------------------------------------------------------------------------
// Meetings

/// Where a generated meeting takes place: the venue as in the title block,
/// and the building that replaces the source's in the opening paragraph.
const VENUES: [(&str, &str); 8] = [
    ("Geneva, Switzerland", "the International Environment House"),
    ("Nairobi, Kenya", "the United Nations Office at Nairobi"),
    ("Panama City, Panama", "the Panama Convention Centre"),
    ("Bangkok, Thailand", "the United Nations Conference Centre"),
    ("Vienna, Austria", "the Vienna International Centre"),
    ("Bonn, Germany", "the United Nations Campus"),
    ("Tokyo, Japan", "the United Nations University"),
    (
        "Dakar, Senegal",
        "the Abdou Diouf International Conference Centre",
    ),
];

/// The building named in the source's opening paragraph.
const SOURCE_BUILDING: &str = "the International Environment House 2";

const FIRST_YEAR: i32 = 2008;
const LAST_YEAR: i32 = 2026;
const MAX_MEETING_NUMBER: u32 = 40;

/// The facts of one generated meeting.
struct Meeting {
    number: u32,
    /// The report's own document number: the `n` in "PAG.<k>/<n>".
    document: u32,
    venue: &'static str,
    building: &'static str,
    date: Date,
    distributed: Date,
}

impl Meeting {
    fn draw(rng: &mut Rng) -> Meeting {
        let number = rng.between(1, MAX_MEETING_NUMBER);
        let document = rng.between(5, 11);
        let (venue, building) = VENUES[rng.below(VENUES.len())];
        // A working day, with the report distributed three weeks to three
        // months later, all within FIRST_YEAR..=LAST_YEAR.
        let (date, distributed) = loop {
            let year = rng.between(FIRST_YEAR as u32, LAST_YEAR as u32) as i32;
            let start = Date {
                year,
                month: 1,
                day: 1,
            };
            let mut date = start.add_days(rng.below(365) as i64);
            while matches!(date.weekday(), "Saturday" | "Sunday") {
                date = date.add_days(1);
            }
            let distributed = date.add_days(i64::from(rng.between(21, 95)));
            if distributed.year <= LAST_YEAR {
                break (date, distributed);
            }
        };
        Meeting {
            number,
            document,
            venue,
            building,
            date,
            distributed,
        }
    }
}

/// "first" … "fortieth".
fn ordinal(n: u32) -> String {
    const UNITS: [&str; 9] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    ];
    const TEENS: [&str; 10] = [
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    const TENS: [(&str, &str); 3] = [
        ("twenty", "twentieth"),
        ("thirty", "thirtieth"),
        ("forty", "fortieth"),
    ];
    match n {
        1..=9 => UNITS[n as usize - 1].to_string(),
        10..=19 => TEENS[n as usize - 10].to_string(),
        20..=49 => {
            let (cardinal, exact) = TENS[n as usize / 10 - 2];
            match n % 10 {
                0 => exact.to_string(),
                unit => format!("{cardinal}-{}", UNITS[unit as usize - 1]),
            }
        }
        _ => format!("{n}th"),
    }
}

/// "twenty-first" → "Twenty-First", as in "Twenty-First Meeting".
fn title_case(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    let mut at_start = true;
    for c in words.chars() {
        if at_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_start = c == '-' || c == ' ';
    }
    out
}

/// "eighth" → "Eighth".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The source title block with this meeting's symbol, dates, venue, meeting
/// name and title. Line breaks, hard breaks and markup stay as they are.
fn render_header(source: &Source, meeting: &Meeting) -> String {
    let ordinal_title = title_case(&ordinal(meeting.number));
    let mut out = String::with_capacity(source.header.len() + 64);
    for line in source.header.split_inclusive('\n') {
        let (content, ending) = split_line_ending(line);
        let trimmed = content.trim();
        if let Some((start, _, _)) = symbol_numbers(content) {
            let _ = write!(
                out,
                "{}{}/{}",
                &content[..start],
                meeting.number,
                meeting.document
            );
        } else if Date::parse(trimmed).is_some() {
            let _ = write!(
                out,
                "{}",
                content.replacen(trimmed, &meeting.distributed.long(), 1)
            );
        } else if venue_and_date(content).is_some() {
            let _ = write!(
                out,
                "{}",
                content.replacen(
                    trimmed,
                    &format!("{}, {}", meeting.venue, meeting.date.long()),
                    1
                )
            );
        } else if let Some(word) = word_before_meeting(content) {
            out.push_str(&content.replacen(word, &ordinal_title, 1));
        } else {
            out.push_str(content);
        }
        out.push_str(ending);
    }
    out
}

/// ("text  ", "\n") from "text  \n".
fn split_line_ending(line: &str) -> (&str, &str) {
    let content = line.trim_end_matches(['\n', '\r']);
    (content, &line[content.len()..])
}

/// The ordinal in "…Group, Eighth Meeting**" or "…the Eight Meeting of…".
fn word_before_meeting(line: &str) -> Option<&str> {
    let end = line.find(" Meeting")?;
    let start = line[..end].rfind(' ').map_or(0, |i| i + 1);
    let word = &line[start..end];
    word.chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then_some(word)
}

// ---------------------------------------------------------------------------
// People

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Male,
    Female,
}

impl Gender {
    fn honorific(self) -> &'static str {
        match self {
            Gender::Male => "Mr.",
            Gender::Female => "Ms.",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Person {
    gender: Gender,
    given: &'static str,
    surname: &'static str,
}

impl Person {
    const fn mr(given: &'static str, surname: &'static str) -> Person {
        Person {
            gender: Gender::Male,
            given,
            surname,
        }
    }

    const fn ms(given: &'static str, surname: &'static str) -> Person {
        Person {
            gender: Gender::Female,
            given,
            surname,
        }
    }

    /// "Ana Garcia Gonzales".
    fn full_name(&self) -> String {
        format!("{} {}", self.given, self.surname)
    }

    /// "Ms. Garcia": the honorific and the first part of the surname (the
    /// report shortens "Ana Garcia Gonzales" that way).
    fn short_form(&self) -> String {
        let first_surname = self.surname.split(' ').next().unwrap_or(self.surname);
        format!("{} {first_surname}", self.gender.honorific())
    }
}

/// The people named in the source report.
const SOURCE_PEOPLE: [Person; 26] = [
    Person::mr("Achim", "Halpaap"),
    Person::ms("Marianne", "Bailey"),
    Person::mr("Mitch", "Cuna"),
    Person::ms("Desiree", "Narvaez"),
    Person::ms("Lesley", "Sloss"),
    Person::mr("Peter", "Nelson"),
    Person::mr("Jakob", "Maag"),
    Person::mr("Nicola", "Pirrone"),
    Person::mr("David", "Evers"),
    Person::mr("Philippe", "Fonta"),
    Person::mr("Thomas", "Groeneveld"),
    Person::mr("Michael", "Bender"),
    Person::mr("Rodges", "Ankrah"),
    Person::mr("Riccardo", "Savigliano"),
    Person::ms("Ana", "Garcia Gonzales"),
    Person::ms("Judith", "Torres"),
    Person::mr("Masaru", "Tanaka"),
    Person::ms("Susan", "Keane"),
    Person::mr("Ludovic", "Bernaudat"),
    Person::mr("Jerome", "Stucki"),
    Person::mr("Kenneth", "Davis"),
    Person::ms("Melissa", "Lim"),
    Person::ms("Jacqueline", "Alvarez"),
    Person::mr("Fernando", "Lugris"),
    Person::mr("Eisaku", "Toda"),
    Person::mr("Jacob", "Duer"),
];

/// The names generated reports use: none of them shares a given name or
/// surname with the source, so no source name survives unnoticed.
const NAME_POOL: [Person; 62] = [
    Person::mr("Olumide", "Adeyemi"),
    Person::mr("Rafael", "Domínguez Ortega"),
    Person::mr("Jean-Pierre", "Lefèvre"),
    Person::mr("Hiroshi", "Watanabe"),
    Person::mr("Lars", "Eriksson"),
    Person::mr("Tomasz", "Wójcik"),
    Person::mr("Arjun", "Raghavan"),
    Person::mr("Kwame", "Asante"),
    Person::mr("Mikhail", "Sokolov"),
    Person::mr("Bruno", "Carvalho"),
    Person::mr("Wei", "Zhang"),
    Person::mr("Ahmed", "El-Sayed"),
    Person::mr("Sipho", "Dlamini"),
    Person::mr("Matteo", "Bianchi"),
    Person::mr("Pieter", "Jansen"),
    Person::mr("Diego", "Fernández Ruiz"),
    Person::mr("Andrés", "Villalobos"),
    Person::mr("Nikolaos", "Papadakis"),
    Person::mr("Juha", "Virtanen"),
    Person::mr("Kofi", "Boateng"),
    Person::mr("Tuan", "Nguyen"),
    Person::mr("Emre", "Yıldız"),
    Person::mr("Rohan", "Mehta"),
    Person::mr("Sebastián", "Quiroga"),
    Person::mr("François", "Dubois"),
    Person::mr("Stefan", "Novák"),
    Person::mr("Oliver", "Hughes"),
    Person::mr("Samuel", "Otieno"),
    Person::mr("Kenji", "Matsumoto"),
    Person::mr("Björn", "Lindqvist"),
    Person::mr("Carlos", "Mendoza Rivas"),
    Person::mr("Liam", "O'Connor"),
    Person::ms("Ingrid", "Halvorsen"),
    Person::ms("Amina", "Diallo"),
    Person::ms("Lucía", "Pérez Molina"),
    Person::ms("Mei", "Chen"),
    Person::ms("Fatima", "Benali"),
    Person::ms("Olga", "Petrova"),
    Person::ms("Priya", "Natarajan"),
    Person::ms("Akosua", "Owusu"),
    Person::ms("Sofia", "Rossi"),
    Person::ms("Yuki", "Nakamura"),
    Person::ms("Hanna", "Kowalczyk"),
    Person::ms("Chiara", "Esposito"),
    Person::ms("Aisha", "Bello"),
    Person::ms("Elena", "Marín Soto"),
    Person::ms("Grace", "Wanjiru"),
    Person::ms("Catherine", "Moreau"),
    Person::ms("Nadia", "Haddad"),
    Person::ms("Sun-Hee", "Park"),
    Person::ms("Camila", "Rojas"),
    Person::ms("Eva", "Lindström"),
    Person::ms("Thandiwe", "Nkosi"),
    Person::ms("Zeynep", "Aydın"),
    Person::ms("Rebecca", "Thornton"),
    Person::ms("Isabel", "Cordero Vega"),
    Person::ms("Leila", "Karimi"),
    Person::ms("Marta", "Nowak"),
    Person::ms("Hélène", "Girard"),
    Person::ms("Ngozi", "Okafor"),
    Person::ms("Astrid", "Bergström"),
    Person::ms("Valentina", "Morales Sánchez"),
];

/// Pairs each source person with a different pool person of the same gender.
fn cast_people(rng: &mut Rng) -> Vec<(Person, Person)> {
    let mut cast = Vec::with_capacity(SOURCE_PEOPLE.len());
    for gender in [Gender::Male, Gender::Female] {
        let mut pool: Vec<Person> = NAME_POOL
            .iter()
            .copied()
            .filter(|p| p.gender == gender)
            .collect();
        rng.shuffle(&mut pool);
        let originals = SOURCE_PEOPLE.iter().copied().filter(|p| p.gender == gender);
        cast.extend(originals.zip(pool));
    }
    cast
}

// ---------------------------------------------------------------------------
// Text rewriting

/// Replaces many literal phrases in one left-to-right pass, longest phrase
/// first where several start at the same place. One pass means a
/// replacement is never rewritten again (a new name that happens to contain
/// an old one stays as it is). A phrase that starts or ends with a letter or
/// digit matches only as a whole word on that side.
struct Replacer {
    /// Phrases bucketed by first byte, longest first.
    by_first_byte: Vec<Vec<(String, String)>>,
}

impl Replacer {
    fn new(pairs: Vec<(String, String)>) -> Replacer {
        let mut by_first_byte: Vec<Vec<(String, String)>> = vec![Vec::new(); 256];
        for (from, to) in pairs {
            if let Some(&first) = from.as_bytes().first() {
                by_first_byte[usize::from(first)].push((from, to));
            }
        }
        for bucket in &mut by_first_byte {
            // Stable: equal lengths keep insertion order.
            bucket.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        }
        Replacer { by_first_byte }
    }

    fn apply(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len() + text.len() / 16);
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            let matched = self.by_first_byte[usize::from(bytes[i])]
                .iter()
                .find(|(from, _)| matches_at(text, i, from));
            match matched {
                Some((from, to)) => {
                    out.push_str(&text[copied..i]);
                    out.push_str(to);
                    i += from.len();
                    copied = i;
                }
                None => i += 1,
            }
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// Does `phrase` occur at byte `at` of `text`, as whole words?
fn matches_at(text: &str, at: usize, phrase: &str) -> bool {
    if !text[at..].starts_with(phrase) {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric();
    let starts_word = phrase.chars().next().is_some_and(is_word);
    let ends_word = phrase.chars().next_back().is_some_and(is_word);
    let before_ok = !starts_word || !text[..at].chars().next_back().is_some_and(is_word);
    let after_ok = !ends_word
        || !text[at + phrase.len()..]
            .chars()
            .next()
            .is_some_and(is_word);
    before_ok && after_ok
}

/// The phrase replacements of one report: people, meeting number, meeting
/// date, venue. Years in these phrases are already shifted (numbers are
/// varied before phrases are replaced).
fn report_replacements(source: &Source, meeting: &Meeting, cast: &[(Person, Person)]) -> Replacer {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (original, stand_in) in cast {
        pairs.push((original.full_name(), stand_in.full_name()));
        pairs.push((original.short_form(), stand_in.short_form()));
    }

    let old_ordinal = ordinal(source.meeting_number);
    let new_ordinal = ordinal(meeting.number);
    pairs.push((
        format!("{old_ordinal} meeting"),
        format!("{new_ordinal} meeting"),
    ));
    pairs.push((
        format!("{} meeting", capitalised(&old_ordinal)),
        format!("{} meeting", capitalised(&new_ordinal)),
    ));
    pairs.push((
        format!("PAG.{}/", source.meeting_number),
        format!("PAG.{}/", meeting.number),
    ));

    // "on Friday 22 September 2017", "Friday 22 of September 2017", "on 22 September".
    let (old, new) = (source.meeting_date, meeting.date);
    let old_day_month = format!("{} {}", old.day, old.month_name());
    let new_day_month = format!("{} {}", new.day, new.month_name());
    let old_day_of_month = format!("{} of {}", old.day, old.month_name());
    let new_day_of_month = format!("{} of {}", new.day, new.month_name());
    for (from, to) in [
        (&old_day_month, &new_day_month),
        (&old_day_of_month, &new_day_of_month),
    ] {
        pairs.push((
            format!("{} {from}", old.weekday()),
            format!("{} {to}", new.weekday()),
        ));
        pairs.push((from.clone(), to.clone()));
    }

    pairs.push((
        format!("{SOURCE_BUILDING}, {}", source.venue),
        format!("{}, {}", meeting.building, meeting.venue),
    ));
    pairs.push((source.venue.clone(), meeting.venue.to_string()));
    Replacer::new(pairs)
}

/// What the number pass needs to know about a report.
struct NumberShift {
    /// Added to every year (meeting year minus source meeting year).
    years: i64,
    source_meeting: u32,
    meeting: u32,
}

impl NumberShift {
    /// From the source report's meeting to `meeting`.
    fn between(source: &Source, meeting: &Meeting) -> NumberShift {
        NumberShift {
            years: i64::from(meeting.date.year - source.meeting_date.year),
            source_meeting: source.meeting_number,
            meeting: meeting.number,
        }
    }
}

/// Words after which a number is a label, not a quantity: "Articles 9, 14",
/// "question number 2", "agenda item 5", "COP 1", "level one"…
const LABEL_WORDS: [&str; 24] = [
    "article",
    "articles",
    "art.",
    "question",
    "questions",
    "number",
    "item",
    "items",
    "cop",
    "level",
    "chapter",
    "chapters",
    "house",
    "paragraph",
    "paragraphs",
    "annex",
    "decision",
    "resolution",
    "goal",
    "sdg",
    "phase",
    "group",
    "page",
    "table",
];

/// Varies the numbers of a paragraph: years move with the meeting year,
/// "PAG 8" follows the meeting number, and counts of ten or more ("24
/// members", "1300 registered participants") are scaled by a random factor
/// in 0.7..=1.3 and rounded like the original. Left alone: numbers touching
/// "/" or "." (symbols, decimals), numbers after a label word ("Articles 9,
/// 14, 16 …", "question 2, 3 and 4"), days before a month, times ("9 a.m."),
/// and small numbers.
fn vary_numbers(text: &str, shift: &NumberShift, rng: &mut Rng) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if let Some(new) = varied_number(text, start, i, shift, rng) {
            out.push_str(&text[copied..start]);
            out.push_str(&new);
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The new value of the digits at `start..end`, or `None` to keep them.
fn varied_number(
    text: &str,
    start: usize,
    end: usize,
    shift: &NumberShift,
    rng: &mut Rng,
) -> Option<String> {
    if !stands_alone(text, start, end) {
        return None;
    }
    let digits = &text[start..end];
    let value: u64 = digits.parse().ok()?;
    if digits.len() == 4 && (1900..=2100).contains(&value) {
        return Some((value as i64 + shift.years).to_string());
    }
    let label = governing_word(&text[..start]);
    if label == "pag" {
        // "PAG 8" is this meeting; "PAG 7" the one before.
        let relative = i64::from(shift.meeting) + value as i64 - i64::from(shift.source_meeting);
        return Some(relative.max(1).to_string());
    }
    if value < 10 || LABEL_WORDS.contains(&label.as_str()) || is_day_or_time(&text[end..]) {
        return None;
    }
    Some(scaled(value, rng).to_string())
}

/// A number standing as a word of its own: not part of a symbol
/// ("PAG.8/6"), a decimal, or a word like "COP1" or "4th".
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '“'));
    let mut after = text[end..].chars();
    let after_ok = match after.next() {
        None => true,
        Some(c) if c.is_whitespace() || matches!(c, ',' | ';' | ':' | ')' | '"' | '”') => true,
        // A sentence end, not a decimal point or symbol separator.
        Some('.' | '?' | '!') => after.next().is_none_or(char::is_whitespace),
        Some(_) => false,
    };
    before_ok && after_ok
}

/// The word a number hangs off, lowercased and without punctuation: for
/// "Articles 9, 14, 16, and 22" it is "articles" for every number.
fn governing_word(before: &str) -> String {
    before
        .split_whitespace()
        .rev()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'))
        .map(|word| word.trim_end_matches('.'))
        .find(|word| {
            let list_element = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
            !(list_element || matches!(*word, "and" | "or" | ""))
        })
        .unwrap_or_default()
        .to_lowercase()
}

/// True when the words after a number make it a day ("22 September", "22
/// of September") or a time ("9 a.m.", "6 pm").
fn is_day_or_time(after: &str) -> bool {
    let mut words = after.split_whitespace();
    let mut next = words.next().unwrap_or_default();
    if next == "of" {
        next = words.next().unwrap_or_default();
    }
    let next = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    MONTHS.contains(&next) || matches!(next, "a.m" | "p.m" | "am" | "pm" | "hours")
}

/// `value` times a random factor in 0.7..=1.3, rounded to the precision the
/// original shows ("1300" stays a multiple of 100, "30" of 10).
fn scaled(value: u64, rng: &mut Rng) -> u64 {
    let permille = 700 + rng.below(601) as u64;
    let mut step = 1;
    while value.is_multiple_of(step * 10) && step * 10 < value {
        step *= 10;
    }
    let raw = (value * permille + 500) / 1000;
    let rounded = (raw + step / 2) / step * step;
    rounded.max(step).max(2)
}

/// Cuts a one-line paragraph by a page break, like the PDF conversion does:
/// "…coal-fired plants to\n\ncalculate their…". The cut falls near a random
/// point in the middle of the paragraph, at a word boundary where the text
/// before does not end a sentence (nor a word hyphenated or a symbol cut
/// after "/") and the word after starts in lowercase, so the parser reads it
/// as one paragraph across the break. `None` when no such place is near.
fn insert_page_break(body: &str, rng: &mut Rng) -> Option<String> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    let words = starts.len();
    if words < 16 {
        return None;
    }
    let target = words * 35 / 100 + rng.below(words * 30 / 100 + 1);
    let word = |k: usize| body[starts[k]..starts[k + 1] - 1].trim_end();
    let fits = |k: usize| {
        let before = word(k - 1);
        let after = &body[starts[k]..];
        // Two words of the sentence at least before the cut.
        !ends_sentence(before)
            && !ends_sentence(word(k - 2))
            && !before.ends_with(['-', '/'])
            && after.chars().next().is_some_and(char::is_lowercase)
    };
    // Try the target first, then words further and further away from it.
    let cut = (0..8)
        .flat_map(|d| [target + d, target.wrapping_sub(d)])
        .find(|&k| (3..words).contains(&k) && fits(k))?;
    let split = starts[cut];
    Some(format!("{}\n\n{}", &body[..split - 1], &body[split..]))
}

// ---------------------------------------------------------------------------
// Reports

/// How many paragraphs a section gets, relative to the source: 65%..=120%,
/// which makes reports of about 50 KB on average.
const MIN_SHARE_PERCENT: usize = 65;
const MAX_SHARE_PERCENT: usize = 120;
/// One numbered paragraph in this many gets a new page break.
const PAGE_BREAK_ONE_IN: usize = 12;

/// Report `index` of the corpus generated with `seed`.
pub fn generate_report(source: &Source, seed: u64, index: u32) -> String {
    let mut rng = Rng::for_report(seed, index);
    let mut meeting = Meeting::draw(&mut rng);
    // Every report its own symbol, as in a real archive (where two files
    // with one symbol are one document twice): meeting numbers cycle, and
    // each cycle takes the next document number.
    meeting.number = (index.max(1) - 1) % MAX_MEETING_NUMBER + 1;
    meeting.document = 5 + (index.max(1) - 1) / MAX_MEETING_NUMBER;
    let cast = cast_people(&mut rng);
    let replacer = report_replacements(source, &meeting, &cast);
    let shift = NumberShift::between(source, &meeting);
    let rewrite = |text: &str, rng: &mut Rng| replacer.apply(&vary_numbers(text, &shift, rng));

    let mut out = render_header(source, &meeting);
    let mut number = 0;
    for section in &source.sections {
        out.push_str(&section.heading);
        out.push_str("\n\n");
        for chosen in choose_paragraphs(section, &mut rng) {
            let paragraph = &section.paragraphs[chosen];
            let mut body = rewrite(&paragraph.body, &mut rng);
            if !paragraph.has_page_break() && rng.one_in(PAGE_BREAK_ONE_IN) {
                body = insert_page_break(&body, &mut rng).unwrap_or(body);
            }
            number += 1;
            let _ = write!(out, "{number}. {body}\n\n");
            for follower in &paragraph.followers {
                out.push_str(&rewrite(follower, &mut rng));
                out.push_str("\n\n");
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Indices of the source paragraphs a section's report uses, in source order:
/// about as many as the source has (65%..=120%), drawn with replacement. A
/// paragraph with unnumbered followers (the group reports) is used exactly
/// once, so every report has them once.
fn choose_paragraphs(section: &Section, rng: &mut Rng) -> Vec<usize> {
    let available = section.paragraphs.len();
    if available == 0 {
        return Vec::new();
    }
    let share = MIN_SHARE_PERCENT + rng.below(MAX_SHARE_PERCENT - MIN_SHARE_PERCENT + 1);
    let count = ((available * share + 50) / 100).max(1);
    let (anchors, ordinary): (Vec<usize>, Vec<usize>) =
        (0..available).partition(|&i| !section.paragraphs[i].followers.is_empty());
    let mut chosen = anchors;
    if !ordinary.is_empty() {
        while chosen.len() < count {
            chosen.push(ordinary[rng.below(ordinary.len())]);
        }
    }
    chosen.sort_unstable();
    chosen
}

/// At most this many numbered paragraphs in a long report: the parser reads
/// paragraph numbers of up to four digits, so a report this long has long
/// paragraphs rather than more of them.
const LONG_REPORT_MAX_PARAGRAPHS: usize = 9_000;

/// One long report of at least `target_bytes` (and at most a paragraph
/// more): the title block of a generated report, then the source's agenda
/// taken again and again, each pass with its own cast of people, its agenda
/// items numbered on (the eighth item of the source is item 16 in the
/// second pass) and its paragraphs numbered on through the whole report.
/// Each numbered paragraph joins as many drawn source paragraphs of its
/// item as keep the numbers within four digits (one for a report of up to
/// about 3 MB, 25 or so for 100 MB); the unnumbered paragraphs of the
/// source follow theirs. About one numbered paragraph in twelve is cut by a
/// page break. The same arguments give the same text.
pub fn generate_long_report(source: &Source, seed: u64, target_bytes: usize) -> String {
    let mut rng = Rng::for_report(seed, 1);
    let meeting = Meeting::draw(&mut rng);
    let (body_bytes, bodies) = source
        .sections
        .iter()
        .flat_map(|section| &section.paragraphs)
        .fold((0, 0), |(bytes, count), p| {
            (bytes + p.body.len() + 1, count + 1)
        });
    let average = (body_bytes / bodies.max(1)).max(1);
    let join = target_bytes
        .div_ceil(LONG_REPORT_MAX_PARAGRAPHS * average)
        .max(1);
    let items = source
        .sections
        .iter()
        .filter(|section| agenda_number(&section.heading).is_some())
        .count() as u32;

    let mut out = render_header(source, &meeting);
    let mut number = 0;
    let mut pass = 0;
    'passes: loop {
        let mut rng = Rng::for_report(seed ^ 0x4C4F_4E47, pass + 1);
        let cast = cast_people(&mut rng);
        let replacer = report_replacements(source, &meeting, &cast);
        let shift = NumberShift::between(source, &meeting);
        let rewrite = |text: &str, rng: &mut Rng| replacer.apply(&vary_numbers(text, &shift, rng));
        for section in &source.sections {
            match agenda_number(&section.heading) {
                Some((start, end, n)) => {
                    out.push_str(&section.heading[..start]);
                    let _ = write!(out, "{}", n + pass * items);
                    out.push_str(&section.heading[end..]);
                }
                None => out.push_str(&section.heading),
            }
            out.push_str("\n\n");
            // `join` draws, each in source order; a numbered paragraph takes
            // the same place in each draw, so that it tells the item's
            // story `join` times over rather than one paragraph repeated.
            let chosen: Vec<usize> = (0..join)
                .flat_map(|_| choose_paragraphs(section, &mut rng))
                .collect();
            let groups = chosen.len().div_ceil(join);
            for g in 0..groups {
                let mut body = String::new();
                let mut followers = Vec::new();
                for &k in chosen.iter().skip(g).step_by(groups) {
                    let paragraph = &section.paragraphs[k];
                    if !body.is_empty() {
                        body.push(' ');
                    }
                    body.push_str(&rewrite(&paragraph.body, &mut rng));
                    followers.extend(&paragraph.followers);
                }
                if !body.contains('\n') && rng.one_in(PAGE_BREAK_ONE_IN) {
                    body = insert_page_break(&body, &mut rng).unwrap_or(body);
                }
                number += 1;
                let _ = write!(out, "{number}. {body}\n\n");
                for follower in followers {
                    out.push_str(&rewrite(follower, &mut rng));
                    out.push_str("\n\n");
                }
                if out.len() >= target_bytes {
                    break 'passes;
                }
            }
        }
        pass += 1;
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The agenda item number of a heading ("## **2. Organizational
/// matters**"): its byte range in the heading and its value. `None` for a
/// sub-item ("### (a) …").
fn agenda_number(heading: &str) -> Option<(usize, usize, u32)> {
    let title = heading_text(heading.lines().next()?)?;
    let start = heading.find(title)?;
    let digits = title.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !title[digits..].starts_with(". ") {
        return None;
    }
    Some((start, start + digits, title[..digits].parse().ok()?))
}

#[cfg(test)]
mod tests {
    // Benchmarks include this file without a test harness, where the tests
    // below are not compiled but this import is.
    #[allow(unused_imports)]
    use super::*;

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        let date = Date::parse("22 September 2017").unwrap();
        assert_eq!(Date::from_days(date.days()), date);
        assert_eq!(date.weekday(), "Friday");
        assert_eq!(date.add_days(55).long(), "16 November 2017");
    }

    #[test]
    fn ordinals_are_spelled_out() {
        assert_eq!(ordinal(8), "eighth");
        assert_eq!(ordinal(12), "twelfth");
        assert_eq!(title_case(&ordinal(21)), "Twenty-First");
        assert_eq!(ordinal(40), "fortieth");
    }

    #[test]
    fn numbers_keep_labels_symbols_and_days() {
        let shift = NumberShift {
            years: 2,
            source_meeting: 8,
            meeting: 12,
        };
        let mut rng = Rng(1);
        let text = "Articles 9, 14, and 22; question 2, 3 and 4; UNEP(ED)/Hg/PAG.8/6; \
                    on Friday 22 September 2017 at 9 a.m.; PAG 8 and PAG 7; COP1.";
        assert_eq!(
            vary_numbers(text, &shift, &mut rng),
            "Articles 9, 14, and 22; question 2, 3 and 4; UNEP(ED)/Hg/PAG.8/6; \
             on Friday 22 September 2019 at 9 a.m.; PAG 12 and PAG 11; COP1."
        );
        let varied = vary_numbers("there are 1300 members", &shift, &mut rng);
        let count: u64 = varied.split(' ').nth(2).unwrap().parse().unwrap();
        assert!((900..=1700).contains(&count) && count.is_multiple_of(100));
    }

    #[test]
    fn replacer_makes_one_pass_on_whole_words() {
        let replacer = Replacer::new(vec![
            ("Ana Garcia Gonzales".into(), "Lucía Pérez Molina".into()),
            ("Ms. Garcia".into(), "Ms. Pérez".into()),
            ("Ms. Lim".into(), "Ms. Garcia".into()),
        ]);
        assert_eq!(
            replacer.apply("Ms. Ana Garcia Gonzales, Ms. Garcia, Ms. Lim, Ms. Limbo."),
            "Ms. Lucía Pérez Molina, Ms. Pérez, Ms. Garcia, Ms. Limbo."
        );
    }

    #[test]
    fn page_breaks_fall_mid_sentence_before_a_lowercase_word() {
        let body = "Ms. Sloss introduced her Co-Lead, Mr. Peter Nelson, and highlighted the \
                    activities taken by the Partnership area such as the guidance document and \
                    the tool that helps coal-fired plants to calculate their mercury emissions.";
        for seed in 0..50 {
            let cut = insert_page_break(body, &mut Rng(seed)).unwrap();
            let (first, rest) = cut.split_once("\n\n").unwrap();
            assert!(!ends_sentence(first));
            assert!(rest.starts_with(char::is_lowercase));
            assert_eq!(format!("{first} {rest}"), body);
        }
    }
}
