/** State of the dashboard's live connection, shown in the header. */
export const LIVE_STATUSES = ['idle', 'connecting', 'live', 'reconnecting'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];
