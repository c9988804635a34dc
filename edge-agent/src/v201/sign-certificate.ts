/**
 * 2.0.1 SignCertificate (A02/A03): Accepted means the CSMS will have the CSR signed and send
 * CertificateSigned. Voltmesh has no certificate authority integration, so Rejected; CSR recorded.
 */
import { recordOnly } from './record.js';

export const signCertificate = recordOnly('SignCertificate', {
  status: 'Rejected',
  statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'no certificate authority configured' },
});
