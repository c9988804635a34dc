/**
 * 2.0.1 GetCertificateStatus (M06): an OCSP check the CSMS performs for the station. No OCSP
 * responder is configured, so Failed with a reason; the request is recorded.
 */
import { recordOnly } from './record.js';

export const getCertificateStatus = recordOnly('GetCertificateStatus', {
  status: 'Failed',
  statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'no OCSP responder configured' },
});
