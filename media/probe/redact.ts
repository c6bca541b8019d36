/**
 * Keeps tokens out of what a probe logs. livekit-server answers a bad token with "invalid token:
 * <the token>", and livekit-client puts that text in its ConnectionError — so every message that
 * leaves the page goes through here before k6 logs it. Pure.
 */

/** A JSON Web Token: three base64url parts, the first two starting with `{"` encoded (eyJ). */
const JWT = /eyJ[\w-]*\.eyJ[\w-]*\.[\w-]*/g;

/** `text` with every given secret and anything shaped like a JWT replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('***');
  // A token cut short by a length limit is still a token: redact a lone eyJ… run too.
  return out.replace(JWT, '***').replace(/eyJ[\w-]{8,}[\w.-]*/g, '***');
}
