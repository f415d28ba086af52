//! The one error type of `vetted-core`.
//!
//! Callers switch on [`ErrorKind`] (stable, documented, serializable as a short code for the
//! desktop app's IPC); the message is for people and names the file, page or part at fault.

use std::fmt;

/// What went wrong, in a form a program can act on.
///
/// The codes returned by [`ErrorKind::code`] are a stable contract: the desktop UI switches on
/// them, so a variant may be added but an existing code never changes meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io,
    /// The bytes are not in a format Vetted reads.
    UnsupportedFormat,
    /// The file claims a format but is broken (truncated, bad syntax, bad structure).
    Malformed,
    /// The file is encrypted and cannot be read without a password.
    Encrypted,
    /// The file exceeds a documented resource limit (size, ratio, count, depth).
    LimitExceeded,
    /// The file holds a construct that is refused for safety (DTD, `../` path, duplicate part).
    Hostile,
    /// A rule pack is invalid.
    Rules,
    /// The redactor cannot remove the requested content safely, so it refuses.
    RedactionUnsafe,
    /// The exported file still contains something that was meant to be removed.
    VerificationFailed,
    /// The workspace database is missing, newer than this program, or inconsistent.
    Workspace,
    /// Sign-in failed or the acting user is unknown or disabled.
    Authentication,
    /// The acting user may not do this (role or separation of duties).
    Forbidden,
    /// The document is not in a state that allows this action.
    InvalidState,
    /// A named thing (document, finding, user, reason code) does not exist.
    NotFound,
    /// The request contradicts itself or existing data (duplicate user, bad offsets).
    InvalidInput,
    /// The audit chain or a stored original does not match its recorded hash.
    Tampered,
}

impl ErrorKind {
    /// A short, stable, machine-readable code (`"malformed"`, `"forbidden"`, ...).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::UnsupportedFormat => "unsupported_format",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::LimitExceeded => "limit_exceeded",
            ErrorKind::Hostile => "hostile",
            ErrorKind::Rules => "rules",
            ErrorKind::RedactionUnsafe => "redaction_unsafe",
            ErrorKind::VerificationFailed => "verification_failed",
            ErrorKind::Workspace => "workspace",
            ErrorKind::Authentication => "authentication",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::InvalidState => "invalid_state",
            ErrorKind::NotFound => "not_found",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Tampered => "tampered",
        }
    }
}

/// An error from `vetted-core`: a [`ErrorKind`] plus a message for people.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// Creates an error of `kind` with a message for people.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), source: None }
    }

    /// Attaches the lower-level cause, kept for `source()` chains.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What went wrong, for programs.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What went wrong, for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prefixes the message with context, such as the file name: `"draft.pdf: " + message`.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Malformed, message)
    }

    pub(crate) fn limit(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::LimitExceeded, message)
    }

    pub(crate) fn hostile(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Hostile, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.to_string()).with_source(e)
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
