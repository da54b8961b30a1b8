//! `pagsearch serve` over HTTP: every endpoint, every error status, the JSON
//! identical to the command line's, `/files` serving only indexed files, the
//! page without JavaScript, and an index updated while the server runs. The
//! built binary is started on an ephemeral port.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use serde_json::Value;

/// A workspace (`corpus/` with the shipped report as a PDF and two reports
/// in other house styles) and a server over its default index, built on
/// first use by `serve` itself.
struct Server {
    dir: tempfile::TempDir,
    child: Child,
    base: String,
    agent: ureq::Agent,
}

const PDF: &str = "tests/fixtures/pag8-report.pdf";
const PAG9: &str = "tests/fixtures/reports/pag9-report.md";
const INC: &str = "tests/fixtures/reports/inc-report.txt";

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        for report in [PDF, PAG9, INC] {
            let source = fixture(report);
            std::fs::copy(&source, corpus.join(source.file_name().unwrap())).unwrap();
        }
        Server::start_in(dir, &[])
    }

    /// `serve` in `dir` with `extra` arguments, on a free port.
    fn start_in(dir: tempfile::TempDir, extra: &[&str]) -> Server {
        let (child, base) = common::start_server(dir.path(), extra);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server {
            dir,
            child,
            base,
            agent,
        }
    }

    /// GET `path`: the status, the content type and the body.
    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap();
        (status, content_type, body)
    }

    /// GET `path` as JSON, with its status.
    fn json(&self, path: &str) -> (u16, Value) {
        let (status, content_type, body) = self.get(path);
        assert_eq!(content_type, "application/json", "GET {path}");
        (status, serde_json::from_slice(&body).unwrap())
    }

    fn html(&self, path: &str) -> (u16, String) {
        let (status, content_type, body) = self.get(path);
        assert!(content_type.starts_with("text/html"), "{content_type}");
        (status, String::from_utf8(body).unwrap())
    }

    /// A request line sent as is, the path unchanged by any client: the
    /// status line and the whole answer.
    fn raw(&self, path: &str) -> String {
        let host = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// `pagsearch ARGS` in the workspace.
    fn cli(&self, args: &[&str]) -> std::process::Output {
        common::pagsearch(self.dir.path(), args).output().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The JSON lines of a command's output.
fn json_lines(output: &std::process::Output) -> Vec<Value> {
    assert!(output.status.success(), "{}", common::stderr(output));
    common::stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn the_api_answers_as_the_command_line_does() {
    let server = Server::start();
    // `serve` built the default index from corpus/ on first use.
    assert!(server.dir.path().join("index/meta.json").is_file());

    let (status, health) = server.json("/health");
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], 3);
    assert!(health["paragraphs"].as_u64().unwrap() > 136);

    for query in [
        "financing chlor-alkali conversion",
        "area:ASGM speaker:Keane",
        "\"national action plans\" -cement",
        "MIA",
        "finacing",
        "agenda:3 OR agenda:4",
    ] {
        let (status, answer) =
            server.json(&format!("/api/search?q={}&limit=7", common::encode(query)));
        assert_eq!(status, 200, "{query}: {answer}");
        let cli = json_lines(&server.cli(&["search", "--json", "--limit", "7", query]));
        let cli_hits: Vec<&Value> = cli.iter().filter(|l| l.get("rank").is_some()).collect();
        let api_hits: Vec<&Value> = answer["hits"].as_array().unwrap().iter().collect();
        assert_eq!(api_hits, cli_hits, "{query}");
        assert!(!api_hits.is_empty(), "{query}");
        assert_eq!(answer["query"], query);
        if let Some(corrections) = cli.iter().find_map(|l| l.get("corrections")) {
            assert_eq!(&answer["corrections"], corrections, "{query}");
        } else {
            assert_eq!(answer["corrections"], serde_json::json!([]), "{query}");
        }
        assert_eq!(answer["facets"], Value::Null);
    }

    // Facets and the total, as `--facets` prints them.
    let query = "mercury waste";
    let (_, answer) = server.json(&format!(
        "/api/search?q={}&facets=true",
        common::encode(query)
    ));
    let cli = json_lines(&server.cli(&["search", "--json", "--facets", query]));
    let facets_line = cli.last().unwrap();
    assert_eq!(answer["facets"], facets_line["facets"]);
    assert_eq!(answer["total"], facets_line["total"]);
    assert!(answer["facets"]["doc"].as_object().unwrap().len() >= 2);
    // Expansions are listed.
    let (_, answer) = server.json("/api/search?q=MIA");
    assert!(
        answer["expansions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["typed"] == "MIA"),
        "{}",
        answer["expansions"]
    );

    // Paging: offset 2, limit 3 is hits 3 to 5 of the first five.
    let (_, five) = server.json("/api/search?q=mercury&limit=5");
    let (_, page) = server.json("/api/search?q=mercury&limit=3&offset=2");
    assert_eq!(
        page["hits"].as_array().unwrap()[..],
        five["hits"].as_array().unwrap()[2..5]
    );
    assert_eq!(page["total"], five["total"]);
    assert_eq!(page["hits"][0]["rank"], 3);
    // Grouped and sorted, as the command line groups and sorts.
    let (_, grouped) = server.json("/api/search?q=mercury&group_by=doc&sort=newest");
    let cli = json_lines(&server.cli(&[
        "search",
        "--json",
        "--group-by",
        "doc",
        "--sort",
        "newest",
        "mercury",
    ]));
    assert_eq!(grouped["hits"].as_array().unwrap(), &cli);
    assert_eq!(grouped["groups"], 3);

    // A paragraph in its context, as `show --json`.
    let (status, shown) = server.json("/api/paragraph?doc=PAG.8/7&para=63&context=2");
    assert_eq!(status, 200);
    let cli = json_lines(&server.cli(&["show", "--json", "--context", "2", "PAG.8/7", "63"]));
    assert_eq!(shown["paragraphs"].as_array().unwrap(), &cli);
    assert_eq!(shown["focus"], 2);
    assert_eq!(shown["paragraphs"][2]["para"], "63");

    // The facets and documents, as `facets --json`.
    let (status, facets) = server.json("/api/facets");
    assert_eq!(status, 200);
    let cli: Value = serde_json::from_slice(&server.cli(&["facets", "--json"]).stdout).unwrap();
    assert_eq!(facets, cli);
    let (status, documents) = server.json("/api/documents");
    assert_eq!(status, 200);
    assert_eq!(documents["documents"], cli["doc"]);
}

#[test]
fn errors_are_json_with_the_right_status() {
    let server = Server::start();
    // A query that cannot be run: the command line's message and column.
    let (status, answer) = server.json("/api/search?q=speaker%3AKean");
    assert_eq!(status, 400);
    let cli = server.cli(&["search", "speaker:Kean"]);
    assert_eq!(cli.status.code(), Some(2));
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("unknown speaker 'Kean'") && message.contains("column 9"));
    assert!(common::stderr(&cli).contains(message), "{message}");
    assert_eq!(answer["error"]["kind"], "query");
    assert_eq!(answer["error"]["start"], 8);
    assert_eq!(answer["error"]["end"], 12);
    let (status, answer) = server.json("/api/search?q=mercury%20(coal");
    assert_eq!(status, 400);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("column")
    );

    for (path, status) in [
        ("/api/search", 400),
        ("/api/search?q=%20%20", 400),
        ("/api/search?q=mercury&limit=abc", 400),
        ("/api/search?q=mercury&limit=100000", 400),
        ("/api/search?q=mercury&facets=maybe", 400),
        ("/api/search?q=mercury&group_by=colour", 400),
        ("/api/search?q=mercury&sort=sideways", 400),
        ("/api/paragraph?doc=PAG.8/7", 400),
        ("/api/paragraph?doc=PAG.99/1&para=1", 404),
        ("/api/paragraph?doc=PAG.8/7&para=999", 404),
        ("/api/nothing", 404),
        ("/files", 400),
        ("/files?doc=PAG.99/1", 404),
    ] {
        let (got, answer) = server.json(path);
        assert_eq!(got, status, "{path}: {answer}");
        assert!(
            !answer["error"]["message"].as_str().unwrap().is_empty(),
            "{path}"
        );
    }
    let (_, answer) = server.json("/api/paragraph?doc=PAG.8/7&para=999");
    assert_eq!(
        answer["error"]["message"],
        "PAG.8/7 has no paragraph 999 (it has 1 to 132)"
    );
    let (_, answer) = server.json("/api/paragraph?doc=PAG.9/7&para=1");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean 'PAG.8/7', 'PAG.9/6'?"),
        "{answer}"
    );
    // Other pages are HTML 404s; the server goes on answering.
    let (status, page) = server.html("/nowhere");
    assert_eq!(status, 404);
    assert!(page.contains("no such page"));
    assert_eq!(server.json("/health").0, 200);
}

