//! Where `-f PATH` reads from: the [`FileSource`] a command gets (the browser's virtual file
//! system, [`VirtualFs`], or the CLI's real one).

use std::collections::BTreeMap;

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsEntry {
    File(String),
    /// A directory: the paths of its entries (files only), sorted.
    Dir(Vec<String>),
}

/// Where `-f PATH` reads from: the browser's virtual files or the CLI's real ones.
pub trait FileSource {
    /// `Err` carries the message kubectl prints (`the path "x" does not exist`).
    fn read(&self, path: &str) -> Result<FsEntry, String>;
}

/// An in-memory file system (name → text); directories are name prefixes ending in `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VirtualFs {
    pub files: BTreeMap<String, String>,
}

/// Largest file the virtual file system keeps.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// Most files it keeps.
pub const MAX_FILES: usize = 256;

pub(crate) fn normalize(path: &str) -> String {
    let p = path.strip_prefix("./").unwrap_or(path);
    p.trim_end_matches('/').to_string()
}

impl FileSource for VirtualFs {
    fn read(&self, path: &str) -> Result<FsEntry, String> {
        let p = normalize(path);
        if let Some(t) = self.files.get(&p) {
            return Ok(FsEntry::File(t.clone()));
        }
        let prefix = if p.is_empty() || p == "." {
            String::new()
        } else {
            format!("{p}/")
        };
        let entries: Vec<String> = self
            .files
            .keys()
            .filter(|k| {
                k.starts_with(&prefix)
                    && k.get(prefix.len()..)
                        .is_some_and(|rest| !rest.contains('/'))
            })
            .cloned()
            .collect();
        if entries.is_empty() {
            return Err(format!("the path \"{path}\" does not exist"));
        }
        Ok(FsEntry::Dir(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_fs_files_and_dirs() {
        let mut fs = VirtualFs::default();
        fs.files.insert("a.yaml".into(), "x".into());
        fs.files.insert("d/b.yaml".into(), "y".into());
        fs.files.insert("d/e/c.yaml".into(), "z".into());
        assert_eq!(fs.read("./a.yaml"), Ok(FsEntry::File("x".into())));
        assert_eq!(fs.read("d/"), Ok(FsEntry::Dir(vec!["d/b.yaml".into()])));
        assert_eq!(
            fs.read("nope.yaml"),
            Err("the path \"nope.yaml\" does not exist".into())
        );
    }
}
