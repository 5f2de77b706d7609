// Times as a packer or shift lead reads them: the local time of the PC showing them, with the day.
// Journals keep UTC ISO times; this only formats them for people.
// Made on first use: building a DateTimeFormat loads the locale data, which a command that shows no
// time (most of them) should not pay for at start-up.
let format: Intl.DateTimeFormat | null = null;

/** "Wed 2 Dec, 14:03" in local time; text that is not a time is shown as it is. */
export function localTimeText(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  format ??= new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return format.format(ms);
}

let withSeconds: Intl.DateTimeFormat | null = null;

/** "Wed 2 Dec, 14:03:27": for a scan history, where several scans fall in one minute. */
export function localTimeSecondsText(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  withSeconds ??= new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return withSeconds.format(ms);
}
