//! Harness for the end-to-end tests: serve the trunk-built `dist/` with a tiny std-only static
//! server on an ephemeral port, start the machine's chromedriver, and hand out a fantoccini
//! session on headless Chromium. The tests live in `tests/`.
//!
//! Pitfall handled here: killing chromedriver does not kill the browser it started, so callers
//! must always `close()` the client before asserting (see `with_browser`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub mod browser;
pub mod html;

/// Kill the child (chromedriver) when dropped, pass or fail.
pub struct KillOnDrop(pub Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

fn mime(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn handle(stream: TcpStream, dist: &Path, extra_headers: &str, missing: &str) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) <= 2 {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    let mut s = stream;
    if !missing.is_empty() && path == missing {
        let _ = s
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    let mut file = dist.join(if path.is_empty() { "index.html" } else { path });
    if path.contains("..") || !file.is_file() {
        file = dist.join("index.html");
    }
    let body = std::fs::read(&file).unwrap_or_default();
    let _ = write!(
        s,
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n{extra_headers}Connection: close\r\n\r\n",
        mime(&file),
        body.len()
    );
    let _ = s.write_all(&body);
}

/// Serve `dist` on an ephemeral port; returns the base URL.
pub fn serve_dist(dist: PathBuf) -> std::io::Result<String> {
    serve_dist_with_headers(dist, "")
}

/// `serve_dist`, adding `extra_headers` (each line ending in `\r\n`) to every answer.
pub fn serve_dist_with_headers(
    dist: PathBuf,
    extra_headers: &'static str,
) -> std::io::Result<String> {
    serve_dist_answering(dist, extra_headers, "")
}

/// `serve_dist`, answering 404 for the file `missing` (a host that lacks it).
pub fn serve_dist_without(dist: PathBuf, missing: &'static str) -> std::io::Result<String> {
    serve_dist_answering(dist, "", missing)
}

fn serve_dist_answering(
    dist: PathBuf,
    extra_headers: &'static str,
    missing: &'static str,
) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dist = dist.clone();
            std::thread::spawn(move || handle(stream, &dist, extra_headers, missing));
        }
    });
    Ok(format!("http://127.0.0.1:{port}/"))
}

/// Serve `dist` under the subpath `prefix` (such as `/docs/stsplay/`) as a plain static host
/// does: `prefix` itself is index.html, every other path is a file under `prefix` or a 404 (no
/// fallback to index.html, so an asset the page asks for at the wrong place fails the test).
/// Returns the page's URL (`http://127.0.0.1:PORT/docs/stsplay/`) and the request log.
pub fn serve_dist_under(
    dist: PathBuf,
    prefix: &'static str,
) -> std::io::Result<(String, std::sync::Arc<std::sync::Mutex<Vec<String>>>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dist = dist.clone();
            let seen = seen.clone();
            std::thread::spawn(move || {
                let Ok(read_half) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(read_half);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) <= 2 {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split(['?', '#']).next().unwrap_or("").to_string();
                let file = path.strip_prefix(prefix).and_then(|rel| {
                    let f = dist.join(if rel.is_empty() { "index.html" } else { rel });
                    (!rel.contains("..") && f.is_file()).then_some(f)
                });
                let mut s = stream;
                match file {
                    Some(f) => {
                        if let Ok(mut l) = seen.lock() {
                            l.push(format!("200 {path}"));
                        }
                        let body = std::fs::read(&f).unwrap_or_default();
                        let _ = write!(
                            s,
                            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            mime(&f),
                            body.len()
                        );
                        let _ = s.write_all(&body);
                    }
                    None => {
                        if let Ok(mut l) = seen.lock() {
                            l.push(format!("404 {path}"));
                        }
                        let _ = s.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                    }
                }
            });
        }
    });
    Ok((format!("http://127.0.0.1:{port}{prefix}"), log))
}

/// The dist/ directory of `trunk build --release` at the workspace root.
pub fn dist_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist")
}

/// Base URL under test: `E2E_BASE_URL` (a running `trunk serve`) or the served dist/.
pub fn base_url() -> String {
    if let Ok(url) = std::env::var("E2E_BASE_URL") {
        return url;
    }
    let dist = dist_dir();
    assert!(
        dist.join("index.html").is_file(),
        "no dist/index.html: run `trunk build --release` (cargo xtask build) first"
    );
    serve_dist(dist).expect("serve dist/")
}

/// Start chromedriver on a free port.
pub fn start_chromedriver() -> (KillOnDrop, u16) {
    let port = free_port().expect("free port");
    let child =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver not found (cargo xtask setup installs it)");
    let guard = KillOnDrop(child);
    assert!(
        wait_for_port(port, Duration::from_secs(15)),
        "chromedriver did not start"
    );
    (guard, port)
}

/// `chrome_caps` plus extra Chromium arguments (e.g. `--blink-settings=scriptEnabled=false`).
pub fn chrome_caps_args(
    width: u32,
    height: u32,
    extra: &[&str],
) -> serde_json::Map<String, serde_json::Value> {
    let mut caps = chrome_caps(width, height);
    if let Some(args) = caps
        .get_mut("goog:chromeOptions")
        .and_then(|o| o.get_mut("args"))
        .and_then(|a| a.as_array_mut())
    {
        args.extend(extra.iter().map(|a| serde_json::Value::from(*a)));
    }
    caps
}

pub fn chrome_caps(width: u32, height: u32) -> serde_json::Map<String, serde_json::Value> {
    let v = serde_json::json!({
        "goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-quic", "--no-first-run", format!("--window-size={width},{height}")]
        }
    });
    match v {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// A server that answers every request with an empty 200 and records its path: the target of
/// the XSS payloads' URLs, so a test can assert that no request was ever made.
pub fn serve_recording() -> std::io::Result<(String, std::sync::Arc<std::sync::Mutex<Vec<String>>>)>
{
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut line = String::new();
            let _ = BufReader::new(read_half).read_line(&mut line);
            if let Ok(mut h) = seen.lock() {
                h.push(line.trim().to_string());
            }
            let mut s = stream;
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    Ok((format!("http://127.0.0.1:{port}"), hits))
}

/// Serve one file's bytes at any path with `content_type` (e.g. an exported SVG as a document).
pub fn serve_bytes(body: Vec<u8>, content_type: &'static str) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(read_half);
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(&body);
        }
    });
    Ok(format!("http://127.0.0.1:{port}/export.svg"))
}
