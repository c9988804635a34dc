/**
 * Field errors of a failed save: the cloud's problem+json names each bad field (`errors[].path`,
 * e.g. `countryCode` or `connectors.0.type`); forms show them beside the field, anything else above
 * the buttons.
 */
import { ref } from 'vue';
import { isApiError } from '../../api/errors';

export function useFormErrors() {
  const fields = ref<Record<string, string>>({});
  const general = ref<string | null>(null);

  function clear(): void {
    fields.value = {};
    general.value = null;
  }

  function take(error: unknown, fallback: string): void {
    clear();
    if (isApiError(error)) {
      const byField: Record<string, string> = {};
      for (const e of error.problem?.errors ?? []) if (e.path) byField[e.path] = e.message;
      fields.value = byField;
      general.value = error.problem?.detail ?? error.message;
      return;
    }
    general.value = fallback;
  }

  return { fields, general, clear, take };
}

/** '' → null, anything else a number (NaN stays NaN so the server names the field). */
export const numberOrNull = (value: string | number | null): number | null =>
  value === null || value === '' ? null : Number(value);
export const textOrNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());
