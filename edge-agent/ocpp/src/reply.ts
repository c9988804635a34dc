/**
 * Reading a station's CALLRESULT payload without trusting its shape. The runtime validates replies
 * against the schemas, but decoders must not crash on one that slipped through (a lenient mode, a
 * vendor quirk): every reader returns null instead of throwing.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(value: unknown, key: string): string | null {
  if (!isRecord(value)) return null;
  const field = value[key];
  return typeof field === 'string' ? field : null;
}

export function arrayField(value: unknown, key: string): unknown[] | null {
  if (!isRecord(value)) return null;
  const field = value[key];
  return Array.isArray(field) ? field : null;
}

/** 2.0.1 StatusInfoType as one line: `reasonCode: additionalInfo`. */
export function statusInfoText(value: unknown): string | null {
  const info = isRecord(value) ? value['statusInfo'] : undefined;
  const reasonCode = stringField(info, 'reasonCode');
  if (reasonCode === null) return null;
  const additional = stringField(info, 'additionalInfo');
  return additional ? `${reasonCode}: ${additional}` : reasonCode;
}
