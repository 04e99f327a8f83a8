const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * A datetime literal of a filter: `2026-01-31`, `2026-01-31T12:00`, `2026-01-31 12:00:05.250`,
 * optionally ending in `Z` or `+02:00`. Without a zone it is local time, as trials' datetimes
 * are stored (Optuna's naive local time). Null when the text is not such a datetime.
 * Milliseconds are kept, finer digits cut.
 */
export function parseFilterDatetime(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const ms = Number(`${m[7] ?? "0"}00`.slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let time: number;
  if (m[8] === undefined) {
    const local = new Date(year, month - 1, day, hour, minute, second, ms);
    local.setFullYear(year);
    time = local.getTime();
  } else {
    const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
    utc.setUTCFullYear(year);
    let offset = 0;
    if (m[8] !== "Z") {
      const digits = m[8].replace(":", "");
      offset = (digits[0] === "-" ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    time = utc.getTime() - offset * 60_000;
  }
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? null : date;
}
