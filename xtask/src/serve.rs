//! A small static server for the release build (`cargo xtask serve`): std only, one thread
//! per connection, GET/HEAD. It sends `NAME.br` or `NAME.gz` (written by the trunk post_build
//! hook `web/precompress.mjs`) when the browser's `Accept-Encoding` allows it, with
//! `Content-Encoding` and `Vary: Accept-Encoding`; hashed assets are cacheable for a year,
//! index.html is revalidated. Paths outside dist/ and unknown files get index.html (the app is
//! one page). What a production host should do is the same (README, "Hosting").

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn mime(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether `accept` (an Accept-Encoding value) allows `coding`: listed (or `*`) with q > 0.
pub fn accepts(accept: &str, coding: &str) -> bool {
    let mut star = None;
    for part in accept.split(',') {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .find_map(|p| p.trim().strip_prefix("q=").map(str::to_string))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if name == coding {
            return q > 0.0;
        }
        if name == "*" {
            star = Some(q > 0.0);
        }
    }
    star.unwrap_or(false)
}

/// The file for a request path (index.html for `/`, unknown paths and anything escaping dist/).
pub fn resolve(dist: &Path, path: &str) -> PathBuf {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let rel = path.trim_start_matches('/');
    let file = dist.join(if rel.is_empty() { "index.html" } else { rel });
    if rel.split('/').any(|s| s == ".." || s.starts_with('.')) || !file.is_file() {
        dist.join("index.html")
    } else {
        file
    }
}

/// (file to send, Content-Encoding) for a resolved file and the request's Accept-Encoding.
pub fn pick_encoding(file: &Path, accept: &str) -> (PathBuf, Option<&'static str>) {
    for (coding, ext) in [("br", "br"), ("gzip", "gz")] {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(ext);
        let cand = PathBuf::from(name);
        if accepts(accept, coding) && cand.is_file() {
            return (cand, Some(coding));
        }
    }
    (file.to_path_buf(), None)
}

fn handle(stream: TcpStream, dist: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(64 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut accept = String::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.trim().eq_ignore_ascii_case("accept-encoding")
        {
            accept = v.trim().to_string();
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return out.write_all(
            b"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    let file = resolve(dist, target);
    let (send, encoding) = pick_encoding(&file, &accept);
    let body = std::fs::read(&send)?;
    let is_index = file.file_name().and_then(|n| n.to_str()) == Some("index.html");
    let cache = if is_index {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    };
    let mut head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\nVary: Accept-Encoding\r\nConnection: close\r\n",
        mime(&file),
        body.len()
    );
    if let Some(e) = encoding {
        head.push_str(&format!("Content-Encoding: {e}\r\n"));
    }
    // An embed on the playground's own origin is an opaque frame (web/embed.js), whose module
    // and wasm requests are CORS requests from origin `null`: public files, so any origin.
    head.push_str("Access-Control-Allow-Origin: *\r\n\r\n");
    out.write_all(head.as_bytes())?;
    if method == "GET" {
        out.write_all(&body)?;
    }
    out.flush()
}

/// Serve `dist` on 127.0.0.1:`port` until the process is stopped.
pub fn serve_dist(dist: &Path, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    eprintln!(
        "xtask: serving {} at http://127.0.0.1:{port}/ (precompressed br/gzip; Ctrl-C stops)",
        dist.display()
    );
    for stream in listener.incoming().flatten() {
        let dist = dist.to_path_buf();
        std::thread::spawn(move || {
            let _ = handle(stream, &dist);
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_with_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("*;q=0", "gzip"));
        assert!(!accepts("", "gzip"));
        assert!(accepts("identity, GZIP", "gzip"));
    }

    #[test]
    fn serves_precompressed_files_only_when_accepted() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>").unwrap();
        std::fs::write(dir.join("app.wasm"), "raw").unwrap();
        std::fs::write(dir.join("app.wasm.br"), "br").unwrap();
        std::fs::write(dir.join("app.wasm.gz"), "gz").unwrap();
        let f = resolve(&dir, "/app.wasm?x=1");
        assert_eq!(f, dir.join("app.wasm"));
        assert_eq!(
            pick_encoding(&f, "gzip, br"),
            (dir.join("app.wasm.br"), Some("br"))
        );
        assert_eq!(
            pick_encoding(&f, "gzip"),
            (dir.join("app.wasm.gz"), Some("gzip"))
        );
        assert_eq!(pick_encoding(&f, ""), (dir.join("app.wasm"), None));
        // never outside dist/, never a dot file; unknown paths are the page
        assert_eq!(resolve(&dir, "/../etc/passwd"), dir.join("index.html"));
        assert_eq!(resolve(&dir, "/nope"), dir.join("index.html"));
        assert_eq!(resolve(&dir, "/"), dir.join("index.html"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
