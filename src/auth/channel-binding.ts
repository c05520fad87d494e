// tls-server-end-point channel binding data (RFC 5929): the hash of the
// server's DER certificate, using the certificate's signature hash, with MD5
// and SHA-1 upgraded to SHA-256. The TLS layer computes this once per
// certificate and passes it to the authenticator.

import { createHash } from 'node:crypto';

interface DerElement {
  tag: number;
  contentStart: number;
  end: number;
}

function readElement(der: Uint8Array, offset: number): DerElement {
  if (offset + 2 > der.length) throw new Error('truncated certificate');
  const tag = der[offset];
  let length = der[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4 || contentStart + lengthBytes > der.length) throw new Error('bad certificate length');
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[contentStart + i];
    contentStart += lengthBytes;
  }
  const end = contentStart + length;
  if (end > der.length) throw new Error('truncated certificate');
  return { tag, contentStart, end };
}

function decodeOid(bytes: Uint8Array): string {
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    value = value * 128 + (bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Signature algorithm OID -> hash used for channel binding (MD5/SHA-1 map to SHA-256 per RFC 5929). */
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'sha256', // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': 'sha256', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha256', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha256', // dsa-with-sha1
  '2.16.840.1.101.3.4.3.1': 'sha224', // dsa-with-sha224
  '2.16.840.1.101.3.4.3.2': 'sha256', // dsa-with-sha256
};

/** The OID of the certificate's signatureAlgorithm. */
export function certificateSignatureAlgorithm(certificateDer: Uint8Array): string {
  const certificate = readElement(certificateDer, 0);
  if (certificate.tag !== 0x30) throw new Error('certificate is not a DER sequence');
  const tbs = readElement(certificateDer, certificate.contentStart);
  const algorithm = readElement(certificateDer, tbs.end);
  if (algorithm.tag !== 0x30) throw new Error('bad certificate signature algorithm');
  const oid = readElement(certificateDer, algorithm.contentStart);
  if (oid.tag !== 0x06 || oid.end === oid.contentStart) throw new Error('bad certificate signature algorithm');
  return decodeOid(certificateDer.subarray(oid.contentStart, oid.end));
}

/**
 * The tls-server-end-point hash of a DER certificate (e.g. `new X509Certificate(pem).raw`).
 * Throws for signature algorithms without a single digest (RSA-PSS, Ed25519), where
 * PostgreSQL cannot offer channel binding either.
 */
export function tlsServerEndPointHash(certificateDer: Uint8Array): Buffer {
  const oid = certificateSignatureAlgorithm(certificateDer);
  const hash = SIGNATURE_HASHES[oid];
  if (hash === undefined) throw new Error(`could not determine server certificate signature algorithm (${oid})`);
  return createHash(hash).update(certificateDer).digest();
}
