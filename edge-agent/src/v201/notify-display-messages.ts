/**
 * 2.0.1 NotifyDisplayMessages (O04): the display messages a GetDisplayMessages asked for. Record; empty reply.
 */
import { recordOnly } from './record.js';

export const notifyDisplayMessages = recordOnly('NotifyDisplayMessages', {});
