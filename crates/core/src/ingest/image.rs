//! JPEG and PNG reader (being written; see ARCHITECTURE.md).

use crate::document::{Document, Format};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

pub(super) fn read(_bytes: &[u8], _format: Format, _limits: &Limits) -> Result<Document> {
    Err(Error::new(ErrorKind::UnsupportedFormat, "image reading is not available in this build yet"))
}
