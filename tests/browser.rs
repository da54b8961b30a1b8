//! The web page in a real browser: headless Chromium (Debian's `chromium`
//! and `chromium-driver`) driven over WebDriver. A person types a query,
//! sees the hits, clicks a facet and sees the filtered hits and the changed
//! query text, opens a paragraph in its context, goes back, meets a query
//! error, uses the keyboard, and reads the page at phone width; then the
//! same search with JavaScript off. A screenshot of each step is kept under
//! `target/browser/` for review.
//!
//! Without ChromeDriver, the test installs Debian's packages itself when it
//! runs as root on a machine with `apt-get` (so that `cargo test --release`
//! sets up what it needs, as `.ci/run` does), and otherwise fails saying
//! what to install; `PAGSEARCH_SKIP_BROWSER=1` skips it on a machine
//! without a browser, saying so.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Where the screenshots go: `target/browser/`.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/tmp has a parent")
        .join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Installs Debian's `chromium` and `chromium-driver` when this runs as
/// root with `apt-get`; false when it cannot.
fn install_browser() -> bool {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.starts_with(b"0\n"));
    if !is_root || !Path::new("/usr/bin/apt-get").is_file() {
        return false;
    }
    eprintln!("installing chromium and chromium-driver for the browser test (apt-get)…");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let install = ["install", "-y", "-qq", "chromium", "chromium-driver"];
    apt(&install) || (apt(&["update", "-qq"]) && apt(&install))
}

