/**
 * 1.6 Security Whitepaper SignCertificate. Accepting means the CSMS will have the CSR signed and send
 * CertificateSigned later (whitepaper use case A02/A03). Voltmesh has no certificate authority
 * integration yet, so the honest answer is Rejected; the CSR is kept as a station.record.
 */
import { recordEvent } from './record.js';
import type { Handler16 } from './types.js';

export const signCertificate: Handler16<'SignCertificate'> = (req, ctx) => ({
  res: { status: 'Rejected' },
  events: [recordEvent('SignCertificate', req, ctx)],
});
