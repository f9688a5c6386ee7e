import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software WebAuthn authenticator for tests: an ES256 (P-256) key pair that answers the
 * server's options the way a browser and a platform authenticator would, with "none" attestation.
 * Everything is built by hand (clientDataJSON, authenticatorData, CBOR) so the server's
 * verification is exercised for real, without a browser.
 */
export class SoftAuthenticator {
  readonly credentialId: Buffer;
  private privateKey: KeyObject;
  private publicJwk: { x: string; y: string };
  /** The user handle the server gave at registration (base64url), returned at each assertion. */
  userHandle: string | null = null;
  signCount = 0;

  constructor(readonly origin: string, credentialId: Buffer = randomBytes(32)) {
    this.credentialId = credentialId;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicJwk = { x: jwk.x!, y: jwk.y! };
  }

  get id(): string {
    return this.credentialId.toString('base64url');
  }

  /** Same credential id, another key: what a forger who only saw the id could produce. */
  impostor(): SoftAuthenticator {
    const other = new SoftAuthenticator(this.origin, this.credentialId);
    other.userHandle = this.userHandle;
    other.signCount = this.signCount;
    return other;
  }

  private rpIdHash(rpId: string): Buffer {
    return createHash('sha256').update(rpId).digest();
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() + toJSON(), for PublicKeyCredentialCreationOptionsJSON. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, flags = { up: true, uv: true }) {
    this.userHandle = options.user.id;
    const coseKey = cbor(
      new Map<number, unknown>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(this.publicJwk.x, 'base64url')],
        [-3, Buffer.from(this.publicJwk.y, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      this.rpIdHash(options.rp.id!),
      Buffer.from([flagByte(flags) | 0x40]), // AT: attested credential data follows
      counterBytes(this.signCount),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      this.credentialId,
      coseKey,
    ]);
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge).toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /** navigator.credentials.get() + toJSON(), for PublicKeyCredentialRequestOptionsJSON. */
  assert(options: { challenge: string; rpId?: string }, opts: { flags?: { up: boolean; uv: boolean }; origin?: string } = {}) {
    this.signCount += 1;
    const authData = Buffer.concat([this.rpIdHash(options.rpId!), Buffer.from([flagByte(opts.flags ?? { up: true, uv: true })]), counterBytes(this.signCount)]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, opts.origin);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
    const signature = sign('sha256', signed, this.privateKey); // DER-encoded ECDSA, as WebAuthn wants for ES256
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }
}

function flagByte(flags: { up: boolean; uv: boolean }): number {
  return (flags.up ? 0x01 : 0) | (flags.uv ? 0x04 : 0);
}

function counterBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The little CBOR (RFC 8949) WebAuthn needs: integers, text, bytes and maps. */
export function cbor(value: unknown): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('cbor: integers only');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    const parts: Buffer[] = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}

function head(major: number, n: number): Buffer {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = m | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = m | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
