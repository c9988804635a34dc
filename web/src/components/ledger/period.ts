/**
 * Date inputs (yyyy-mm-dd, the user's local calendar) → the API's instants: `from` at local
 * midnight, `to` at the midnight after the chosen day, so the last day counts whole. An empty
 * input is left out, and the server uses its default (the current month).
 */
export function periodQuery(from: string, to: string): { from?: string; to?: string } {
  const start = (day: string) => {
    const [y, m, d] = day.split('-').map(Number);
    return new Date(y!, (m ?? 1) - 1, d ?? 1);
  };
  const out: { from?: string; to?: string } = {};
  if (from !== '') out.from = start(from).toISOString();
  if (to !== '') {
    const end = start(to);
    end.setDate(end.getDate() + 1);
    out.to = end.toISOString();
  }
  return out;
}
