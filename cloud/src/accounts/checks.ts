/**
 * The system-settings rules a request must pass, as problem+json errors naming the field and the
 * rule: password policy, login (e-mail) length limits, allowed phone prefixes.
 */
import { ApiError } from '../api/problem.js';
import { checkPassword } from './password-policy.js';
import type { SystemSettings } from './system-settings.js';

export function assertPasswordPolicy(settings: SystemSettings, password: string, path: string): void {
  const violation = checkPassword(password, settings.passwordPolicy);
  if (violation) {
    throw new ApiError('password.policy', `the password ${violation.message}`, {
      errors: [{ path, message: `${violation.message} [${violation.rule}]` }],
    });
  }
}

export function assertLoginPolicy(settings: SystemSettings, email: string, path = 'email'): void {
  const { minEmailLength, maxEmailLength } = settings.loginPolicy;
  if (email.length < minEmailLength || email.length > maxEmailLength) {
    const message = `must be ${minEmailLength} to ${maxEmailLength} characters long (login policy)`;
    throw new ApiError('request.invalid', `the e-mail address ${message}`, { errors: [{ path, message }] });
  }
}

export function assertPhonePrefix(settings: SystemSettings, phone: string | null, path = 'phone'): void {
  if (phone === null || settings.phonePrefixes.length === 0) return;
  if (!settings.phonePrefixes.some((prefix) => phone.startsWith(prefix))) {
    const message = `must start with one of the allowed prefixes ${settings.phonePrefixes.join(', ')}`;
    throw new ApiError('request.invalid', `the phone number ${message}`, { errors: [{ path, message }] });
  }
}
