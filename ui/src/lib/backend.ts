// The one module that talks to the Tauri shell. Everything else in the UI calls these
// functions and receives typed results or a `BackendError` with a stable `code` to switch on.
// The webview has no file access: commands raise the native dialogs and read or write files
// themselves, so no function here takes a path.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type {
  AreaRect, CharRange, DecisionRequest, DeskStatus, DocumentView, ExportResultView, ImportView, InboxRow, IpcError,
  PagesSource, PagesView, PreviewView, RangeBoxes, ReasonCodeView, ReviewProgress, ReviewView, SignOffView,
  SignRequest, UserView,
} from './ipc/types';
import type {
  AuditDocumentView, AuditEntryView, ChainView, LogExportView, RecordExportView, RecordFormat,
} from './ipc/types';
import type { RulesView, UserRow } from './ipc/types';
import type { ArrivalView, InboxFolderView, Progress } from './ipc/types';

/** A failed command: `code` is the core's stable `ErrorKind` code, or `internal` when the
 * shell itself failed (a command missing from this build, a panic). */
export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' && value !== null &&
    typeof (value as IpcError).code === 'string' && typeof (value as IpcError).message === 'string'
  );
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    if (isIpcError(error)) throw new BackendError(error.code, error.message);
    throw new BackendError('internal', String(error));
  }
}

/** Asks for a draft with the native dialog and opens it; `null` when cancelled. */
export function openDocument(): Promise<DocumentView | null> {
  return call('open_document');
}

/** The document named on the app's command line, the first time only. */
export function openStartupDocument(): Promise<DocumentView | null> {
  return call('open_startup_document');
}

/** The workspace and who is signed in. */
export function deskStatus(): Promise<DeskStatus> {
  return call('desk_status');
}

/** Creates the workspace with its first administrator, who is then signed in. */
export function createWorkspace(admin: string, passphrase: string): Promise<DeskStatus> {
  return call('create_workspace', { admin, passphrase });
}

export function signIn(name: string, passphrase: string): Promise<UserView> {
  return call('sign_in', { name, passphrase });
}

export function signOut(): Promise<void> {
  return call('sign_out');
}

/** Adds a user with `roles` (administrators only). */
export function addUser(name: string, roles: string[], passphrase: string): Promise<void> {
  return call('add_user', { name, roles, passphrase });
}

/** Every document's latest revision, with open findings by severity. */
export function inbox(): Promise<InboxRow[]> {
  return call('inbox');
}

/** Asks for a draft and imports it into the workspace; `null` when cancelled. */
export function importDocument(): Promise<ImportView | null> {
  return call('import_document');
}

// — sign-off, preview and export —

/** What the signed-in user may do with `document` now (each refused action with its rule),
 * its signatures and its exports. */
export function signOffStatus(document: string): Promise<SignOffView> {
  return call('sign_off_status', { document });
}

/** Signs review complete, approve or reject; the passphrase is checked again first. */
export function signOff(
  document: string, request: SignRequest, passphrase: string, comment: string | null,
): Promise<SignOffView> {
  return call('sign_off', { document, request, passphrase, comment });
}

/** The public version as the export would write it now, beside the original. */
export function previewExport(document: string): Promise<PreviewView> {
  return call('preview_export', { document });
}

/** Asks where to save, then exports the approved document; `null` when cancelled. */
export function exportApproved(document: string): Promise<ExportResultView | null> {
  return call('export_approved', { document });
}

// — review (workspace) —

/** Opens a workspace document's latest revision for review. */
export function reviewOpen(document: string): Promise<ReviewView> {
  return call('review_open', { document });
}

/** Redacts, keeps (reason code + note) or reopens findings `ids`; returns where the review stands. */
export function reviewDecide(document: string, ids: number[], decision: DecisionRequest): Promise<ReviewProgress> {
  return call('review_decide', { document, ids, decision });
}

/** Marks characters `range` of the visible text for redaction. */
export function reviewMarkRange(document: string, range: CharRange, reason: string): Promise<ReviewProgress> {
  return call('review_mark_range', { document, range, reason });
}

/** Marks every occurrence of `phrase` for redaction. */
export function reviewMarkPhrase(document: string, phrase: string, reason: string): Promise<ReviewProgress> {
  return call('review_mark_phrase', { document, phrase, reason });
}

/** Marks an area of page `page` (1 for a photo) for redaction. */
export function reviewMarkArea(document: string, page: number, rect: AreaRect, reason: string): Promise<ReviewProgress> {
  return call('review_mark_area', { document, page, rect, reason });
}

/** Removes manual mark `mark`. */
export function reviewRemoveMark(document: string, mark: number): Promise<ReviewProgress> {
  return call('review_remove_mark', { document, mark });
}

/** The workspace's reason codes. */
export function reviewReasonCodes(): Promise<ReasonCodeView[]> {
  return call('review_reason_codes');
}

