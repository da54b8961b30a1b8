//! Load on `pagsearch serve` over loopback: concurrent clients sending the
//! benchmark query mix to `/api/search` (then to the page, `/?q=`), on a
//! generated corpus. Prints the throughput, p50/p99/max latency, errors, and
//! the server's resident memory after a warm-up and at the end (flat memory
//! is the same figure twice); with ChromeDriver installed, also the page's
//! first contentful paint in headless Chromium.
//!
//! Run: `cargo bench --bench serve` (1,000 reports, 16 clients, 20,000
//! requests). `PAGSEARCH_BENCH_REPORTS`, `PAGSEARCH_BENCH_CLIENTS` and
//! `PAGSEARCH_BENCH_REQUESTS` change those; `PAGSEARCH_BENCH_QUICK=1` runs
//! a smoke test (10 reports, 4 clients, 400 requests). The server is the
//! built binary, in its own process, so its memory is its own.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "common/fixture.rs"]
mod fixture;
#[path = "../examples/gen_corpus/generator.rs"]
#[allow(dead_code)]
mod generator;
#[path = "common/query_mix.rs"]
mod query_mix;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn setting(name: &str, default: usize, quick: usize) -> usize {
    match std::env::var(name).ok().and_then(|v| v.parse().ok()) {
        Some(value) => value,
        None if std::env::var_os("PAGSEARCH_BENCH_QUICK").is_some() => quick,
        None => default,
    }
}

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Resident and peak resident memory of process `pid`, in MB.
fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// What one load run measured.
struct Run {
    seconds: f64,
    latencies: Vec<Duration>,
    errors: usize,
}

impl Run {
    fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(at).map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    }
}

/// `requests` GETs of `paths` (round robin) from `clients` threads, each
/// with its own keep-alive connection.
fn load(base: &str, paths: &[String], clients: usize, requests: usize) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let paths = Arc::new(paths.to_vec());
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let next = Arc::clone(&next);
            let paths = Arc::clone(&paths);
            let base = base.to_string();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut latencies = Vec::new();
                let mut errors = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let url = format!("{base}{}", paths[i % paths.len()]);
                    let sent = Instant::now();
                    match agent.get(&url).call() {
                        Ok(mut response) => {
                            let ok = response.status() == 200;
                            let body = response.body_mut().read_to_vec();
                            if !ok || body.is_err() {
                                errors += 1;
                            }
                        }
                        Err(_) => errors += 1,
                    }
                    latencies.push(sent.elapsed());
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut run = Run {
        seconds: 0.0,
        latencies: Vec::with_capacity(requests),
        errors: 0,
    };
    for worker in workers {
        let (latencies, errors) = worker.join().expect("a client thread");
        run.latencies.extend(latencies);
        run.errors += errors;
    }
    run.seconds = started.elapsed().as_secs_f64();
    run
}

fn report(name: &str, run: &Run, clients: usize) {
    println!(
        "serve {name}: {} requests from {clients} clients in {:.2} s: {:.0} requests/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
        run.latencies.len(),
        run.seconds,
        run.latencies.len() as f64 / run.seconds,
        run.quantile(0.5),
        run.quantile(0.99),
        run.quantile(1.0),
        run.errors
    );
}

fn main() {
    // `cargo bench` passes --bench; a filter that names another bench skips this one.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    if filter.is_some_and(|f| !"serve".contains(f.as_str())) {
        return;
    }
    let reports = setting("PAGSEARCH_BENCH_REPORTS", 1000, 10);
    let clients = setting("PAGSEARCH_BENCH_CLIENTS", 16, 4);
    let requests = setting("PAGSEARCH_BENCH_REQUESTS", 20_000, 400);

    // The corpus and its index, built as `pagsearch index` builds it.
    let fixture = fixture::fixture(reports as u32);
    let index_dir = fixture.dir.path().join("index");
    let queries: Vec<String> = query_mix::query_mix(&fixture.index)
        .into_iter()
        .flat_map(|(_, queries)| queries)
        .collect();

    // The server, in its own process, on a free port.
    let index_arg = index_dir.to_string_lossy().into_owned();
    let (child, base) = common::start_server(fixture.dir.path(), &["--index", &index_arg]);
    let server = Server(child);
    let pid = server.0.id();

    let api: Vec<String> = queries
        .iter()
        .map(|q| format!("/api/search?q={}&limit=10", common::encode(q)))
        .collect();
    let pages: Vec<String> = queries
        .iter()
        .map(|q| format!("/?q={}", common::encode(q)))
        .collect();

    println!(
        "serve: {reports} reports, {} queries in the mix",
        queries.len()
    );
    let warmup = load(&base, &api, clients, (requests / 10).max(queries.len()));
    let (after_warmup, _) = memory_mb(pid);
    report("warm-up", &warmup, clients);
    let run = load(&base, &api, clients, requests);
    let (at_end, peak) = memory_mb(pid);
    report("/api/search", &run, clients);
    let page_run = load(&base, &pages, clients, requests / 4);
    let (after_pages, peak_pages) = memory_mb(pid);
    report("page /?q=", &page_run, clients);
    println!(
        "serve memory: {after_warmup:.1} MB after the warm-up, {at_end:.1} MB after /api/search, {after_pages:.1} MB after the pages; peak {:.1} MB",
        peak.max(peak_pages)
    );
    assert_eq!(
        run.errors + page_run.errors + warmup.errors,
        0,
        "requests failed"
    );

    match first_paint(&base, &queries) {
        Some(paints) => {
            let mut sorted = paints.clone();
            sorted.sort_by(f64::total_cmp);
            println!(
                "serve first contentful paint of /?q= in headless Chromium over {} queries: median {:.0} ms, max {:.0} ms",
                sorted.len(),
                sorted[sorted.len() / 2],
                sorted[sorted.len() - 1]
            );
        }
        None => {
            println!("serve first paint: not measured (no chromedriver at /usr/bin/chromedriver)")
        }
    }
}

/// The first contentful paint of the results page of each query, in ms
/// from the start of navigation, in headless Chromium; `None` without
/// ChromeDriver.
fn first_paint(base: &str, queries: &[String]) -> Option<Vec<f64>> {
    let driver = "/usr/bin/chromedriver";
    if !Path::new(driver).is_file() {
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let _driver = Server(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?,
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = tempfile::tempdir().ok()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        let options = serde_json::json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), serde_json::json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .ok()?;
        let mut paints = Vec::new();
        for query in queries {
            client
                .goto(&format!("{base}/?q={}", common::encode(query)))
                .await
                .ok()?;
            let paint = client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     new PerformanceObserver((list) => {
                       const e = list.getEntries().find((e) => e.name === 'first-contentful-paint');
                       if (e) done(e.startTime);
                     }).observe({ type: 'paint', buffered: true });
                     setTimeout(() => done(null), 3000);",
                    vec![],
                )
                .await
                .ok()?;
            if let Some(ms) = paint.as_f64() {
                paints.push(ms);
            }
        }
        let _ = client.close().await;
        (!paints.is_empty()).then_some(paints)
    })
}
