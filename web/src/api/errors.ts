/** The one error type the dashboard throws for anything that went wrong talking to the cloud. */
import type { ProblemDetails } from './types';

/** Codes the client itself produces when there is no problem document to read. */
export const CLIENT_ERROR_CODES = {
  network: 'client.network',
  badResponse: 'client.bad_response',
} as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly status: number;
  readonly problem: ProblemDetails | undefined;
  /** Seconds from a Retry-After header (429/503), when the server sent one. */
  readonly retryAfterS: number | undefined;

  constructor(
    init: { code: string; status: number; message: string; problem?: ProblemDetails; retryAfterS?: number },
    options?: { cause?: unknown },
  ) {
    super(init.message, options);
    this.code = init.code;
    this.status = init.status;
    this.problem = init.problem;
    this.retryAfterS = init.retryAfterS;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads a problem document defensively: a proxy or a crash may send something else entirely. */
export function parseProblem(body: unknown, status: number): ProblemDetails | undefined {
  if (!isRecord(body) || typeof body['code'] !== 'string') return undefined;
  const errors = Array.isArray(body['errors'])
    ? body['errors'].filter(isRecord).map((e) => ({
        path: typeof e['path'] === 'string' ? e['path'] : '',
        message: typeof e['message'] === 'string' ? e['message'] : '',
      }))
    : undefined;
  return {
    type: typeof body['type'] === 'string' ? body['type'] : 'about:blank',
    title: typeof body['title'] === 'string' ? body['title'] : '',
    status: typeof body['status'] === 'number' ? body['status'] : status,
    code: body['code'],
    ...(typeof body['detail'] === 'string' ? { detail: body['detail'] } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfterS(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}