// — audit —

/** The documents whose timeline the audit screen can show (auditors and administrators). */
export function auditDocuments(): Promise<AuditDocumentView[]> {
  return call('audit_documents');
}

/** The audit log, oldest first: all of it, or the timeline of `document` (such as `D1`). */
export function auditLog(document: string | null): Promise<AuditEntryView[]> {
  return call('audit_log', { document });
}

/** Recomputes the whole hash chain and checks every stored original. */
export function auditVerify(): Promise<ChainView> {
  return call('audit_verify');
}

/** Asks where to save, then writes the review record of `document`; `null` when cancelled. */
export function auditExportRecord(document: string, format: RecordFormat): Promise<RecordExportView | null> {
  return call('audit_export_record', { document, format });
}

/** Asks where to save, then writes the audit log (all, or `document`'s) as CSV; `null` when
 * cancelled. */
export function auditExportLog(document: string | null): Promise<LogExportView | null> {
  return call('audit_export_log', { document });
}

// — settings —

/** Every user, disabled ones included (administrators). */
export function settingsUsers(): Promise<UserRow[]> {
  return call('settings_users');
}

/** Disables a user: they can no longer sign in; their history stays. */
export function settingsDisableUser(name: string): Promise<void> {
  return call('settings_disable_user', { name });
}

/** Replaces a user's roles. */
export function settingsSetRoles(name: string, roles: string[]): Promise<void> {
  return call('settings_set_roles', { name, roles });
}

/** The rule packs in effect. */
export function settingsRules(): Promise<RulesView> {
  return call('settings_rules');
}

/** Enables or disables a rule pack; the next import scans accordingly. */
export function settingsSetPackEnabled(pack: string, enabled: boolean): Promise<void> {
  return call('settings_set_pack_enabled', { pack, enabled });
}

/** Adds terms to a term rule; resolves to how many were new. */
export function settingsAddTerms(rule: string, terms: string[]): Promise<number> {
  return call('settings_add_terms', { rule, terms });
}

/** The reason codes reviewers choose from. */
export function settingsReasonCodes(): Promise<ReasonCodeView[]> {
  return call('settings_reason_codes');
}

/** Adds a reason code with its Chinese and English labels. */
export function settingsAddReasonCode(code: string, zh: string, en: string): Promise<void> {
  return call('settings_add_reason_code', { code, zh, en });
}

// — intake (watched folder, drag and drop, progress) —

/** The inbox folder setting and how its sweeping goes. */
export function inboxFolder(): Promise<InboxFolderView> {
  return call('inbox_folder');
}

/** Asks for a folder with the native dialog and makes it the inbox folder (administrators);
 * `null` when cancelled. */
export function chooseInboxFolder(): Promise<InboxFolderView | null> {
  return call('choose_inbox_folder');
}

/** Stops watching any inbox folder (administrators). */
export function clearInboxFolder(): Promise<InboxFolderView> {
  return call('clear_inbox_folder');
}

/** Sweeps the inbox folder now; returns what arrived. */
export function sweepInboxFolder(): Promise<ArrivalView[]> {
  return call('sweep_inbox_folder');
}

/** What arrived in this run (the folder and dropped files), newest first. */
export function arrivals(): Promise<ArrivalView[]> {
  return call('arrivals');
}

/** Calls `handler` with each step of long work (the shared `progress` event). */
export function onProgress(handler: (progress: Progress) => void): Promise<UnlistenFn> {
  return listen<Progress>('progress', (event) => handler(event.payload));
}

/** Calls `handler` when files arrived from the inbox folder or a drop. */
export function onArrivals(handler: () => void): Promise<UnlistenFn> {
  return listen('intake', () => handler());
}

/** Calls `handler(true)` while files are dragged over the window, `false` when they leave or
 * are dropped. The drop itself is handled by the shell, which imports the files: the webview
 * never receives their paths for use. */
export function onDragOver(handler: (over: boolean) => void): Promise<UnlistenFn> {
  return getCurrentWebview().onDragDropEvent((event) => {
    handler(event.payload.type === 'enter' || event.payload.type === 'over');
  });
}

// — pages (PDF pages, photos) —

/** The page sizes of a PDF (or the size and metadata of a photo), before any page is drawn. */
export function pagesView(source: PagesSource): Promise<PagesView> {
  return call('pages_view', { source });
}

/** The original bytes, exactly as reviewed, for pdf.js or an `<img>`: a binary response, not
 * JSON. */
export function pagesOriginal(source: PagesSource): Promise<ArrayBuffer> {
  return call('pages_original', { source });
}

/** Where each character range is drawn: one box per line, in PDF points from the page's top left. */
export function pagesBoxes(source: PagesSource, ranges: CharRange[]): Promise<RangeBoxes[]> {
  return call('pages_boxes', { source, ranges });
}
