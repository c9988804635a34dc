/**
 * 2.0.1 Get15118EVCertificate (M01/M02): relay an EV contract certificate request to a V2G PKI.
 * Voltmesh has no such PKI connection, so it answers Failed with a reason; the request is recorded.
 */
import { recordOnly } from './record.js';

export const get15118EVCertificate = recordOnly('Get15118EVCertificate', {
  status: 'Failed',
  // exiResponse is required even on failure; there is no EXI answer to relay.
  exiResponse: '',
  statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'no ISO 15118 certificate provisioning' },
});
