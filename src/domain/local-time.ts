// Times as a packer or shift lead reads them: the local time of the PC showing them, with the day.
// Journals keep UTC ISO times; this only formats them for people.
const FORMAT = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "Wed 2 Dec, 14:03" in local time; text that is not a time is shown as it is. */
export function localTimeText(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? FORMAT.format(ms) : iso;
}
