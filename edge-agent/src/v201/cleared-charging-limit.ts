/**
 * 2.0.1 ClearedChargingLimit (K13): an external limit (e.g. an EMS) was lifted. The site does not manage
 * external limits yet, so this is kept as a record; the reply has no fields.
 */
import { recordOnly } from './record.js';

export const clearedChargingLimit = recordOnly('ClearedChargingLimit', {});
