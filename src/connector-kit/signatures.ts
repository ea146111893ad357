/**
 * Webhook signature helpers. Comparisons run in constant time so an attacker cannot learn a valid
 * signature byte by byte from response timings (the reasoning behind Nango's signature.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64' | 'base64url';

export function hmac(
  algorithm: HmacAlgorithm,
  key: string | Buffer,
  data: string | Buffer,
  encoding: SignatureEncoding,
): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

/**
 * Constant-time equality for strings or bytes of any length. Both sides are hashed first, so the
 * comparison always runs over 32 bytes and a length mismatch takes as long as a content mismatch.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

export interface VerifyHmacOptions {
  algorithm: HmacAlgorithm;
  key: string | Buffer;
  /** The raw bytes as received (or the exact string the vendor signs, e.g. `timestamp.body`). */
  payload: string | Buffer;
  /** The header value; absent or empty never verifies. */
  signature: string | undefined | null;
  encoding: SignatureEncoding;
  /** A scheme label the vendor puts before the digest, e.g. `sha256=` (matched case-insensitively). */
  prefix?: string;
}

/**
 * True when `signature` is the HMAC of `payload`. The digest bytes are compared, not the text,
 * so upper-case hex and missing base64 padding from a vendor still verify.
 */
export function verifyHmac(options: VerifyHmacOptions): boolean {
  let provided = options.signature?.trim();
  if (!provided) return false;
  if (options.prefix) {
    if (provided.slice(0, options.prefix.length).toLowerCase() !== options.prefix.toLowerCase()) return false;
    provided = provided.slice(options.prefix.length);
  }
  const expected = createHmac(options.algorithm, options.key).update(options.payload).digest();
  return safeEqual(expected, decodeSignature(provided, options.encoding));
}

function decodeSignature(text: string, encoding: SignatureEncoding): Buffer {
  // Buffer.from silently stops at the first bad hex pair; an odd length must not decode to a prefix.
  if (encoding === 'hex' && !/^[0-9a-fA-F]*$/.test(text)) return Buffer.alloc(0);
  return Buffer.from(text, encoding);
}

/**
 * Whether a signed timestamp is close enough to `now` to accept. Both directions count, since the
 * vendor's clock may run ahead of ours. Unreadable times are never within the window.
 */
export function withinReplayWindow(sentAt: Date | number, now: Date | number, windowMs: number): boolean {
  const sent = typeof sentAt === 'number' ? sentAt : sentAt.getTime();
  const at = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(sent) || !Number.isFinite(at)) return false;
  return Math.abs(at - sent) <= windowMs;
}

/** A header by name, whatever case the transport kept it in. */
export function getHeader(headers: Record<string, string | undefined>, name: string): string | undefined {
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
