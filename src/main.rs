//! The `pagsearch` command line: wires clap to the library, nothing more.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use pagsearch::output::{self, Style};
use pagsearch::query::{GroupBy, Sort};
use pagsearch::report::{self, Taxonomy};
use pagsearch::{Error, Index, Progress, SearchOptions, UpdateSummary};

/// Where the index lives unless `--index` says otherwise.
const DEFAULT_INDEX: &str = "index";
/// What a first search indexes when the default index does not exist yet.
const DEFAULT_CORPUS: &str = "corpus";

#[derive(Parser)]
#[command(
    name = "pagsearch",
    version,
    about = "Search UN-style meeting reports: who said what, under which agenda item, about which partnership area"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index report files (.md, .txt, .pdf); only changed files are re-indexed.
    Index {
        /// Files or folders to index.
        #[arg(default_value = DEFAULT_CORPUS)]
        paths: Vec<PathBuf>,
        /// Index directory.
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// Start over: drop everything in the index first.
        #[arg(long)]
        rebuild: bool,
        /// Partnership-area taxonomy (TOML or JSON) for a new or rebuilt index.
        #[arg(long, value_name = "FILE")]
        taxonomy: Option<PathBuf>,
    },
    /// Search the index (`pagsearch search --help` explains the query syntax).
    #[command(after_long_help = syntax_help())]
    Search {
        /// The query, e.g. `area:ASGM speaker:Keane` or `financing chlor-alkali agenda:3`.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Index directory (the default one is built from corpus/ on first use).
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// Maximum hits, or groups with --group-by (default 10; all for a query of filters only).
        #[arg(long)]
        limit: Option<usize>,
        /// JSON Lines output: one hit per line.
        #[arg(long)]
        json: bool,
        /// Count areas, speakers, agenda items and delegations over all matches.
        #[arg(long)]
        facets: bool,
        /// Search every word as typed: no spelling correction.
        #[arg(long)]
        as_typed: bool,
        /// The best paragraph of each report, meeting, speaker, area or
        /// agenda item, with its count; --limit counts groups.
        #[arg(long, value_enum, value_name = "BY")]
        group_by: Option<GroupByChoice>,
        /// Order: by score, or by meeting date (undated reports last).
        #[arg(long, value_enum, default_value_t = SortChoice::Relevance)]
        sort: SortChoice,
        /// Colour: auto (on a terminal unless NO_COLOR is set), always, never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Show a paragraph in full with its neighbours.
    Show {
        /// Document id, symbol, file stem or file path (e.g. PAG.8/7).
        doc: String,
        /// Paragraph label (e.g. 63 or 115.2).
        para: String,
        /// Paragraphs to show before and after.
        #[arg(long, default_value_t = 1)]
        context: usize,
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// JSON Lines output.
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// List the known areas, speakers, agenda items, documents and delegations.
    Facets {
        /// Only this one: area, speaker, agenda, doc or delegation.
        #[arg(value_parser = ["area", "speaker", "agenda", "doc", "delegation"])]
        field: Option<String>,
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Verify every file of the index against its checksum, and pagsearch's
    /// records against the segments; exit 1 when something is damaged.
    Check {
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
    },
    /// Serve a web page and an HTTP JSON API over the index, on this machine
    /// only unless --addr says otherwise; Ctrl-C stops it.
    #[cfg(feature = "serve")]
    Serve {
        /// Index directory (the default one is built from corpus/ on first use).
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// Address to listen on (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "HOST:PORT")]
        addr: std::net::SocketAddr,
        /// Searches run at once, the others waiting their turn (default:
        /// twice the cores).
        #[arg(long, value_name = "N")]
        workers: Option<usize>,
    },
    /// Print the paragraph units of one report with their tags.
    Paragraphs {
        /// The report file (PDF, markdown, or text extracted from PDF).
        file: PathBuf,
        /// JSON Lines output, one unit per line.
        #[arg(long)]
        json: bool,
        /// Print the document metadata, people and acronyms (JSON) instead of units.
        #[arg(long)]
        meta: bool,
        /// Partnership-area taxonomy file (TOML or JSON) replacing the built-in one.
        #[arg(long, value_name = "FILE")]
        taxonomy: Option<PathBuf>,
        /// Wrap text at this many columns (readable output).
        #[arg(long, default_value_t = 100)]
        width: usize,
    },
    /// Print a shell completion script, made from these commands and options.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of pagsearch, or of one of its commands.
    Man {
        /// The command whose page to print (e.g. search); the pagsearch page
        /// when left out.
        #[arg(value_parser = man_page_command)]
        command: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GroupByChoice {
    Doc,
    Meeting,
    Speaker,
    Area,
    Agenda,
}

impl From<GroupByChoice> for GroupBy {
    fn from(choice: GroupByChoice) -> GroupBy {
        match choice {
            GroupByChoice::Doc => GroupBy::Doc,
            GroupByChoice::Meeting => GroupBy::Meeting,
            GroupByChoice::Speaker => GroupBy::Speaker,
            GroupByChoice::Area => GroupBy::Area,
            GroupByChoice::Agenda => GroupBy::Agenda,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SortChoice {
    /// Best score first (document order for filters only).
    Relevance,
    /// Latest meeting first.
    Newest,
    /// Earliest meeting first.
    Oldest,
}

impl From<SortChoice> for Sort {
    fn from(choice: SortChoice) -> Sort {
        match choice {
            SortChoice::Relevance => Sort::Relevance,
            SortChoice::Newest => Sort::Newest,
            SortChoice::Oldest => Sort::Oldest,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn style(self) -> Style {
        let color = match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Style { color }
    }
}

/// The last panic's message and place, kept by the panic hook for the one
/// line `main` prints.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic the library turns into an error (damaged index data that the
    // engine trips on) is said once, as that error; one that ends the run
    // is said once, as a bug. Neither prints the default hook's lines.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let outcome = match std::panic::catch_unwind(|| run(cli)) {
        Ok(outcome) => outcome,
        Err(_) => {
            let what = PANIC
                .lock()
                .ok()
                .and_then(|mut last| last.take())
                .unwrap_or_default();
            eprintln!("error: pagsearch failed ({what}); this is a bug, please report it");
            return ExitCode::from(101);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`pagsearch … | head`) is not an error.
            if err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            match err.downcast_ref::<Error>() {
                Some(Error::Query {
                    message, pointer, ..
                }) => {
                    eprintln!("error: {message}");
                    if !pointer.is_empty() {
                        eprintln!("{pointer}");
                    }
                    ExitCode::from(2)
                }
                Some(Error::NotFound { message }) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
                // Nothing to search: the user has a step to take first.
                Some(Error::NoIndex { .. } | Error::EmptyIndex { .. }) => {
                    eprintln!("error: {err:#}");
                    ExitCode::from(2)
                }
                _ => {
                    eprintln!("error: {err:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match cli.command {
        Command::Index {
            paths,
            index,
            rebuild,
            taxonomy,
        } => {
            let explicit_taxonomy = taxonomy.is_some();
            let taxonomy = load_taxonomy(taxonomy.as_deref())?;
            if explicit_taxonomy && !rebuild {
                // An existing index keeps the taxonomy it was tagged with.
                if let Ok(existing) = Index::open(&index)
                    && existing.file_count() > 0
                    && existing.taxonomy()?.areas() != taxonomy.areas()
                {
                    anyhow::bail!(
                        "{} was tagged with another taxonomy; add --rebuild to re-tag it with this one",
                        index.display()
                    );
                }
            }
            if let Some(missing) = paths.iter().find(|p| !p.exists())
                && paths.iter().all(|p| !p.exists())
            {
                anyhow::bail!("no such file or folder: {}", missing.display());
            }
            let summary = update_index(&index, &paths, &taxonomy, rebuild)?;
            report_update(&paths, &summary);
            if summary.paragraphs_total == 0 {
                anyhow::bail!(
                    "nothing to search: no report paragraphs found in {} ({} files skipped)",
                    roots(&paths),
                    summary.skipped.len()
                );
            }
        }
        Command::Search {
            query,
            index,
            limit,
            json,
            facets,
            as_typed,
            group_by,
            sort,
            color,
        } => {
            let index = open_index_until_exit(&index)?;
            let options = SearchOptions {
                limit,
                facets,
                correct_spelling: !as_typed,
                group_by: group_by.map(GroupBy::from),
                sort: sort.into(),
                ..SearchOptions::default()
            };
            let results = index.search(&query, &options)?;
            if json {
                output::write_hits_json(&mut out, &results)?;
            } else {
                output::write_hits_text(&mut out, &results, color.style(), terminal_width())?;
            }
        }
        Command::Show {
            doc,
            para,
            context,
            index,
            json,
            color,
        } => {
            let index = open_index_until_exit(&index)?;
            let found = index.paragraph_in_context(&doc, &para, context)?;
            let shown = &found.paragraphs;
            if json {
                for paragraph in shown {
                    serde_json::to_writer(&mut out, paragraph)?;
                    out.write_all(b"\n")?;
                }
            } else {
                output::write_paragraphs_text(
                    &mut out,
                    shown,
                    found.focus,
                    color.style(),
                    terminal_width(),
                )?;
            }
        }
        Command::Check { index } => {
            let report = pagsearch::index::check(&index)?;
            for problem in &report.problems {
                writeln!(out, "damaged: {problem}")?;
            }
            if !report.is_sound() {
                out.flush()?;
                let count = report.problems.len();
                anyhow::bail!(
                    "the index in {} is damaged ({count} {}); run `pagsearch index --rebuild --index {}` to build it again from the reports",
                    index.display(),
                    if count == 1 { "problem" } else { "problems" },
                    index.display()
                );
            }
            writeln!(
                out,
                "{} is sound: {} segments, {} files verified against their checksums, {} paragraphs, summary and file map agree",
                index.display(),
                report.segments,
                report.files_checked,
                report.paragraphs
            )?;
        }
        Command::Facets { field, index, json } => {
            let overview = open_index_until_exit(&index)?.overview()?;
            if json {
                output::write_overview_json(&mut out, &overview, field.as_deref())?;
            } else {
                output::write_overview_text(&mut out, &overview, field.as_deref())?;
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            index,
            addr,
            workers,
        } => {
            let opened = open_index(&index)?;
            let (paragraphs, reports) = (opened.paragraph_count(), opened.file_count());
            drop(opened);
            if !addr.ip().is_loopback() {
                eprintln!(
                    "note: listening on {addr}: other machines that can reach it can search this index"
                );
            }
            let options = pagsearch::serve::ServeOptions {
                addr,
                workers: workers.unwrap_or_else(pagsearch::serve::default_workers),
            };
            pagsearch::serve::run(&index, &options, |bound| {
                // The first line says where to look (tests and scripts read it).
                println!(
                    "serving {} ({paragraphs} paragraphs, {reports} files) at http://{bound}/ (Ctrl-C to stop)",
                    index.display()
                );
                let _ = io::stdout().flush();
            })?;
            eprintln!("stopped");
        }
        Command::Paragraphs {
            file,
            json,
            meta,
            taxonomy,
            width,
        } => {
            let taxonomy = load_taxonomy(taxonomy.as_deref())?;
            let report = report::parse_file(&file, &taxonomy)?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            if meta {
                output::write_meta_json(&mut out, &report)?;
            } else if json {
                output::write_units_json(&mut out, &report)?;
            } else {
                output::write_units_text(&mut out, &report, width)?;
            }
        }
        Command::Completions { shell } => {
            // Made in memory: the generator panics on a failed write, and a
            // closed pipe is no panic.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "pagsearch", &mut script);
            out.write_all(&script)?;
        }
        Command::Man { command } => write_man_page(&mut out, command.as_deref())?,
    }
    out.flush()?;
    Ok(())
}

/// The text `search --help` prints after the options: the query syntax
/// under a heading styled like clap's own.
fn syntax_help() -> String {
    let header = *clap::builder::Styles::default().get_header();
    format!(
        "{header}Query syntax:{header:#}\n\n{}",
        pagsearch::query::SYNTAX
    )
}

/// The clap definitions as the manual pages show them: no `help` command.
fn man_command() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// Checks the command named to `pagsearch man`.
fn man_page_command(name: &str) -> Result<String, String> {
    let root = man_command();
    if root.find_subcommand(name).is_some() {
        return Ok(name.to_owned());
    }
    let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
    Err(format!("no such command (commands: {})", names.join(", ")))
}

/// Writes the roff manual page of pagsearch, or of its `command`
/// (pagsearch-search(1)), made by clap_mangen from the clap definitions.
/// The pages of pagsearch and of `search` explain the query syntax in a
/// section of their own, its lines kept as they are (clap_mangen would run
/// them together).
fn write_man_page(out: &mut impl Write, command: Option<&str>) -> anyhow::Result<()> {
    let root = man_command();
    let page = match command {
        Some(name) => root
            .find_subcommand(name)
            .with_context(|| format!("no such command: {name}"))?
            .clone(),
        None => root,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page.after_long_help(None::<&str>))
        .source(format!("pagsearch {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)?;
    let mut roff = String::from_utf8(roff)?;
    if command.is_none_or(|name| name == "search") {
        let at = roff.find("\n.SH VERSION").map_or(roff.len(), |at| at + 1);
        roff.insert_str(at, &syntax_roff());
    }
    out.write_all(roff.as_bytes())?;
    Ok(())
}

/// The query syntax as a man page section, in no-fill mode. `\*(Aq` is the
/// straight quote clap_mangen's pages define, so that examples copy as typed.
fn syntax_roff() -> String {
    let mut section = String::from(".SH \"QUERY SYNTAX\"\n.nf\n");
    for line in pagsearch::query::SYNTAX.lines() {
        let line = line
            .replace('\\', "\\e")
            .replace('-', "\\-")
            .replace('\'', "\\*(Aq");
        if line.starts_with('.') {
            section.push_str("\\&");
        }
        section.push_str(&line);
        section.push('\n');
    }
    section.push_str(".fi\n");
    section
}

fn load_taxonomy(path: Option<&Path>) -> anyhow::Result<Taxonomy> {
    Ok(match path {
        Some(path) => Taxonomy::from_file(path)?,
        None => Taxonomy::builtin(),
    })
}

/// Opens the index; the default one is built from the shipped corpus on
/// first use, and says when the corpus has changed since it was updated.
fn open_index(dir: &Path) -> anyhow::Result<Index> {
    let default = dir == Path::new(DEFAULT_INDEX) && Path::new(DEFAULT_CORPUS).is_dir();
    let mut built = false;
    let index = match Index::open(dir) {
        Err(Error::NoIndex { .. }) if default => {
            eprintln!(
                "No index yet: building {DEFAULT_INDEX}/ from {DEFAULT_CORPUS}/ (first use)…"
            );
            let paths = [PathBuf::from(DEFAULT_CORPUS)];
            let summary = update_index(dir, &paths, &Taxonomy::builtin(), false)?;
            report_update(&paths, &summary);
            built = true;
            Index::open(dir)?
        }
        other => other?,
    };
    if index.paragraph_count() == 0 {
        return Err(Error::EmptyIndex {
            dir: dir.to_path_buf(),
        }
        .into());
    }
    if default
        && !built
        && let Some(notice) = stale_notice(&index)
    {
        eprintln!("{notice}");
    }
    Ok(index)
}

/// [`open_index`] for a command that reads the index once and ends: the
/// index is left to the end of the process instead of being dropped.
/// Unmapping its segment files one by one took 0.5-0.7 ms of CPU in a
/// search process on 10,000 reports (`perf stat`, three runs each way),
/// more than the kernel takes to release them with the process.
fn open_index_until_exit(dir: &Path) -> anyhow::Result<std::mem::ManuallyDrop<Index>> {
    open_index(dir).map(std::mem::ManuallyDrop::new)
}

/// One line saying that the default index is out of date with the corpus,
/// and how to update it; `None` when it is up to date, when it was built
/// from other folders, or when the corpus could not be checked (a search
/// never fails for want of this notice). The search goes on with the index
/// as it is: a search never writes, so it cannot hold up an `index` run nor
/// fail on a read-only index.
fn stale_notice(index: &Index) -> Option<String> {
    // A corpus folder that cannot be read is no sign that its files are gone.
    std::fs::read_dir(DEFAULT_CORPUS).ok()?;
    let changes = index.changes(&[PathBuf::from(DEFAULT_CORPUS)]).ok()?;
    if changes.indexed == 0 || changes.is_empty() {
        return None;
    }
    Some(format!(
        "{DEFAULT_INDEX}/ is out of date with {DEFAULT_CORPUS}/ ({} added, {} changed, {} removed): run `pagsearch index` to update it",
        changes.added.len(),
        changes.changed.len(),
        changes.removed.len()
    ))
}

fn update_index(
    dir: &Path,
    paths: &[PathBuf],
    taxonomy: &Taxonomy,
    rebuild: bool,
) -> anyhow::Result<UpdateSummary> {
    let mut index = match Index::open_or_create(dir, taxonomy) {
        // `--rebuild` starts over on an index that cannot be opened: from
        // another version, or damaged. Only a folder known as a pagsearch
        // index is cleared, and only of the index's own files.
        Err(Error::IncompatibleIndex { .. } | Error::DamagedIndex { .. } | Error::Index { .. })
            if rebuild && pagsearch::index::is_index_folder(dir) =>
        {
            clear_index_dir(dir)?;
            Index::open_or_create(dir, taxonomy)?
        }
        other => other?,
    };
    let bar = if io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let summary = index.update(paths, taxonomy, rebuild, &progress)?;
    bar.finish_and_clear();
    Ok(summary)
}

/// Removes an incompatible index's files, and only those: tantivy's
/// (`meta.json`, `.managed.json`, locks, segment files named by a hex id) and
/// pagsearch's file maps.
fn clear_index_dir(dir: &Path) -> anyhow::Result<()> {
    let is_index_file = |name: &str| {
        let segment_file = name
            .split_once('.')
            .is_some_and(|(id, _)| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));
        segment_file
            || name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy-")
            || name.starts_with("files-")
    };
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && is_index_file(&name) {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Warnings printed per file; the rest are counted.
const WARNINGS_PER_FILE: usize = 5;

/// One line per skipped file and per warning (at most [`WARNINGS_PER_FILE`]
/// a file), then the counts.
fn report_update(paths: &[PathBuf], summary: &UpdateSummary) {
    for (path, reason) in &summary.skipped {
        eprintln!("warning: skipped {}: {reason}", path.display());
    }
    for file in summary.warnings.chunk_by(|a, b| a.file == b.file) {
        for warning in file.iter().take(WARNINGS_PER_FILE) {
            eprintln!("warning: {warning}");
        }
        if file.len() > WARNINGS_PER_FILE {
            eprintln!(
                "warning: {}: {} more warnings not shown",
                file[0].file,
                file.len() - WARNINGS_PER_FILE
            );
        }
    }
    if !summary.undated.is_empty() {
        const NAMED: usize = 5;
        let mut names = summary.undated[..summary.undated.len().min(NAMED)].join(", ");
        if summary.undated.len() > NAMED {
            names.push_str(&format!(" and {} more", summary.undated.len() - NAMED));
        }
        let noun = if summary.undated.len() == 1 {
            "file"
        } else {
            "files"
        };
        eprintln!(
            "note: {} {noun} without a readable meeting or distribution date, sorted last by date: {names}",
            summary.undated.len()
        );
    }
    for aside in &summary.set_aside {
        eprintln!("set aside {}: {}", aside.file, aside.reason);
    }
    eprintln!(
        "indexed {}: {} added, {} updated, {} removed, {} unchanged; {} paragraphs written, {} in the index; {} files skipped, {} with warnings; {:.2} s",
        roots(paths),
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.paragraphs_written,
        summary.paragraphs_total,
        summary.skipped.len(),
        summary.files_with_warnings(),
        summary.seconds
    );
}

/// The walked paths, as the user gave them.
fn roots(paths: &[PathBuf]) -> String {
    let roots: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    roots.join(" ")
}

/// Columns of the terminal (COLUMNS), else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c >= 40)
        .unwrap_or(100)
}
