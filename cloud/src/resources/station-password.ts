/**
 * Station Basic-auth passwords (OCPP security profiles 1 and 2): random, shown once, kept and
 * published to the edge only as an argon2id PHC string, the format the edge verifies
 * (edge-agent/src/transport/station-auth.ts).
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';

/** OWASP's minimum argon2id parameters, as for user passwords. */
const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** 32 characters of base64url: inside the 16-40 of OCPP's AuthorizationKey / BasicAuthPassword. */
export const newStationPassword = (): string => randomBytes(24).toString('base64url');

export const hashStationPassword = (password: string): Promise<string> => hash(password, PARAMS);

export const needsPassword = (securityProfile: number): boolean =>
  securityProfile === 1 || securityProfile === 2;
