//! Resource limits applied to every untrusted input.
//!
//! Drafts come from outside the workstation and are treated as hostile: each reader checks these
//! bounds *while* it decodes (never trusting a size a header declares) and fails with
//! [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded) naming the limit.

/// Bounds on what one input may make Vetted read, allocate or recurse into.
///
/// The defaults fit real agency documents (a 300-page PDF, a 50 MB DOCX full of photos) with a
/// wide margin while keeping the peak memory of a hostile file well under 1 GiB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file accepted, in bytes. Default 256 MiB.
    pub max_input_bytes: u64,
    /// Largest total of decompressed bytes from one input (zip parts, PDF streams). Default 512 MiB.
    pub max_decompressed_bytes: u64,
    /// Largest decompressed size of a single zip entry or PDF stream. Default 128 MiB.
    pub max_part_bytes: u64,
    /// Largest ratio of decompressed to compressed size for one zip entry. Default 200.
    pub max_compression_ratio: u64,
    /// Most entries in a zip archive. Default 10,000.
    pub max_zip_entries: usize,
    /// Most objects in a PDF. Default 500,000.
    pub max_pdf_objects: usize,
    /// Deepest nesting of XML elements, PDF Form XObjects or PDF objects. Default 256.
    pub max_depth: usize,
    /// Most pixels in an image that is decoded (area redaction). Default 100 megapixels.
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 << 20,
            max_decompressed_bytes: 512 << 20,
            max_part_bytes: 128 << 20,
            max_compression_ratio: 200,
            max_zip_entries: 10_000,
            max_pdf_objects: 500_000,
            max_depth: 256,
            max_image_pixels: 100_000_000,
        }
    }
}
