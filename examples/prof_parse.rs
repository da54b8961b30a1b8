use pagsearch::report::{self, Taxonomy};
fn main() {
    let taxonomy = Taxonomy::builtin();
    let bytes = std::fs::read("corpus/pag8-report.md").unwrap();
    let mut n = 0;
    for _ in 0..300 {
        n += report::parse("markdown", &bytes, &taxonomy).units.len();
    }
    println!("{n}");
}
