import { describe, expect, it, vi } from 'vitest';
import { createApiClient, toQueryString } from './client';
import { ApiError, parseRetryAfterS } from './errors';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

const session = {
  user: {
    id: 'u1',
    email: 'op@example.com',
    name: 'Op',
    role: 'operator',
    tenantId: 't1',
    tenantName: 'Acme',
  },
  csrfToken: 'csrf-123',
};

describe('api client', () => {
  it('turns a problem+json response into an ApiError with its code, status and field errors', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(
        json(422, {
          type: 'https://voltmesh.dev/problems/validation',
          title: 'Invalid request',
          status: 422,
          code: 'validation.failed',
          detail: 'email is not an e-mail address',
          errors: [{ path: 'email', message: 'Invalid email' }],
        }),
      ),
    );
    const api = createApiClient({ fetch });
    const error = await api.login({ email: 'x', password: 'y' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'validation.failed',
      status: 422,
      message: 'email is not an e-mail address',
      problem: { errors: [{ path: 'email', message: 'Invalid email' }] },
    });
  });

  it('reads Retry-After on 429 and falls back to an http.<status> code without a problem body', async () => {
    const throttled = createApiClient({
      fetch: () =>
        Promise.resolve(
          json(
            429,
            { type: 'about:blank', title: 'Too many', status: 429, code: 'auth.throttled' },
            { 'retry-after': '30' },
          ),
        ),
    });
    await expect(throttled.login({ email: 'a', password: 'b' })).rejects.toMatchObject({
      code: 'auth.throttled',
      retryAfterS: 30,
    });

    const broken = createApiClient({
      fetch: () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })),
    });
    await expect(broken.listSites()).rejects.toMatchObject({
      code: 'http.502',
      status: 502,
      problem: undefined,
    });
  });

  it('reports a network failure as client.network', async () => {
    const api = createApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(api.me()).rejects.toMatchObject({ code: 'client.network', status: 0 });
  });

  it('sends the CSRF token on state-changing requests only', async () => {
    const fetch = vi.fn((_url: string, _init?: RequestInit) =>
      Promise.resolve(new Response(null, { status: 204 })),
    );
    const api = createApiClient({ fetch });
    api.setCsrfToken('csrf-123');
    await api.logout();
    fetch.mockResolvedValueOnce(json(200, { items: [] }));
    await api.listSites();

    const [logoutUrl, logoutInit] = fetch.mock.calls[0]!;
    expect(logoutUrl).toBe('/api/auth/logout');
    expect(logoutInit?.method).toBe('POST');
    expect(new Headers(logoutInit?.headers).get('x-csrf-token')).toBe('csrf-123');
    expect(new Headers(fetch.mock.calls[1]![1]?.headers).get('x-csrf-token')).toBeNull();
  });

  it('calls onUnauthorized on a 401 from an authenticated request, but not from login or me', async () => {
    const onUnauthorized = vi.fn();
    const unauthorized = () =>
      Promise.resolve(
        json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'auth.required' }),
      );
    const api = createApiClient({ fetch: unauthorized, onUnauthorized });
    await expect(api.me()).rejects.toMatchObject({ code: 'auth.required' });
    await expect(api.login({ email: 'a', password: 'b' })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).not.toHaveBeenCalled();
    await expect(api.listStations()).rejects.toMatchObject({ code: 'auth.required' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('parses JSON bodies and builds station queries without empty parameters', async () => {
    const fetch = vi.fn((_url: string) => Promise.resolve(json(200, session)));
    const api = createApiClient({ fetch });
    await expect(api.login({ email: 'op@example.com', password: 'pw' })).resolves.toEqual(session);

    fetch.mockResolvedValueOnce(json(200, { items: [], total: 0, limit: 50, offset: 0 }));
    await api.listStations({ q: 'tal inn', status: 'faulted', siteId: '', limit: 50, offset: 0 });
    expect(fetch.mock.calls[1]![0]).toBe('/api/stations?q=tal+inn&status=faulted&limit=50&offset=0');
    expect(toQueryString({})).toBe('');
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterS('12', 0)).toBe(12);
    expect(parseRetryAfterS('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60);
    expect(parseRetryAfterS(null, 0)).toBeUndefined();
    expect(parseRetryAfterS('soon', 0)).toBeUndefined();
  });
});