#[test]
fn files_serves_only_what_the_index_holds() {
    let server = Server::start();
    let (status, content_type, body) = server.get("/files?doc=PAG.8/7");
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    assert_eq!(body, std::fs::read(fixture(PDF)).unwrap());
    let (status, content_type, body) = server.get("/files?doc=PAG.9/6");
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/plain; charset=utf-8");
    assert_eq!(body, std::fs::read(fixture(PAG9)).unwrap());
    // The path the index holds names the file too.
    assert_eq!(server.get("/files?doc=corpus/pag9-report.md").0, 200);

    // Nothing else: paths in the parameter, encoded or not, and paths in
    // the URL itself.
    let secret = "root:";
    for doc in [
        "../../etc/passwd",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "corpus/../../../../etc/passwd",
        "corpus%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "Cargo.toml",
        "corpus",
        "index/meta.json",
    ] {
        let (status, _, body) = server.get(&format!("/files?doc={doc}"));
        assert_eq!(status, 404, "{doc}");
        assert!(!String::from_utf8_lossy(&body).contains(secret), "{doc}");
    }
    for path in [
        "/../../etc/passwd",
        "/files/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/../../../etc/passwd",
    ] {
        let answer = server.raw(path);
        let status_line = answer.lines().next().unwrap_or_default();
        assert!(
            status_line.contains(" 404 ") || status_line.contains(" 400 "),
            "{path}: {status_line}"
        );
        assert!(!answer.contains(secret), "{path}");
        assert!(!answer.contains("[package]"), "{path}");
    }
}

