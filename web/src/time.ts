// Times for people: the server writes RFC 3339 with an offset ("2020-02-22T05:58:43+08:00", or
// with milliseconds); pages and exports show them in China time, "2020-02-22 05:58", never raw.
// Asia/Shanghai has been UTC+8 all year since 1991 (no daylight saving), so China time is the
// instant plus eight hours: no time-zone database is needed. Pure; tested by test/time.test.ts.
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

// "YYYY-MM-DDTHH:MM:SS" of the instant in China time, or null when the text is no time.
function chinaIso(at: string | number | Date): string | null {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19) : null;
}

// "2020-02-22 05:58" (with `seconds`, "2020-02-22 05:58:43"); '' for none; text that is no time is
// shown as it came rather than hidden.
export function chinaTime(rfc3339: string | null | undefined, seconds = false): string {
  if (!rfc3339) return '';
  const iso = chinaIso(rfc3339);
  return iso ? iso.slice(0, seconds ? 19 : 16).replace('T', ' ') : rfc3339;
}

// The day in China: "2020-02-22" (file names, dates on documents).
export function chinaDay(at: string | number | Date = new Date()): string {
  return (chinaIso(at) ?? '').slice(0, 10);
}
