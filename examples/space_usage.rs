//! Where the bytes of an index go: the size of each field's term
//! dictionary, postings, positions, field norms and fast columns, and of the
//! stored records, summed over the segments.
//!
//! Run: `cargo run --release --example space_usage -- index/`

use std::collections::BTreeMap;

fn main() -> tantivy::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "index".to_string());
    let index = tantivy::Index::open_in_dir(&dir)?;
    let searcher = index.reader()?.searcher();
    let usage = searcher.space_usage()?;

    // Per field: terms, postings, positions, norms, fast.
    let mut fields: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    let mut store = 0;
    for segment in usage.segments() {
        let parts = [
            segment.termdict(),
            segment.postings(),
            segment.positions(),
            segment.fieldnorms(),
            segment.fast_fields(),
        ];
        for (part, usage) in parts.iter().enumerate() {
            for field in usage.fields() {
                let sizes = fields.entry(field.field_name().to_string()).or_default();
                sizes[part] += field.total().get_bytes();
            }
        }
        store += segment.store().total().get_bytes();
    }

    println!(
        "{:16} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "field", "terms", "postings", "positions", "norms", "fast"
    );
    for (name, sizes) in &fields {
        println!(
            "{name:16} {:>10} {:>10} {:>10} {:>10} {:>10}",
            sizes[0], sizes[1], sizes[2], sizes[3], sizes[4]
        );
    }
    println!("stored records   {store:>10}");
    println!(
        "total            {:>10} bytes in {} segments",
        usage.total().get_bytes(),
        usage.segments().len()
    );
    Ok(())
}
