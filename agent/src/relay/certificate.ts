// The relay's TLS certificate: the one named in the config (cert_file, key_file), or a self-signed
// one made on first start in the state directory by `openssl req -x509` (OpenSSL is on practically
// every Linux server; Node cannot make certificates by itself). Agents pin its SHA-256 fingerprint
// (relay_fingerprint), so neither a certificate authority nor the host name matters.
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Host } from '../host/host.js';

export const SELF_SIGNED_CERT_FILE = 'relay-cert.pem';
export const SELF_SIGNED_KEY_FILE = 'relay-key.pem';
const VALIDITY_DAYS = 3650;

export interface RelayCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), lowercase hex: what agents put in relay_fingerprint. */
  fingerprint: string;
  certFile: string;
  keyFile: string;
  generated: boolean;
}

export class CertificateError extends Error {
  override name = 'CertificateError';
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** `ab:cd:…` in groups, for people comparing it by eye. */
export function colonFingerprint(hex: string): string {
  return hex.match(/../g)?.join(':') ?? hex;
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

async function readPair(certFile: string, keyFile: string, generated: boolean): Promise<RelayCertificate> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch (error) {
    throw new CertificateError(`cannot read the relay certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(cert);
  } catch {
    throw new CertificateError(`${certFile} does not hold a PEM certificate`);
  }
  return { cert, key, fingerprint, certFile, keyFile, generated };
}

/** Makes a self-signed certificate with openssl; the key never exists with a looser mode than 0600. */
async function generate(host: Host, stateDir: string, certFile: string, keyFile: string): Promise<void> {
  const name = hostname() || 'vigil-relay';
  const tempKey = path.join(stateDir, `.tmp-${SELF_SIGNED_KEY_FILE}`);
  const tempCert = path.join(stateDir, `.tmp-${SELF_SIGNED_CERT_FILE}`);
  const base = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', tempKey, '-out', tempCert];
  const rest = ['-days', String(VALIDITY_DAYS), '-subj', `/CN=${name.replace(/[^A-Za-z0-9.-]/g, '-')}`];
  await rm(tempKey, { force: true });
  let result = await host.run('openssl', [...base, ...rest, '-addext', `subjectAltName=DNS:${name.replace(/[^A-Za-z0-9.-]/g, '-')}`], {
    timeoutMs: 60_000,
  });
  // OpenSSL before 1.1.1 has no -addext; the pin does not need the name anyway.
  if (result.exitCode !== 0 && !result.notFound) result = await host.run('openssl', [...base, ...rest], { timeoutMs: 60_000 });
  if (result.notFound) {
    throw new CertificateError('openssl is not installed: install it (apt install openssl), or set relay.cert_file and relay.key_file');
  }
  if (result.exitCode !== 0) {
    await rm(tempKey, { force: true });
    throw new CertificateError(`openssl could not make a certificate: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  }
  await chmod(tempKey, 0o600);
  await chmod(tempCert, 0o644);
  await rename(tempKey, keyFile);
  await rename(tempCert, certFile);
}

/**
 * The certificate from the config, or the self-signed one of the state directory, made now when
 * absent. Only the state directory (0700) ever sees the key being written.
 */
export async function loadOrCreateCertificate(
  host: Host,
  options: { stateDir: string; certFile?: string | undefined; keyFile?: string | undefined },
): Promise<RelayCertificate> {
  if (options.certFile && options.keyFile) return readPair(options.certFile, options.keyFile, false);
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const certFile = path.join(options.stateDir, SELF_SIGNED_CERT_FILE);
  const keyFile = path.join(options.stateDir, SELF_SIGNED_KEY_FILE);
  let generated = false;
  if (!(await exists(certFile)) || !(await exists(keyFile))) {
    await generate(host, options.stateDir, certFile, keyFile);
    generated = true;
  }
  const info = await stat(keyFile);
  if (info.mode & 0o077) await chmod(keyFile, 0o600);
  return readPair(certFile, keyFile, generated);
}
