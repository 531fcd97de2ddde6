//! The gallery's, the tours' and the k8s.io examples' texts: example READMEs, scripts and
//! manifests (`examples/*`), the tour markdown (`tours/*.md`), the files
//! `kubectl apply -f https://k8s.io/examples/…` reads (`k8s-examples/`) and kubectl's help
//! texts (`k8s-help.txt`, `crate::help`) and `kubectl explain`'s schemas (`k8s-explain.txt`,
//! `crate::explain`).
//!
//! Native builds (the `stsplay` CLI, every native test) compile them in. The browser build
//! (`wasm32`) does not carry them: the page fetches the data file `texts.json` (this table as
//! one JSON object, path → text; checked in as `web/texts.json`, kept current by the test
//! `the_data_file_is_current`) at boot and hands it to [`load`]. Until then [`ready`] is false
//! and [`get`] finds nothing, so the gallery lists only the seed (which is always compiled in,
//! `gallery::SEED`) and the tours list is empty: the app waits for [`ready`] before it runs
//! anything that needs a text (crates/app/src/state.rs, `needs_texts`).

/// Every text the data file holds, by its path from the repository root.
macro_rules! table {
    ($($p:literal),* $(,)?) => {
        /// The texts' paths (the data file's keys).
        pub const PATHS: &[&str] = &[$($p),*];
        #[cfg(not(target_arch = "wasm32"))]
        const TEXTS: &[&str] = &[$(include_str!(concat!("../../../", $p))),*];
    };
}

table![
    "examples/web/web.yaml",
    "examples/web/script.txt",
    "examples/web/README.md",
    "examples/web-parallel/web-parallel.yaml",
    "examples/web-parallel/script.txt",
    "examples/web-parallel/README.md",
    "examples/canary/web.yaml",
    "examples/canary/script.txt",
    "examples/canary/README.md",
    "examples/ondelete/web.yaml",
    "examples/ondelete/script.txt",
    "examples/ondelete/README.md",
    "examples/retention-delete/web.yaml",
    "examples/retention-delete/script.txt",
    "examples/retention-delete/README.md",
    "examples/start-ordinal/web.yaml",
    "examples/start-ordinal/script.txt",
    "examples/start-ordinal/README.md",
    "examples/postgres/postgres.yaml",
    "examples/postgres/script.txt",
    "examples/postgres/README.md",
    "examples/kafka/kafka.yaml",
    "examples/kafka/script.txt",
    "examples/kafka/README.md",
    "examples/etcd/etcd.yaml",
    "examples/etcd/script.txt",
    "examples/etcd/README.md",
    "examples/deployment-vs-statefulset/web.yaml",
    "examples/deployment-vs-statefulset/script.txt",
    "examples/deployment-vs-statefulset/README.md",
    "crates/kubectl/k8s-examples/application/web/web.yaml",
    "crates/kubectl/k8s-examples/application/web/web-parallel.yaml",
    "crates/kubectl/k8s-examples/application/zookeeper/zookeeper.yaml",
    "crates/kubectl/k8s-examples/application/cassandra/cassandra-service.yaml",
    "crates/kubectl/k8s-examples/application/cassandra/cassandra-statefulset.yaml",
    "crates/kubectl/k8s-examples/application/mysql/mysql-configmap.yaml",
    "crates/kubectl/k8s-examples/application/mysql/mysql-services.yaml",
    "crates/kubectl/k8s-examples/application/mysql/mysql-statefulset.yaml",
    "tours/sticky-pod-orchestra.md",
    "tours/statefulset-basics.md",
    "crates/kubectl/k8s-help.txt",
    "crates/kubectl/k8s-explain.txt",
];

/// The data file's version (a hash of its bytes, written next to it by the test that keeps it
/// current): the page fetches `texts.json?v=VERSION`, so a cached older file is never used.
pub const VERSION: &str = include_str!("../texts.version").trim_ascii();

/// Largest data file [`load`] reads.
pub const MAX_DATA_BYTES: usize = 1024 * 1024;

#[cfg(target_arch = "wasm32")]
static LOADED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// Whether the texts are here (always, natively; in the browser once [`load`] succeeded).
pub fn ready() -> bool {
    #[cfg(target_arch = "wasm32")]
    return LOADED.get().is_some();
    #[cfg(not(target_arch = "wasm32"))]
    true
}

