import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { certificateSignatureAlgorithm, tlsServerEndPointHash } from './channel-binding.js';
import { createScramVerifier, parseScramVerifier, scramMechanisms, ScramExchange } from './scram.js';

// Self-signed test certificates (openssl req -x509 -newkey ec ... -sha384 / -sha1).
const CERT_ECDSA_SHA384 = `-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUPZ4bECc2mu4heoEvzcqK952puDUwCgYIKoZIzj0EAwMw
GjEYMBYGA1UEAwwPcGlwZWxpbmVkYi10ZXN0MCAXDTI2MTEyMTEzMjEwMVoYDzIx
MjYxMDI4MTMyMTAxWjAaMRgwFgYDVQQDDA9waXBlbGluZWRiLXRlc3QwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAATeQhYBgGQMOMD0yhZLbV06lGx4U9KfBgNGMHSB
6efOO1Ouvks1U6tIG8Kvs+AWvP/c6stQwcqxGXga/COO1uBmo1MwUTAdBgNVHQ4E
FgQUVoGv4dEy9INAlLneuRAzC8MZIKcwHwYDVR0jBBgwFoAUVoGv4dEy9INAlLne
uRAzC8MZIKcwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNIADBFAiAM739w
aEZv62FrF8pEuhhgXei2o6t3MNlJ5Xr/9MdsJgIhANUrPnkaig8Lt+mN5neZE2x/
JWIFI1DsqkQPHRLPjcfr
-----END CERTIFICATE-----`;
const CERT_ECDSA_SHA1 = `-----BEGIN CERTIFICATE-----
MIIBiTCCATCgAwIBAgIUOBbrisRIKIDjqoH+cD4sPNrfkZAwCQYHKoZIzj0EATAa
MRgwFgYDVQQDDA9waXBlbGluZWRiLXRlc3QwIBcNMjYxMTIxMTMyMTAxWhgPMjEy
NjEwMjgxMzIxMDFaMBoxGDAWBgNVBAMMD3BpcGVsaW5lZGItdGVzdDBZMBMGByqG
SM49AgEGCCqGSM49AwEHA0IABB7aKQ9GJ0OJTD4RZgBmnBnrSCTPOcxbHLnl45e3
nzw4ZHEcmZVoGB/y+78744HlI1yWjNFQLBl6/Y27msvPpVejUzBRMB0GA1UdDgQW
BBR/K9azD6DYd/7TcjEvGqZ3QZGaczAfBgNVHSMEGDAWgBR/K9azD6DYd/7TcjEv
GqZ3QZGaczAPBgNVHRMBAf8EBTADAQH/MAkGByqGSM49BAEDSAAwRQIhAL4f2k2W
Nzi1htVtsVcR5huwie14J9+psiEfngHHZNllAiBsHDsx/IjxTfz+iUFTWBdfm3BI
FSH5DHT7EmLl9FZhPg==
-----END CERTIFICATE-----`;

interface PgSaslSession {
  mechanism: string;
  response: string;
}
interface PgSasl {
  startSession(mechanisms: string[], stream?: unknown): PgSaslSession;
  continueSession(session: PgSaslSession, password: string, serverData: string, stream?: unknown): Promise<void>;
  finalizeSession(session: PgSaslSession, serverData: string): void;
}
const sasl = createRequire(import.meta.url)('pg/lib/crypto/sasl.js') as PgSasl;

test('signature algorithm and tls-server-end-point hash of a certificate', () => {
  const sha384 = new X509Certificate(CERT_ECDSA_SHA384).raw;
  const sha1 = new X509Certificate(CERT_ECDSA_SHA1).raw;
  assert.equal(certificateSignatureAlgorithm(sha384), '1.2.840.10045.4.3.3');
  assert.equal(certificateSignatureAlgorithm(sha1), '1.2.840.10045.4.1');
  assert.deepEqual(tlsServerEndPointHash(sha384), createHash('sha384').update(sha384).digest());
  // SHA-1 signatures are bound with SHA-256 (RFC 5929)
  assert.deepEqual(tlsServerEndPointHash(sha1), createHash('sha256').update(sha1).digest());
  assert.throws(() => tlsServerEndPointHash(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])));
});

for (const [name, pem] of [['ECDSA-SHA384', CERT_ECDSA_SHA384], ['ECDSA-SHA1', CERT_ECDSA_SHA1]] as const) {
  test(`SCRAM-SHA-256-PLUS with node-postgres client and a ${name} certificate`, async () => {
    const raw = new X509Certificate(pem).raw;
    const stream = { getPeerCertificate: () => ({ raw }) };
    const certHash = tlsServerEndPointHash(raw);
    const run = async (password: string) => {
      const exchange = new ScramExchange('SCRAM-SHA-256-PLUS', {
        user: 'alice',
        verifier: parseScramVerifier(createScramVerifier('tls-pw')),
        tlsServerCertificateHash: certHash,
      });
      const session = sasl.startSession(scramMechanisms(certHash), stream);
      assert.equal(session.mechanism, 'SCRAM-SHA-256-PLUS');
      assert.match(session.response, /^p=tls-server-end-point,,/);
      const first = exchange.step(Buffer.from(session.response));
      if (first.status !== 'continue') throw new Error('expected continue');
      await sasl.continueSession(session, password, first.output.toString(), stream);
      const final = exchange.step(Buffer.from(session.response));
      if (final.status === 'success') sasl.finalizeSession(session, final.output.toString());
      return final.status;
    };
    assert.equal(await run('tls-pw'), 'success');
    assert.equal(await run('other'), 'failure');
  });
}
