// Formatting of times and durations for people.

/** "42 min", "1 h 05 min", "less than a minute" from seconds. */
export function humanDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return 'less than a minute';
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = String(minutes % 60).padStart(2, '0');
  return `${h} h ${m} min`;
}

/** "42:07" (or "1:02:07") from seconds, for the big countdown. */
export function clockDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "15:38" in the user's locale from an RFC 3339 string. */
export function clockTime(rfc3339) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Seconds from now until an RFC 3339 time. */
export function secondsUntil(rfc3339, now = Date.now()) {
  return (new Date(rfc3339).getTime() - now) / 1000;
}

/**
 * Whole seconds left of a running countdown that ends at `endsAt` (an RFC 3339 instant
 * from a snapshot), rounded up; `fallbackSeconds` when it is paused (no end).
 */
export function secondsLeft(endsAt, fallbackSeconds, now = Date.now()) {
  if (endsAt == null) return Math.max(0, fallbackSeconds);
  return Math.max(0, Math.ceil(secondsUntil(endsAt, now)));
}