/// The text at `path` (one of [`PATHS`]), when it is here.
pub fn get(path: &str) -> Option<&'static str> {
    let i = PATHS.iter().position(|p| *p == path)?;
    #[cfg(target_arch = "wasm32")]
    return LOADED.get().and_then(|t| t.get(i)).copied();
    #[cfg(not(target_arch = "wasm32"))]
    TEXTS.get(i).copied()
}

/// Read a data file (untrusted bytes from the network): a JSON object with a string for every
/// one of [`PATHS`], at most [`MAX_DATA_BYTES`]. The texts in [`PATHS`]' order, or what is wrong.
pub fn parse(data: &str) -> Result<Vec<String>, String> {
    if data.len() > MAX_DATA_BYTES {
        return Err(format!("longer than {MAX_DATA_BYTES} bytes"));
    }
    let v: serde_json::Value = serde_json::from_str(data).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(mut m) = v else {
        return Err("not a JSON object".into());
    };
    let mut out = Vec::with_capacity(PATHS.len());
    for p in PATHS {
        match m.remove(*p) {
            Some(serde_json::Value::String(s)) => out.push(s),
            _ => return Err(format!("no text for {p}")),
        }
    }
    Ok(out)
}

/// Fill the registry from a data file ([`parse`]); natively the texts are compiled in, so this
/// only checks the file. A second successful load keeps the first.
pub fn load(data: &str) -> Result<(), String> {
    let texts = parse(data)?;
    #[cfg(target_arch = "wasm32")]
    {
        let leaked: Vec<&'static str> = texts
            .into_iter()
            .map(|s| &*Box::leak(s.into_boxed_str()))
            .collect();
        let _ = LOADED.set(leaked);
    }
    #[cfg(not(target_arch = "wasm32"))]
    drop(texts);
    Ok(())
}

/// The data file for the compiled-in texts (what `web/texts.json` must hold).
#[cfg(not(target_arch = "wasm32"))]
pub fn data_file() -> String {
    let m: serde_json::Map<String, serde_json::Value> =
        sim::sort::to_object(PATHS.iter().zip(TEXTS).map(|(p, t)| {
            (
                (*p).to_string(),
                serde_json::Value::String((*t).to_string()),
            )
        }));
    let mut s = serde_json::Value::Object(m).to_string();
    s.push('\n');
    s
}

/// FNV-1a (64 bits) of `data`, in hex: the data file's [`VERSION`].
pub fn version_of(data: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// `web/texts.json` and `crates/kubectl/texts.version` hold what is compiled in. When a text
    /// changes: `BLESS=1 cargo test -p kubectl the_data_file_is_current` writes them again.
    #[test]
    fn the_data_file_is_current() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let json_path = format!("{root}/web/texts.json");
        let version_path = concat!(env!("CARGO_MANIFEST_DIR"), "/texts.version");
        let want = data_file();
        let version = version_of(&want);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&json_path, &want).unwrap();
            std::fs::write(version_path, format!("{version}\n")).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&json_path).unwrap_or_default();
        assert!(
            have == want && VERSION == version,
            "web/texts.json or crates/kubectl/texts.version is stale: run \
             `BLESS=1 cargo test -p kubectl the_data_file_is_current`"
        );
    }

    #[test]
    fn the_data_file_parses_back_and_bad_files_are_errors() {
        let texts = parse(&data_file()).unwrap();
        assert_eq!(texts.len(), PATHS.len());
        for (p, t) in PATHS.iter().zip(&texts) {
            assert_eq!(get(p), Some(t.as_str()));
        }
        assert!(load(&data_file()).is_ok());
        assert!(parse("").is_err());
        assert!(parse("[]").unwrap_err().contains("not a JSON object"));
        assert!(parse("{}").unwrap_err().starts_with("no text for "));
        assert!(parse(r#"{"examples/web/web.yaml": 1}"#).is_err());
        assert!(parse(&" ".repeat(MAX_DATA_BYTES + 1)).is_err());
        assert!(parse(&"[".repeat(10_000)).is_err());
        assert_eq!(get("nope"), None);
    }
}