/// A report in a plain house style whose text holds markup: it must show
/// as text on the page.
const MARKUP_REPORT: &str = "\
UNEP/Hg/PAG.30/4

Report of the thirtieth meeting of the Partnership Advisory Group

I. Opening of the meeting

1. Mr. Orlov opened the meeting and read out the note <script>alert('pwned')</script> left on the projector, which concerned thermometers.

II. Any other business

2. Ms. Quispe said that the <b>bold</b> claim about thermometers would be checked.
";

#[test]
fn the_page_works_without_javascript_and_escapes_everything() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::write(dir.path().join("corpus/pag30-report.txt"), MARKUP_REPORT).unwrap();
    std::fs::copy(fixture(PAG9), dir.path().join("corpus/pag9-report.md")).unwrap();
    let server = Server::start_in(dir, &[]);

    // The start page: the box, the syntax, the reports, facets to click.
    let (status, page) = server.html("/");
    assert_eq!(status, 200);
    assert!(page.contains(r#"<input id="q" type="search" name="q" value="""#));
    assert!(page.contains("Query syntax"));
    assert!(page.contains("speaker:"), "the syntax is on the page");
    assert!(page.contains(r#"href="/?q=doc%3APAG.9%2F6""#), "{page}");

    // Results in the HTML itself, the matched word marked, the query in
    // the box, facet links that add a filter.
    let (status, page) = server.html("/?q=thermometers");
    assert_eq!(status, 200);
    assert!(page.contains(r#"value="thermometers""#));
    assert!(page.contains("<mark>thermometers</mark>"), "{page}");
    assert!(page.contains("3 paragraphs match."), "{page}");
    assert!(
        page.contains(r#"href="/?q=thermometers%20speaker%3AOrlov""#),
        "{page}"
    );
    assert!(page.contains("/paragraph?doc=PAG.30%2F4&amp;para=1&amp;q=thermometers"));
    // The report's markup is text.
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&lt;script&gt;alert"));
    assert!(!page.contains("<b>bold</b>"));
    // A filter the query holds is shown as on, and its link takes it out.
    let (_, page) = server.html("/?q=thermometers%20speaker%3AOrlov");
    assert!(page.contains("1 paragraph matches."), "{page}");
    assert!(page.contains(r#"aria-current="true""#), "{page}");
    assert!(page.contains(r#"href="/?q=thermometers""#), "{page}");

    // A query holding markup is escaped too, in the box and the error.
    let (status, page) =
        server.html("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20speaker%3A%3Cimg%3E");
    assert_eq!(status, 400);
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(!page.contains("<img>"), "{page}");
    assert!(page.contains("&lt;img&gt;"), "{page}");
    // The error names the problem and marks where it is.
    let (status, page) = server.html("/?q=speaker%3AOrlof");
    assert_eq!(status, 400);
    assert!(page.contains("unknown speaker"), "{page}");
    assert!(page.contains("<mark>Orlof</mark>"), "{page}");

    // The paragraph in its context, with the way back.
    let (status, page) = server.html("/paragraph?doc=PAG.30%2F4&para=2&q=thermometers");
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="focus""#));
    assert!(page.contains("Ms. Quispe said"));
    assert!(page.contains("Mr. Orlov opened"), "the neighbour is shown");
    assert!(page.contains(r#"href="/?q=thermometers""#));
    let (status, _) = server.html("/paragraph?doc=PAG.30%2F4&para=9");
    assert_eq!(status, 404);

    // The stylesheet and the script are served from the binary; every
    // page says to run no other script.
    let (status, content_type, _) = server.get("/assets/app.css");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    let (status, content_type, _) = server.get("/assets/app.js");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/javascript; charset=utf-8")
    );
    let response = server.raw("/?q=thermometers");
    assert!(response.contains("content-security-policy: default-src 'self'"));
    assert_eq!(server.get("/assets/other.js").0, 404);
}

#[test]
fn an_index_updated_while_serving_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    std::fs::copy(fixture(PAG9), dir.path().join("corpus/pag9-report.md")).unwrap();
    let server = Server::start_in(dir, &[]);
    let (_, before) = server.json("/api/search?q=projector&as_typed=true");
    assert_eq!(before["total"], 0);
    let (_, health) = server.json("/health");
    assert_eq!(health["documents"], 1);

    std::fs::write(
        server.dir.path().join("corpus/pag30-report.txt"),
        MARKUP_REPORT,
    )
    .unwrap();
    let output = server.cli(&["index"]);
    assert!(output.status.success(), "{}", common::stderr(&output));

    // The next request sees the new version, without a restart.
    let (_, after) = server.json("/api/search?q=projector&as_typed=true");
    assert_eq!(after["total"], 1, "{after}");
    let (_, health) = server.json("/health");
    assert_eq!(health["documents"], 2);
    let (status, _) = server.json("/api/paragraph?doc=PAG.30/4&para=2");
    assert_eq!(status, 200);
}

#[test]
fn a_busy_address_is_refused_and_ctrl_c_stops_the_server() {
    let mut server = Server::start();
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let second = server.cli(&["serve", "--addr", &format!("127.0.0.1:{port}")]);
    assert_eq!(second.status.code(), Some(1));
    let message = common::stderr(&second);
    assert!(
        message.contains(&format!("cannot serve on 127.0.0.1:{port}"))
            && message.contains("--addr"),
        "{message}"
    );
    // No index: a clear message, no server.
    let empty = tempfile::tempdir().unwrap();
    let output = common::pagsearch(
        empty.path(),
        &["serve", "--index", "nowhere", "--addr", "127.0.0.1:0"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("no index in nowhere"));

    // Ctrl-C (SIGINT): the server finishes and exits cleanly.
    let interrupted = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn an_archive_of_many_reports_keeps_the_page_small() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    for i in 1..=120 {
        let report = format!(
            "UNEP/Hg/PAG.{i}/2\n\nReport of meeting {i} of the Partnership Advisory Group\n\n\
             I. Opening of the meeting\n\n1. Mr. Orlov opened meeting {i} and spoke of thermometers.\n\n\
             II. Any other business\n\n2. No other business was raised at meeting {i}.\n"
        );
        std::fs::write(dir.path().join(format!("corpus/pag{i}.txt")), report).unwrap();
    }
    let server = Server::start_in(dir, &[]);
    let (status, page) = server.html("/");
    assert_eq!(status, 200);
    assert_eq!(
        page.matches("<li><a href=\"/?q=doc%3APAG.").count(),
        100,
        "reports listed"
    );
    assert!(page.contains("And 20 more"), "{page}");
    // The facet of reports lists 100 of the 120, and says so.
    let (_, page) = server.html("/?q=thermometers");
    assert!(page.contains("120 paragraphs match"), "{page}");
    assert!(page.contains("20 more not listed"), "{page}");
    assert!(page.len() < 100_000, "{} bytes", page.len());
    // The API still counts every report.
    let (_, answer) = server.json("/api/search?q=thermometers&facets=true");
    assert_eq!(answer["facets"]["doc"].as_object().unwrap().len(), 120);
}
