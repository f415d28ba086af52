//! The content-addressed store of original bytes.
//!
//! Every imported revision's exact bytes live in `originals/ab/abcdef…` (the lowercase hex
//! SHA-256), written once and never modified: the export re-reads them, and `audit verify`
//! checks them against their name, so a swapped original is detected like an edited log entry.

use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};
use crate::verify::sha256_hex;

/// A directory of files named by the SHA-256 of their content.
#[derive(Debug)]
pub(crate) struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn new(root: PathBuf) -> BlobStore {
        BlobStore { root }
    }

    fn path(&self, sha256: &str) -> Result<PathBuf> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !valid {
            return Err(Error::new(ErrorKind::Workspace, format!("{sha256:?} is not a SHA-256 hex digest")));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }

    /// Stores `bytes` (if not already stored) and returns their SHA-256. The file is complete
    /// before it gets its name, so a crash never leaves a truncated original under a valid name.
    pub fn put(&self, bytes: &[u8]) -> Result<String> {
        let sha256 = sha256_hex(bytes);
        let path = self.path(&sha256)?;
        if path.is_file() && self.get(&sha256).is_ok() {
            return Ok(sha256);
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        super::write_atomically(&path, bytes)?;
        Ok(sha256)
    }

    /// The bytes stored under `sha256`, checked against it.
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path(sha256)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::new(ErrorKind::Tampered, format!("the stored original {sha256} is missing: {e}"))
        })?;
        let actual = sha256_hex(&bytes);
        if actual != sha256 {
            return Err(Error::new(
                ErrorKind::Tampered,
                format!("the stored original {sha256} has been altered (its content hashes to {actual})"),
            ));
        }
        Ok(bytes)
    }
}
