//! The benchmark query mix: 30 realistic queries in five categories, shared
//! by the in-process search bench and the HTTP load bench, so that both
//! measure the same work.

use pagsearch::Index;

/// The 30 queries, by category. Speaker and year filters use values of the
/// generated corpus.
pub fn query_mix(index: &Index) -> Vec<(&'static str, Vec<String>)> {
    let totals = index.facet_totals().expect("facets");
    let speaker = |rank: usize| {
        let name = &totals.speaker[rank.min(totals.speaker.len() - 1)].0;
        let surname = name.rsplit(' ').next().unwrap_or(name);
        format!("speaker:\"{surname}\"")
    };
    let documents = index.documents().expect("documents");
    let doc = format!("doc:{}", documents[0].doc);
    let year = format!("year:{}", documents[0].year.unwrap_or(2017));
    let keywords = [
        "financing chlor-alkali conversion",
        "mercury inventory toolkit",
        "national action plans",
        "waste management strategy",
        "coal emissions monitoring",
        "cement industry guidance",
        "communication outreach website",
        "GEF funding",
        "thermometers phase out",
        "who chaired the meeting",
    ];
    let phrases = [
        "\"mercury waste\"",
        "\"global mercury assessment\"",
        "\"small group discussions\"",
        "\"entry into force\"",
        "\"knowledge management\"",
    ];
    let filters = vec![
        "area:asgm".to_string(),
        "area:waste agenda:3".to_string(),
        "agenda:5".to_string(),
        speaker(0),
        format!("{} area:asgm", speaker(1)),
        doc,
        year,
        "area:coal -area:cement".to_string(),
    ];
    let acronyms = [
        "MIA",
        "NAP",
        "Minamata Initial Assessment",
        "ASGM formalization",
    ];
    let mixed = vec![
        "financing agenda:3".to_string(),
        format!("toolkit {}", speaker(2)),
        "\"mercury waste\" -cement".to_string(),
    ];
    let owned = |list: &[&str]| list.iter().map(|q| (*q).to_string()).collect::<Vec<_>>();
    vec![
        ("keyword", owned(&keywords)),
        ("phrase", owned(&phrases)),
        ("filter", filters),
        ("acronym", owned(&acronyms)),
        ("mixed", mixed),
    ]
}
