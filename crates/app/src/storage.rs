//! Browser storage (localStorage), the only module that touches it.
//!
//! Storage may be missing (sandboxed iframe, private mode), full, or hold entries written by
//! someone else; none of that may lose the text on screen. Every function here returns what
//! happened instead of failing, and the caller shows it in one line.

use crate::state::FILES;

/// Editor text larger than this is not stored (the session bounds files too).
pub const MAX_STORED_BYTES: usize = 256 * 1024;

fn key(name: &str) -> String {
    format!("stsplay.file.{name}")
}

fn local() -> Result<web_sys::Storage, String> {
    let w = web_sys::window().ok_or("no window")?;
    match w.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(_) => Err("local storage is blocked here".into()),
    }
}

/// The seed files saved by an earlier visit (bounded; anything odd is skipped).
pub fn load_files() -> Vec<(String, String)> {
    let Ok(s) = local() else {
        return Vec::new();
    };
    FILES
        .iter()
        .filter_map(|name| match s.get_item(&key(name)) {
            Ok(Some(text)) if text.len() <= MAX_STORED_BYTES && !text.trim().is_empty() => {
                Some((name.to_string(), text))
            }
            _ => None,
        })
        .collect()
}

/// Save one file. `Err` says in one line why it was not saved.
pub fn save_file(name: &str, text: &str) -> Result<(), String> {
    if text.len() > MAX_STORED_BYTES {
        return Err(format!(
            "{name} is larger than {} KiB: it is not saved in this browser",
            MAX_STORED_BYTES / 1024
        ));
    }
    let s = local().map_err(|e| format!("{e}: your work is not saved"))?;
    s.set_item(&key(name), text)
        .map_err(|_| "browser storage is full: your work is not saved".to_string())
}
