//! The DOCX package: a zip archive opened as hostile input.
//!
//! Every entry is checked before it is trusted: its name must stay inside the archive (no `../`,
//! no absolute path, no backslash tricks), no two names may differ only in case (a Windows or
//! macOS extractor would let one silently replace the other, and Word resolves part names
//! case-insensitively), and the bytes are read through a hard cap, never trusting the sizes the
//! zip headers declare. The cap per entry also enforces the compression ratio, so a zip bomb is
//! refused after reading at most `ratio × compressed size` bytes of it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Entries smaller than this are never refused for their compression ratio: small XML parts
/// full of repeated markup legitimately compress better than any sane ratio limit.
const RATIO_FLOOR_BYTES: u64 = 1 << 20;

/// The parts of an opened package, by name, in the order the archive stores them.
#[derive(Debug)]
pub(crate) struct Package {
    parts: BTreeMap<String, Vec<u8>>,
    order: Vec<String>,
}

impl Package {
    /// Opens `bytes` as a zip archive and reads every part within `limits`.
    pub(crate) fn open(bytes: &[u8], limits: &Limits) -> Result<Package> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Error::malformed(format!("not a valid DOCX (zip) archive: {e}")))?;
        if archive.len() > limits.max_zip_entries {
            return Err(Error::limit(format!(
                "archive has {} entries, more than the limit of {}",
                archive.len(),
                limits.max_zip_entries
            )));
        }
        let mut parts = BTreeMap::new();
        let mut order = Vec::new();
        let mut folded_names = BTreeSet::new();
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).map_err(|e| match e {
                zip::result::ZipError::UnsupportedArchive(m)
                    if m.contains("ncrypt") || m.contains("assword") =>
                {
                    Error::new(ErrorKind::Encrypted, "the DOCX archive is password-protected")
                }
                other => Error::malformed(format!("zip entry {index} cannot be read: {other}")),
            })?;
            let raw_name = entry
                .name()
                .map_err(|e| Error::malformed(format!("zip entry {index} has an unreadable name: {e}")))?
                .into_owned();
            check_name(&raw_name)?;
            if entry.enclosed_name().is_none() {
                return Err(Error::hostile(format!("zip entry name {raw_name:?} escapes the archive")));
            }
            if entry.is_dir() {
                continue;
            }
            if !folded_names.insert(raw_name.to_lowercase()) {
                return Err(Error::hostile(format!(
                    "the archive holds part {raw_name:?} twice (names compared ignoring case)"
                )));
            }
            let ratio_cap = entry.compressed_size().saturating_mul(limits.max_compression_ratio);
            let cap = limits.max_part_bytes.min(ratio_cap.max(RATIO_FLOOR_BYTES));
            let mut data = Vec::new();
            (&mut entry)
                .take(cap + 1)
                .read_to_end(&mut data)
                .map_err(|e| Error::malformed(format!("part {raw_name} is corrupt: {e}")))?;
            let size = data.len() as u64;
            if size > cap {
                return Err(if cap == limits.max_part_bytes {
                    Error::limit(format!(
                        "part {raw_name} decompresses to more than the limit of {} bytes",
                        limits.max_part_bytes
                    ))
                } else {
                    Error::limit(format!(
                        "part {raw_name} decompresses more than {} times its compressed size (zip bomb)",
                        limits.max_compression_ratio
                    ))
                });
            }
            total += size;
            if total > limits.max_decompressed_bytes {
                return Err(Error::limit(format!(
                    "the archive decompresses to more than the limit of {} bytes",
                    limits.max_decompressed_bytes
                )));
            }
            order.push(raw_name.clone());
            parts.insert(raw_name, data);
        }
        Ok(Package { parts, order })
    }

    /// The bytes of part `name` (a zip entry name, without leading slash), if present.
    pub(crate) fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts.get(name).map(Vec::as_slice)
    }

    /// The part names, in archive order.
    pub(crate) fn names(&self) -> &[String] {
        &self.order
    }
}

/// Refuses entry names that a careless extractor or a lenient consumer would resolve outside the
/// package: absolute paths, drive letters, backslashes and any `..` component.
fn check_name(name: &str) -> Result<()> {
    let hostile = name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split('/').any(|component| component == "..");
    if hostile {
        return Err(Error::hostile(format!("zip entry name {name:?} escapes the archive")));
    }
    Ok(())
}
