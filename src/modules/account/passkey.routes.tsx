import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from '@simplewebauthn/server';
import { Type, type Static } from '@sinclair/typebox';
import { PUBLIC, SIGNED_IN } from '../../auth/policy.ts';
import type { App } from '../../web/types.ts';
import { clientOf, safeNext, setSessionCookie } from './account.routes.tsx';
import { deletePasskey, finishPasskeyRegistration, PASSKEY_NAME_MAX, signInWithPasskey, startPasskeyRegistration, startPasskeySignIn } from './passkey.service.ts';

// The browser's PublicKeyCredential, as JSON (WebAuthn Level 3 toJSON()): binary fields in base64url.
const Base64Url = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' });
const CredentialId = Base64Url(1400);
const Attachment = Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('cross-platform'), Type.Null()]));
const ExtensionResults = Type.Optional(Type.Object({}));

const RegistrationResponse = Type.Object({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: Base64Url(4096),
    attestationObject: Base64Url(32768),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
    authenticatorData: Type.Optional(Base64Url(8192)),
    publicKey: Type.Optional(Base64Url(4096)),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
  }),
  clientExtensionResults: ExtensionResults,
  authenticatorAttachment: Attachment,
});

const AuthenticationResponse = Type.Object({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: Base64Url(4096),
    authenticatorData: Base64Url(8192),
    signature: Base64Url(2048),
    userHandle: Type.Optional(Type.Union([Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$' }), Type.Null()])),
  }),
  clientExtensionResults: ExtensionResults,
  authenticatorAttachment: Attachment,
});

const RegisterBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: PASSKEY_NAME_MAX }), response: RegistrationResponse });
const SignInBody = Type.Object({ response: AuthenticationResponse, next: Type.Optional(Type.String({ maxLength: 2000 })) });
const PasskeyParams = Type.Object({ id: Base64Url(512) });

const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] satisfies AuthenticatorTransportFuture[];
const isTransport = (t: string): t is AuthenticatorTransportFuture => TRANSPORTS.includes(t);

function registrationResponse(body: Static<typeof RegistrationResponse>): RegistrationResponseJSON {
  const { transports, ...response } = body.response;
  return {
    id: body.id,
    rawId: body.rawId,
    type: body.type,
    response: { ...response, transports: (transports ?? []).filter(isTransport) },
    clientExtensionResults: body.clientExtensionResults ?? {},
    ...(body.authenticatorAttachment ? { authenticatorAttachment: body.authenticatorAttachment } : {}),
  };
}

function authenticationResponse(body: Static<typeof AuthenticationResponse>): AuthenticationResponseJSON {
  const { userHandle, ...response } = body.response;
  return {
    id: body.id,
    rawId: body.rawId,
    type: body.type,
    response: { ...response, ...(userHandle ? { userHandle } : {}) },
    clientExtensionResults: body.clientExtensionResults ?? {},
    ...(body.authenticatorAttachment ? { authenticatorAttachment: body.authenticatorAttachment } : {}),
  };
}

/**
 * Passkeys: registration and deletion on the account page, usernameless sign-in on the sign-in
 * page. The ceremonies are JSON for passkeys.js (CSRF in the x-csrf-token header); deletion is a
 * plain form so it works without JavaScript.
 */
export async function passkeyRoutes(app: App): Promise<void> {
  const cadre = app.cadre;

  app.post('/account/passkeys/options', { config: { policy: SIGNED_IN } }, async (req) => startPasskeyRegistration(cadre, req.principal!));

  app.post<{ Body: Static<typeof RegisterBody> }>('/account/passkeys', { config: { policy: SIGNED_IN }, schema: { body: RegisterBody } }, async (req, reply) => {
    const passkey = await finishPasskeyRegistration(cadre, req.principal!, { name: req.body.name, response: registrationResponse(req.body.response) }, req.ip);
    return reply.status(201).send({ passkey });
  });

  app.post<{ Params: Static<typeof PasskeyParams> }>(
    '/account/passkeys/:id/delete',
    { config: { policy: SIGNED_IN }, schema: { params: PasskeyParams } },
    async (req, reply) => {
      await deletePasskey(cadre, req.principal!, req.params.id, req.ip);
      return reply.redirect('/account?done=passkey-deleted#passkeys', 303);
    },
  );

  app.post('/sign-in/passkey/options', { config: { policy: PUBLIC } }, async (req) => startPasskeySignIn(cadre, clientOf(req)));

  app.post<{ Body: Static<typeof SignInBody> }>('/sign-in/passkey', { config: { policy: PUBLIC }, schema: { body: SignInBody } }, async (req, reply) => {
    const { session } = await signInWithPasskey(cadre, authenticationResponse(req.body.response), clientOf(req), req.principal?.sessionId);
    setSessionCookie(req, reply, session.token);
    return { redirect: safeNext(req.body.next) };
  });
}
