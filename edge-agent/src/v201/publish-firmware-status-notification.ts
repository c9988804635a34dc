/**
 * 2.0.1 PublishFirmwareStatusNotification (L03): a local controller publishing firmware for other
 * stations. Not this station's own firmware, so not a firmware.status event; kept as a record.
 */
import { recordOnly } from './record.js';

export const publishFirmwareStatusNotification = recordOnly('PublishFirmwareStatusNotification', {});
