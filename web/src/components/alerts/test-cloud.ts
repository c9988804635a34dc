/**
 * For component tests of the event log and alerts pages: the pages' real feature client over a
 * fetch that answers like the cloud (a handler per request) and records every request.
 */
import { vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { User } from '../../api/types';
import { useAuthStore } from '../../stores/auth';
import { clientOver, fakeApi, harness } from '../../testing/fixtures';
import { createFeatureApi, featureApiKey } from './feature-api';

export interface Call {
  method: string;
  url: URL;
  body: unknown;
  csrf: string | null;
}

export type Handler = (call: Call) => unknown;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

export const problem = (status: number, code: string, detail = code) =>
  json({ type: `urn:voltmesh:problem:${code}`, title: code, status, code, detail }, status);

export function testCloud(handle: Handler, options: { role?: User['role']; core?: Partial<ApiClient> } = {}) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    const call: Call = {
      method: init.method ?? 'GET',
      url: new URL(url, 'http://x'),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      csrf: headers.get('x-csrf-token'),
    };
    calls.push(call);
    const answer = await handle(call);
    return answer instanceof Response ? answer : json(answer ?? null, answer === undefined ? 404 : 200);
  });
  const user: User = {
    id: 'u-1',
    email: 'me@acme.test',
    name: 'Me',
    role: options.role ?? 'admin',
    tenantId: 't-1',
    tenantName: 'Acme',
  };
  const core = fakeApi({
    me: () => Promise.resolve({ user, csrfToken: 'csrf-1' }),
    listSites: () =>
      Promise.resolve({
        items: [
          {
            id: 'site-1',
            code: 'h',
            name: 'Harbour',
            cityId: null,
            cityName: null,
            lat: null,
            lon: null,
            stationCount: 1,
          },
        ],
      }),
    listCities: () => Promise.resolve({ items: [{ id: 'city-1', name: 'Tallinn', lat: null, lon: null }] }),
    ...options.core,
  });
  const h = harness(core);
  const auth = useAuthStore(h.pinia);
  auth.user = user;
  auth.state = 'authenticated';
  const global = {
    ...h.global,
    provide: { ...h.global.provide, [featureApiKey]: createFeatureApi({ api: clientOver(fetch) }) },
  };
  const to = (method: string, path: string) =>
    calls.filter((c) => c.method === method && c.url.pathname === path);
  return { h, global, calls, to };
}
