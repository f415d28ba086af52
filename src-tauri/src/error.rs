//! The one error type that crosses IPC.
//!
//! The UI switches on `code`, which is [`vetted_core::ErrorKind::code`] — a stable contract — and
//! shows `message` to people. Commands never fail with a bare string: that would
//! leave the UI guessing, by matching on prose, whether to offer "try another file" or
//! "ask an administrator".

use serde::Serialize;
use ts_rs::TS;
use vetted_core::{Error, ErrorKind};

/// An error as the UI receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    /// A stable machine-readable code such as `"malformed"` or `"not_found"`.
    pub code: String,
    /// What went wrong, for people; names the file at fault.
    pub message: String,
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        IpcError { code: error.kind().code().to_string(), message: error.message().to_string() }
    }
}

impl IpcError {
    /// An error of `kind` with a message for people.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error::new(kind, message).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_error_crosses_ipc_as_its_stable_code_and_message() {
        let check = |kind: ErrorKind, json: &str| {
            let error = IpcError::from(Error::new(kind, "draft.pdf: no"));
            assert_eq!(serde_json::to_string(&error).unwrap(), json);
        };
        check(ErrorKind::Forbidden, r#"{"code":"forbidden","message":"draft.pdf: no"}"#);
        check(ErrorKind::UnsupportedFormat, r#"{"code":"unsupported_format","message":"draft.pdf: no"}"#);
        check(ErrorKind::VerificationFailed, r#"{"code":"verification_failed","message":"draft.pdf: no"}"#);
    }
}
