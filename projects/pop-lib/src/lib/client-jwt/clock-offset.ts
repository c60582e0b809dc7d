/** An HTTP `Date` header (IMF-fixdate is 29 characters); anything longer is not one. */
const MAX_DATE_HEADER_LENGTH = 64;
/** `Date` has one-second resolution: the server's clock read D means a time in [D, D + 1 s). */
const DATE_RESOLUTION_MS = 1000;

/**
 * The clock offset (server minus client, ms) to use after a response carrying `dateHeader`
 * arrived, given the request left at local time `sentAt` and the response came back at
 * `receivedAt`, and the offset in use so far.
 *
 * The server read its clock somewhere in [sentAt, receivedAt] (local) and reported a time
 * in [D, D + 1 s). While the corrected local window overlaps that second, the current
 * offset is consistent with the evidence and is kept (so a well-synchronised client never
 * moves). Only when they are disjoint (a skew larger than the header's resolution plus the
 * round trip) is the offset re-estimated, from the midpoints of both windows. Unparsable or
 * missing headers change nothing.
 */
export function nextClockOffset(
  dateHeader: string | null | undefined,
  sentAt: number,
  receivedAt: number,
  currentOffset: number,
): number {
  if (typeof dateHeader !== 'string' || dateHeader.length > MAX_DATE_HEADER_LENGTH) return currentOffset;
  const serverSecond = Date.parse(dateHeader);
  if (!Number.isFinite(serverSecond) || !Number.isFinite(sentAt) || !Number.isFinite(receivedAt) || receivedAt < sentAt) {
    return currentOffset;
  }
  const windowStart = sentAt + currentOffset;
  const windowEnd = receivedAt + currentOffset;
  const overlaps = windowStart < serverSecond + DATE_RESOLUTION_MS && windowEnd >= serverSecond;
  if (overlaps) return currentOffset;
  return Math.round(serverSecond + DATE_RESOLUTION_MS / 2 - (sentAt + receivedAt) / 2);
}
