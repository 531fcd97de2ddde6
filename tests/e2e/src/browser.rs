//! What the end-to-end tests do with the browser again and again: open a WebDriver session on
//! the chromedriver [`crate::start_chromedriver`] started, wait for an element's text, type a
//! line into the playground's console. One copy here instead of one per test file.

use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Map, Value};

/// What a WebDriver command returns.
pub type R<T> = Result<T, fantoccini::error::CmdError>;

/// How long [`wait_text`] waits before it returns what it last saw (the caller's assertion then
/// says what was wrong).
pub const WAIT: Duration = Duration::from_secs(30);

/// A session with these capabilities ([`crate::chrome_caps`] or a variant of it). A test that
/// cannot get a browser cannot say anything, so this one panics.
pub async fn connect_with(port: u16, caps: Map<String, Value>) -> Client {
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("webdriver session")
}

/// A headless Chromium window of this size.
pub async fn connect(port: u16, width: u32, height: u32) -> Client {
    connect_with(port, crate::chrome_caps(width, height)).await
}

/// Open the playground at `url` and wait (up to 20 s) until its console takes input.
pub async fn open_console(c: &Client, url: &str) -> R<()> {
    c.goto(url).await?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("console-input"))
        .await?;
    Ok(())
}

/// The element's text, or "" while there is no such element.
pub async fn text_or_empty(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Wait until the element's text satisfies `pred` (the sim runs inside the page, so what a
/// command changes shows a moment later), or [`WAIT`] passed; returns the text seen last.
pub async fn wait_text(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> R<String> {
    let start = Instant::now();
    loop {
        let t = text_or_empty(c, css).await;
        if pred(&t) || start.elapsed() > WAIT {
            return Ok(t);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Type a line into the console (`#console-input`) and press Enter.
pub async fn run_console(c: &Client, line: &str) -> R<()> {
    let input = c.find(Locator::Id("console-input")).await?;
    input.clear().await?;
    input.send_keys(line).await?;
    input.send_keys("\u{E007}").await // Enter
}