/// ChromeDriver on a free port; `None` when it is not installed and
/// cannot be.
fn start_chromedriver() -> Option<(Running, String)> {
    let driver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_string());
    if !Path::new(&driver).is_file()
        && (std::env::var_os("PAGSEARCH_SKIP_BROWSER").is_some()
            || !install_browser()
            || !Path::new(&driver).is_file())
    {
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let running = Running(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((running, format!("http://127.0.0.1:{port}")))
}

/// A headless Chromium session, JavaScript on or off.
async fn browser(driver: &str, profile: &Path, javascript: bool) -> Client {
    let mut options = serde_json::json!({
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1280,1000",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string());
    if Path::new(&binary).is_file() {
        options["binary"] = serde_json::json!(binary);
    }
    if !javascript {
        options["prefs"] =
            serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), serde_json::json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(driver)
        .await
        .expect("a Chromium session")
}

/// Keeps a screenshot of what the page shows now as `NAME.png`.
async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// The text of every element `css` finds.
async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        texts.push(element.text().await.unwrap());
    }
    texts
}

/// The value of the search box.
async fn box_value(client: &Client) -> String {
    client
        .find(Locator::Id("q"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Waits for the page at a URL holding `part`, then for `css`.
async fn wait_for(client: &Client, part: &str, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = client.current_url().await.unwrap();
        if url.as_str().contains(part) {
            break;
        }
        assert!(Instant::now() < deadline, "never reached {part}: at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.wait().for_element(Locator::Css(css)).await.unwrap();
}

/// Types `query` in the search box (replacing what it holds) and presses Enter.
async fn search(client: &Client, query: &str) {
    let input = client.find(Locator::Id("q")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(&format!("{query}\u{E007}")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_searches_refines_reads_and_goes_back() {
    let Some((_driver, driver_url)) = start_chromedriver() else {
        if std::env::var_os("PAGSEARCH_SKIP_BROWSER").is_some() {
            eprintln!(
                "SKIPPED: no chromedriver at {CHROMEDRIVER} and PAGSEARCH_SKIP_BROWSER is set"
            );
            return;
        }
        panic!(
            "the browser test needs Chromium and ChromeDriver and could not install them: run \
             `apt-get install chromium chromium-driver` as root (or set CHROMEDRIVER and CHROMIUM \
             to their paths, or PAGSEARCH_SKIP_BROWSER=1 to skip this test)"
        );
    };
    // The shipped report as a PDF (hits link to its pages) and another
    // report.
    let workspace = tempfile::tempdir().unwrap();
    let corpus = workspace.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for report in [
        "tests/fixtures/pag8-report.pdf",
        "tests/fixtures/reports/pag9-report.md",
    ] {
        let source = fixture(report);
        std::fs::copy(&source, corpus.join(source.file_name().unwrap())).unwrap();
    }
    let (server, base) = common::start_server(workspace.path(), &[]);
    let _server = Running(server);
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver_url, profile.path(), true).await;

    // 1. The start page.
    client.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "pagsearch");
    assert!(!texts(&client, "ul.documents li").await.is_empty());
    screenshot(&client, "01-start").await;

    // 2. Type a query and press Enter: the hits, the words marked, the
    // query in the URL and in the box.
    search(&client, "financing chlor-alkali conversion").await;
    wait_for(&client, "q=financing", "li.hit").await;
    let heads = texts(&client, ".hit-link").await;
    assert_eq!(heads.len(), 10, "{heads:?}");
    assert!(
        heads.iter().any(|h| h.starts_with("PAG.8/7 ¶")),
        "{heads:?}"
    );
    assert!(
        heads.iter().any(|h| h.starts_with("PAG.9/6 ¶")),
        "{heads:?}"
    );
    let marked = texts(&client, "li.hit mark").await;
    assert!(
        marked.iter().any(|m| m.eq_ignore_ascii_case("conversion")),
        "{marked:?}"
    );
    let summary = texts(&client, "p.summary").await.join(" ");
    assert!(summary.contains("paragraphs match"), "{summary}");
    // A PDF hit links to its page of the report.
    let page_link = client
        .find(Locator::Css("li.hit a.page"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        page_link.starts_with("/files?doc=PAG.8%2F7#page="),
        "{page_link}"
    );
    screenshot(&client, "02-results").await;

    // 3. Click a facet: the filter joins the query text, the hits are
    // filtered, the facet shows as on.
    client
        .find(Locator::Css("aside.facets a[href*='area%3Achlor-alkali']"))
        .await
        .expect("the chlor-alkali facet")
        .click()
        .await
        .unwrap();
    wait_for(&client, "area%3Achlor-alkali", "li.hit").await;
    assert_eq!(
        box_value(&client).await,
        "financing chlor-alkali conversion area:chlor-alkali"
    );
    let tags = texts(&client, "li.hit .tags").await;
    assert!(!tags.is_empty());
    assert!(tags.iter().all(|t| t.contains("chlor-alkali")), "{tags:?}");
    let on = texts(&client, "aside.facets a.on").await;
    assert_eq!(on.len(), 1, "{on:?}");
    assert!(on[0].contains("Chlor-Alkali"), "{on:?}");
    let filtered_url = client.current_url().await.unwrap();
    screenshot(&client, "03-facet").await;

    // 4. Open a hit: the paragraph in its context.
    let opened = heads_first(&client).await;
    client
        .find(Locator::Css(".hit-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "/paragraph?", "#focus").await;
    let focus = client
        .find(Locator::Id("focus"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let para = opened.rsplit('¶').next().unwrap();
    assert!(focus.starts_with(&format!("¶{para}")), "{focus}");
    assert!(
        texts(&client, "li.paragraph").await.len() > 1,
        "neighbours shown"
    );
    screenshot(&client, "04-paragraph").await;

    // 5. Back: the filtered results again, the query text as it was.
    client.back().await.unwrap();
    wait_for(&client, "area%3Achlor-alkali", "li.hit").await;
    assert_eq!(client.current_url().await.unwrap(), filtered_url);
    assert_eq!(
        box_value(&client).await,
        "financing chlor-alkali conversion area:chlor-alkali"
    );
    // Clicking the facet again takes the filter out.
    client
        .find(Locator::Css("aside.facets a.on"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "q=financing%20chlor-alkali%20conversion", "li.hit").await;
    assert_eq!(
        box_value(&client).await,
        "financing chlor-alkali conversion"
    );
    screenshot(&client, "05-back").await;

    // 6. A query error: the message, and the part at fault marked.
    search(&client, "speaker:Kean").await;
    wait_for(&client, "q=speaker", ".error").await;
    let error = texts(&client, ".error").await.join(" ");
    assert!(error.contains("unknown speaker 'Kean'"), "{error}");
    assert!(error.contains("'Susan Keane'"), "{error}");
    assert_eq!(texts(&client, ".error mark").await, ["Kean"]);
    screenshot(&client, "06-error").await;

    // 7. The keyboard: "/" goes to the search box, "j" to the first hit.
    client.goto(&format!("{base}/?q=mercury")).await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("li.hit"))
        .await
        .unwrap();
    let body = client.find(Locator::Css("body")).await.unwrap();
    body.send_keys("/").await.unwrap();
    let active: serde_json::Value = client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(active, "q");
    client
        .execute("document.activeElement.blur()", vec![])
        .await
        .unwrap();
    body.send_keys("j").await.unwrap();
    let active: serde_json::Value = client
        .execute("return document.activeElement.className", vec![])
        .await
        .unwrap();
    assert_eq!(active, "hit-link");

    // 8. At phone width: one column, nothing wider than the screen.
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&format!("{base}/?q=area%3AASGM%20speaker%3AKeane"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("li.hit"))
        .await
        .unwrap();
    let fits: serde_json::Value = client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, true, "the page scrolls sideways at phone width");
    screenshot(&client, "07-phone").await;
    client.close().await.unwrap();

    // 9. JavaScript off: the search still works.
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver_url, profile.path(), false).await;
    client.goto(&format!("{base}/")).await.unwrap();
    search(&client, "thermometers").await;
    wait_for(&client, "q=thermometers", "li.hit").await;
    let heads = texts(&client, ".hit-link").await;
    assert!(heads.iter().any(|h| h.starts_with("PAG.9/6")), "{heads:?}");
    // The page's script really is off: "/" does not reach the search box.
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    let active: serde_json::Value = client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_ne!(active, "q", "the script ran with JavaScript off");
    screenshot(&client, "08-no-javascript").await;
    client.close().await.unwrap();

    eprintln!("screenshots in {}", screenshot_dir().display());
}

/// The header of the first hit ("PAG.8/7 ¶40").
async fn heads_first(client: &Client) -> String {
    texts(client, ".hit-link").await.remove(0)
}
