/**
 * NATS names shared by the edge and the cloud. Site and station ids are free text (an OCPP identity
 * may hold '.', '*', '>' or spaces, all meaningful to NATS), so every id passes through
 * `encodeToken` exactly once before it becomes part of a subject.
 */

const SAFE = /^[A-Za-z0-9_-]$/;

/** Escapes one id into a single NATS subject token: unsafe bytes become `~HH`, reversibly. */
export function encodeToken(id: string): string {
  if (id.length === 0) throw new RangeError('a subject token cannot be empty');
  let out = '';
  for (const ch of id) {
    if (SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += '~' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function decodeToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    if (ch === '~') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new RangeError(`bad escape in subject token "${token}"`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export const STREAM_EVENTS = 'VM_EVENTS';
export const EVENTS_SUBJECT_ROOT = 'vm.events';

/** Events of one station: `vm.events.<site>.<station>`; edge-level events use the station token `_edge`. */
export function eventSubject(siteId: string, stationId: string | null): string {
  return `${EVENTS_SUBJECT_ROOT}.${encodeToken(siteId)}.${stationId === null ? '_edge' : encodeToken(stationId)}`;
}

/** Everything one site may publish; used for the site's NATS permissions. */
export function siteEventsWildcard(siteId: string): string {
  return `${EVENTS_SUBJECT_ROOT}.${encodeToken(siteId)}.*`;
}

/** Request/reply subject on which a site's edge agent accepts commands. */
export function commandSubject(siteId: string): string {
  return `vm.cmd.${encodeToken(siteId)}`;
}

/** KV bucket holding a site's configuration (stations, tokens, policies) maintained by the cloud. */
export function siteConfigBucket(siteId: string): string {
  return `vm_site_${encodeToken(siteId)}`;
}
