//! The real file system for `kubectl apply -f PATH` in the terminal: paths relative to the
//! working directory, bounded file sizes, directory listings sorted by name.

use std::path::Path;

use kubectl::{FileSource, FsEntry};

/// Largest manifest file read (intake refuses larger input anyway).
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Most directory entries listed.
const MAX_DIR_ENTRIES: usize = 1024;

pub struct RealFs;

impl FileSource for RealFs {
    fn read(&self, path: &str) -> Result<FsEntry, String> {
        let p = Path::new(path);
        let missing = || format!("the path \"{path}\" does not exist");
        let meta = std::fs::metadata(p).map_err(|_| missing())?;
        if meta.is_dir() {
            let mut entries: Vec<String> = std::fs::read_dir(p)
                .map_err(|e| format!("{path}: {e}"))?
                .filter_map(Result::ok)
                .take(MAX_DIR_ENTRIES)
                .map(|e| e.path().to_string_lossy().into_owned())
                .collect();
            entries.sort();
            return Ok(FsEntry::Dir(entries));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(format!("{path}: file larger than {MAX_FILE_BYTES} bytes"));
        }
        let bytes = std::fs::read(p).map_err(|e| format!("{path}: {e}"))?;
        Ok(FsEntry::File(String::from_utf8_lossy(&bytes).into_owned()))
    }
}
