// OpenPGP for the mail Cadre sends: encrypted and signed to points of contact who published a key,
// signed only to the others. Every signature is made with Cadre's own key (signing-key.ts).
//
// For e-mail the PGP/MIME forms (RFC 3156) are what clients verify best: Thunderbird, Mailvelope,
// GPG Suite, Outlook with gpg4o or GpgOL, K-9/FairEmail with OpenKeychain all check a
// multipart/signed message and decrypt a multipart/encrypted one. An inline cleartext signature is
// kept for contexts that are not MIME (a text shown or downloaded as is): in a mail body it gets
// broken by transport re-encoding and is shown raw by most clients.
import { randomBytes } from 'node:crypto';
import { createCleartextMessage, createMessage, encrypt, enums, readKey, readSignature, sign } from 'openpgp';
import type { SigningKey } from './signing-key.ts';

export interface EncryptAndSignInput {
  /** Taken byte for byte (UTF-8); a MIME entity should already use CRLF line ends. */
  text: string;
  /** One armored public key per recipient; the message opens with any of them. */
  recipientsArmored: readonly string[];
  signingKey: SigningKey;
}

/** An armored OpenPGP message (`-----BEGIN PGP MESSAGE-----`), encrypted to every recipient and signed by Cadre. */
export async function encryptAndSign({ text, recipientsArmored, signingKey }: EncryptAndSignInput): Promise<string> {
  if (recipientsArmored.length === 0) throw new Error('encryptAndSign needs at least one recipient key');
  const encryptionKeys = await Promise.all(recipientsArmored.map((armoredKey) => readKey({ armoredKey })));
  // Binary literal data: GnuPG hands back exactly these bytes (it rewrites line ends of text-mode data),
  // which a PGP/MIME entity needs.
  const message = await createMessage({ binary: Buffer.from(text, 'utf8') });
  return encrypt({ message, encryptionKeys, signingKeys: signingKey.privateKey });
}

/** `-----BEGIN PGP SIGNED MESSAGE-----` … (RFC 9580 §7): readable as is, checked with `gpg --verify`. Trailing spaces on lines are not signed. */
export async function signCleartext(text: string, signingKey: SigningKey): Promise<string> {
  return sign({ message: await createCleartextMessage({ text }), signingKeys: signingKey.privateKey });
}

/** A detached armored signature of exactly these bytes. */
export async function signDetached(data: string | Uint8Array, signingKey: SigningKey): Promise<string> {
  const binary = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return sign({ message: await createMessage({ binary }), signingKeys: signingKey.privateKey, detached: true });
}

/**
 * A MIME entity: its Content-Type (the top-level header of the mail) and its body, CRLF line ends,
 * 7-bit. Nodemailer's `raw` option replaces the whole message, so a sender writes
 * `From/To/Subject/Message-ID/Date/MIME-Version: 1.0/Content-Type: ${contentType}` then a blank line
 * and `body`, and passes that as `raw` with an `envelope`.
 */
export interface MimeEntity {
  contentType: string;
  body: string;
}

/** A UTF-8 text part in base64 (CRLF line ends first), so no transport can alter the signed bytes. */
function base64Part(type: 'text/plain' | 'text/html', content: string): string {
  const lines = Buffer.from(content.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').match(/.{1,76}/g) ?? [];
  return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', ...lines].join('\r\n');
}

/** The text/plain part that is signed or encrypted. */
export function textPart(text: string): string {
  return base64Part('text/plain', text);
}

const boundary = (): string => `cadre-${randomBytes(12).toString('hex')}`;

/** The text and its HTML rendering as one multipart/alternative part, each base64 so the signed bytes travel unchanged. */
export function alternativePart(text: string, html: string): string {
  const b = boundary();
  return [`Content-Type: multipart/alternative; boundary="${b}"`, '', `--${b}`, base64Part('text/plain', text), `--${b}`, base64Part('text/html', html), `--${b}--`].join('\r\n');
}

/** RFC 3156 §5: multipart/signed, the text part then Cadre's detached signature over its exact bytes. */
export function pgpMimeSigned(text: string, signingKey: SigningKey): Promise<MimeEntity> {
  return pgpMimeSignedPart(textPart(text), signingKey);
}

/** The same for any MIME part (headers, blank line, body; CRLF line ends): a text, or a text with its HTML. */
export async function pgpMimeSignedPart(signed: string, signingKey: SigningKey): Promise<MimeEntity> {
  const signature = await signDetached(signed, signingKey);
  const [packet] = (await readSignature({ armoredSignature: signature })).packets;
  const hash = enums.read(enums.hash, packet!.hashAlgorithm!) as string;
  const b = boundary();
  return {
    contentType: `multipart/signed; boundary="${b}"; protocol="application/pgp-signature"; micalg=pgp-${hash.toLowerCase()}`,
    body: [
      'This is an OpenPGP/MIME signed message (RFC 4880 and 3156)',
      `--${b}`,
      // The CRLF before the next boundary belongs to the boundary, not to the signed part.
      signed,
      `--${b}`,
      'Content-Type: application/pgp-signature; name="signature.asc"',
      'Content-Description: OpenPGP digital signature',
      'Content-Disposition: attachment; filename="signature.asc"',
      '',
      crlf(signature).trimEnd(),
      `--${b}--`,
      '',
    ].join('\r\n'),
  };
}

/** RFC 3156 §6.2: multipart/encrypted holding the text part, signed and encrypted at once. */
export async function pgpMimeEncrypted(input: EncryptAndSignInput): Promise<MimeEntity> {
  const armored = await encryptAndSign({ ...input, text: textPart(input.text) });
  const b = boundary();
  return {
    contentType: `multipart/encrypted; boundary="${b}"; protocol="application/pgp-encrypted"`,
    body: [
      'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
      `--${b}`,
      'Content-Type: application/pgp-encrypted',
      'Content-Description: PGP/MIME version identification',
      '',
      'Version: 1',
      '',
      `--${b}`,
      'Content-Type: application/octet-stream; name="encrypted.asc"',
      'Content-Description: OpenPGP encrypted message',
      'Content-Disposition: inline; filename="encrypted.asc"',
      '',
      crlf(armored).trimEnd(),
      `--${b}--`,
      '',
    ].join('\r\n'),
  };
}

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
