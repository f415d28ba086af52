//! PDF reader (being written; see ARCHITECTURE.md).

use crate::document::Document;
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

pub(super) fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(Error::new(ErrorKind::UnsupportedFormat, "PDF reading is not available in this build yet"))
}
