/** SQL helpers of the resource stores: PostgreSQL errors they turn into API answers, patch updates. */
export const isUniqueViolation = (error: unknown, constraint?: string): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === '23505' &&
  (constraint === undefined || (error as { constraint?: unknown }).constraint === constraint);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path ids are free text up to 64 characters; anything that is not a UUID names no row. */
export const isUuid = (s: string): boolean => UUID.test(s);

/** `a = $n, b = $n+1` for the fields of `fields` that are present, in `columns` order. */
export function setClause(
  fields: Record<string, unknown>,
  columns: Record<string, string>,
  firstParam: number,
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [key, column] of Object.entries(columns)) {
    if (fields[key] === undefined) continue;
    params.push(fields[key]);
    parts.push(`${column} = $${firstParam + params.length - 1}`);
  }
  return { sql: parts.join(', '), params };
}
