/**
 * The handshake's early-return ladder before ocpp-rpc sees a connection: path, identity and
 * subprotocol. Each refusal is an HTTP status with a sentence a field technician can act on.
 */
import { OCPP_VERSIONS, type OcppVersion } from '@voltmesh/contract';

export const OCPP_PATH_PREFIX = '/ocpp/';
/** Printable ASCII without '/', 1-48 characters (OCPP 2.0.1 part 4 §3.1.1 limits identity to 48). */
const IDENTITY = /^[\x20-\x2E\x30-\x7E]{1,48}$/;

export type HandshakeCheck =
  { ok: true; identity: string; version: OcppVersion } | { ok: false; status: number; message: string };

export function checkHandshake(
  rawUrl: string | undefined,
  protocolHeader: string | undefined,
): HandshakeCheck {
  const path = (rawUrl ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith(OCPP_PATH_PREFIX)) {
    return { ok: false, status: 404, message: `OCPP endpoint is ${OCPP_PATH_PREFIX}<stationId>` };
  }
  const encoded = path.slice(OCPP_PATH_PREFIX.length);
  let identity: string;
  try {
    identity = decodeURIComponent(encoded);
  } catch {
    return { ok: false, status: 400, message: 'station identity is not valid percent-encoding' };
  }
  if (encoded.includes('/') || !IDENTITY.test(identity)) {
    return {
      ok: false,
      status: 400,
      message: 'station identity must be 1-48 printable ASCII characters without "/"',
    };
  }
  const offered = (protocolHeader ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const version = [...OCPP_VERSIONS].reverse().find((v) => offered.includes(v));
  if (!version) {
    return {
      ok: false,
      status: 400,
      message: `unsupported WebSocket subprotocol "${offered.join(', ')}"; this server speaks ${OCPP_VERSIONS.join(', ')}`,
    };
  }
  return { ok: true, identity, version };
}
