// The details of an audit entry for people: the core records them as compact JSON (sorted
// keys, the exact bytes the hash covers); the timeline shows them as `key: value` pairs,
// lists joined with commas, so an auditor reads "user: wang · from: reviewer" rather than
// braces and quotes. The raw JSON stays available as the cell's title.

/** `details` (compact JSON, or empty) as one line of `key: value` pairs separated by ` · `.
 * Text that is not JSON is shown as it is. */
export function describeDetails(details: string): string {
  if (details.trim() === '') return '';
  let value: unknown;
  try {
    value = JSON.parse(details);
  } catch {
    return details;
  }
  if (isObject(value)) {
    return Object.entries(value).map(([key, v]) => `${key}: ${describeValue(v)}`).join(' · ');
  }
  return describeValue(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(describeValue).join(', ');
  if (isObject(value)) return Object.entries(value).map(([key, v]) => `${key} ${describeValue(v)}`).join(', ');
  if (value === null) return '—';
  return String(value);
}
