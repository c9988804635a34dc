/** The app's single API client travels through provide/inject, so tests can hand stores a fake. */
import { inject, type InjectionKey } from 'vue';
import type { ApiClient } from './client';

export const apiClientKey: InjectionKey<ApiClient> = Symbol('voltmesh.api');

export function useApi(): ApiClient {
  const client = inject(apiClientKey);
  if (!client)
    throw new Error('No API client provided: app.provide(apiClientKey, createApiClient()) in main.ts');
  return client;
}
