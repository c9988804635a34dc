/**
 * API errors. Handlers throw `ApiError` with a stable code; the app's single `onError` renders it as
 * `application/problem+json` (RFC 9457) with the code's status and title from this table.
 */
export const PROBLEMS = {
  'auth.required': { status: 401, title: 'Authentication required' },
  'auth.invalid_credentials': { status: 401, title: 'Invalid e-mail or password' },
  'auth.throttled': { status: 429, title: 'Too many failed logins' },
  'auth.csrf_failed': { status: 403, title: 'Missing or wrong CSRF token' },
  'auth.forbidden': { status: 403, title: 'Your role does not allow this' },
  'request.invalid': { status: 400, title: 'Invalid request' },
  'request.malformed_json': { status: 400, title: 'Request body is not valid JSON' },
  'station.not_found': { status: 404, title: 'Station not found' },
  'session.not_found': { status: 404, title: 'Session not found' },
  'session.not_active': { status: 409, title: 'Session is not active' },
  'session.active': { status: 409, title: 'Session is still active' },
  'tariff.not_found': { status: 404, title: 'Tariff not found' },
  // Resources (sites, stations, tokens)
  'city.not_found': { status: 404, title: 'City not found' },
  'site.not_found': { status: 404, title: 'Site not found' },
  'token.not_found': { status: 404, title: 'Token not found' },
  'token_holder.not_found': { status: 404, title: 'Token holder not found' },
  'token_group.not_found': { status: 404, title: 'Token group not found' },
  'resource.conflict': { status: 409, title: 'Conflicts with an existing object' },
  'resource.in_use': { status: 409, title: 'Still in use' },
  // Accounts (users, grants, passwords, API tokens)
  'user.not_found': { status: 404, title: 'User not found' },
  'grant.not_found': { status: 404, title: 'Grant not found' },
  'api_token.not_found': { status: 404, title: 'API token not found' },
  'password.policy': { status: 400, title: 'Password does not meet the password policy' },
  'password.wrong_current': { status: 400, title: 'Current password is wrong' },
  'user.last_admin': { status: 409, title: 'The tenant must keep an administrator' },
  // Ledger and reports
  'ledger.charge_not_found': { status: 404, title: 'Charge not found' },
  'ledger.refund_exceeds_charge': { status: 409, title: 'Refund exceeds what is left of the charge' },
  'ledger.import_unreadable': { status: 400, title: 'The CSV file cannot be read' },
  'report.range_invalid': { status: 400, title: 'Invalid report period' },
  // Alerts (rules, incidents, on-call groups, webhooks)
  'alert_rule.not_found': { status: 404, title: 'Alert rule not found' },
  'incident.not_found': { status: 404, title: 'Incident not found' },
  'oncall_group.not_found': { status: 404, title: 'On-call group not found' },
  'webhook.not_found': { status: 404, title: 'Webhook not found' },
  'auth.bad_signature': { status: 403, title: 'Missing or wrong request signature' },
  'route.not_found': { status: 404, title: 'No such endpoint' },
  'service.unavailable': { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface ProblemIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: { errors?: ProblemIssue[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail ?? PROBLEMS[code].title, { cause: extra.cause });
    this.name = 'ApiError';
    this.status = PROBLEMS[code].status;
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: ProblemIssue[];
}

export function problemBody(error: ApiError): ProblemBody {
  const p = PROBLEMS[error.code];
  return {
    type: `urn:voltmesh:problem:${error.code}`,
    title: p.title,
    status: p.status,
    code: error.code,
    detail: error.detail ?? p.title,
    ...(error.extra.errors ? { errors: error.extra.errors } : {}),
  };
}
