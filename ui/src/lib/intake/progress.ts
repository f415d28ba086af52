// What the header's progress bar shows, from the shared `progress` events of long work (see
// src-tauri/src/progress.rs). Pure, so it is unit-tested without a window.
import type { Progress } from '../ipc/types';

/** The latest event of each task still running. */
export type Running = Record<string, Progress>;

/** `running` updated with one event: a task whose `done` reached `total` is over. */
export function track(running: Running, event: Progress): Running {
  const next = { ...running };
  if (event.total > 0 && event.done >= event.total) delete next[event.task];
  else next[event.task] = event;
  return next;
}

/** What the bar shows: the first running task (by name, so it does not jump between two),
 * as a fraction from 0 to 1; `null` when nothing runs. */
export function shown(running: Running): { task: string; fraction: number; done: number; total: number; label: string } | null {
  const task = Object.keys(running).sort()[0];
  if (task === undefined) return null;
  const { done, total, label } = running[task];
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return { task, fraction, done, total, label };
}
