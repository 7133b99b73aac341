// Certificates for the simulator's HTTPS endpoint: a throwaway CA and a server certificate for 127.0.0.1.
// May import: node-forge and node built-ins only.
import forge from 'node-forge';
import { randomBytes } from 'node:crypto';

export interface SimPki {
  /** PEM of the CA certificate, what a kubeconfig carries as certificate-authority-data. */
  readonly caCert: string;
  /** PEM of the server certificate, signed by the CA. */
  readonly serverCert: string;
  /** PEM of the server's private key. */
  readonly serverKey: string;
}

export interface PkiOptions {
  /** When the certificates start to be valid, in epoch ms. Defaults to one hour ago. */
  readonly notBefore?: number;
  /** How long they stay valid, in days. Defaults to 365. */
  readonly validDays?: number;
  /** Extra DNS names for the server certificate, besides localhost. */
  readonly dnsNames?: readonly string[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function generateKeyPair(bits: number): Promise<forge.pki.rsa.KeyPair> {
  return new Promise((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (err, keys) => (err ? reject(err) : resolve(keys)));
  });
}

function serialNumber(): string {
  // A positive serial: clear the top bit of the first byte.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function newCert(
  publicKey: forge.pki.PublicKey,
  notBefore: number,
  validDays: number,
  cn: string,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(notBefore);
  cert.validity.notAfter = new Date(notBefore + validDays * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  return cert;
}

/** Generates a fresh CA and a server certificate for 127.0.0.1 and localhost (RSA 2048, SHA-256). */
export async function generatePki(opts: PkiOptions = {}): Promise<SimPki> {
  const notBefore = opts.notBefore ?? Date.now() - HOUR_MS;
  const validDays = opts.validDays ?? 365;
  const [caKeys, serverKeys] = await Promise.all([generateKeyPair(2048), generateKeyPair(2048)]);

  const ca = newCert(caKeys.publicKey, notBefore, validDays, 'reboot-daemon-sim-ca');
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const server = newCert(serverKeys.publicKey, notBefore, validDays, 'reboot-daemon-sim');
  server.setIssuer(ca.subject.attributes);
  const altNames = [
    { type: 7, ip: '127.0.0.1' },
    { type: 2, value: 'localhost' },
    ...(opts.dnsNames ?? []).map((value) => ({ type: 2, value })),
  ];
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caCert: forge.pki.certificateToPem(ca),
    serverCert: forge.pki.certificateToPem(server),
    serverKey: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}
