import { createHash } from 'node:crypto';
import { ValidationError } from './errors';

/**
 * A tenant's branding (docs/rules.md#branding): the name its customer screens show, an accent
 * colour and a logo. The logo arrives as a `data:` URL and is trusted for nothing it says about
 * itself: its bytes must be a whole PNG or WebP file (signature, then the header parsed and
 * checked), of at most 200 KiB and 4096 pixels a side. Pure, no I/O.
 */

export const LOGO_MAX_BYTES = 200 * 1024;
const LOGO_MAX_SIDE = 4096;
export const DISPLAY_NAME_MAX = 100;

export const LOGO_TYPES = ['image/png', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** The stored logo: its version (a hash of its bytes) and its type; the bytes live apart. */
export interface LogoRef {
  id: string;
  contentType: LogoType;
}

export interface Branding {
  displayName: string | null;
  accentColor: string | null;
  logo: LogoRef | null;
}

export const NO_BRANDING: Branding = { displayName: null, accentColor: null, logo: null };

export interface Logo extends LogoRef {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** A logo's id: 128 bits of the SHA-256 of its bytes, base64url (22 characters). A new logo, a new URL. */
export const LOGO_ID = /^[A-Za-z0-9_-]{22}$/;
const logoIdOf = (bytes: Uint8Array) =>
  createHash('sha256').update(bytes).digest().subarray(0, 16).toString('base64url');

/** The public path of a tenant's logo; its id changes with its bytes, so it may be cached for good. */
export const logoPath = (tenantId: string, logo: LogoRef) => `/v1/public/logos/${tenantId}/${logo.id}`;

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+)?;base64,([A-Za-z0-9+/]*={0,2})$/;

const invalid = (message: string) =>
  new ValidationError(`branding.logo: ${message}`, [{ path: 'body.branding.logo', message }]);

/**
 * The logo a `data:` URL holds, or a 400 naming what is wrong. The type is the one the bytes
 * prove; a data URL that declares another type is refused too (a WebP sent as `image/png`).
 */
export function parseLogo(dataUrl: string): Logo {
  const match = DATA_URL.exec(dataUrl);
  if (!match || match[2]!.length % 4 !== 0) throw invalid('Must be a base64 data: URL');
  const bytes = new Uint8Array(Buffer.from(match[2]!, 'base64'));
  if (bytes.length > LOGO_MAX_BYTES) throw invalid(`Must be at most ${LOGO_MAX_BYTES} bytes (200 KiB)`);
  const image = readPng(bytes) ?? readWebp(bytes);
  if (!image) throw invalid('Must be a PNG or WebP image');
  if (typeof image === 'string') throw invalid(image);
  const declared = match[1];
  if (declared && declared !== image.contentType)
    throw invalid(`Declared as ${declared} but the content is ${image.contentType}`);
  const { width, height } = image;
  if (width < 1 || height < 1 || width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE)
    throw invalid(`Must be 1 to ${LOGO_MAX_SIDE} pixels a side (is ${width} × ${height})`);
  return { id: logoIdOf(bytes), contentType: image.contentType, bytes, width, height };
}

interface Image {
  contentType: LogoType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bit depths allowed for each PNG colour type (PNG §11.2.2). */
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u32le = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const startsWith = (b: Uint8Array, bytes: readonly number[]) => bytes.every((x, i) => b[i] === x);

let crcTable: Uint32Array | undefined;
/** CRC-32 (ISO 3309), as PNG chunks carry it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A PNG: the signature, an IHDR first (13 bytes, valid depth and colour type, its CRC right),
 * then chunks that fit the file, at least one IDAT, and an IEND that ends it exactly. Undefined
 * when the bytes are not a PNG at all; a string saying what is wrong with a broken one.
 */
function readPng(b: Uint8Array): Image | string | undefined {
  if (!startsWith(b, PNG_SIGNATURE)) return undefined;
  const broken = 'Not a valid PNG file';
  if (b.length < 8 + 25 + 12 || u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') return broken;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const [depth, colour, compression, filter, interlace] = [b[24]!, b[25]!, b[26]!, b[27]!, b[28]!];
  if (!PNG_DEPTHS[colour]?.includes(depth) || compression !== 0 || filter !== 0 || interlace > 1)
    return broken;
  if (crc32(b.subarray(12, 29)) !== u32be(b, 29)) return broken;
  let at = 33;
  let data = false;
  while (at + 12 <= b.length) {
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > b.length || !/^[A-Za-z]{4}$/.test(type) || type === 'IHDR')
      return broken;
    if (type === 'IDAT') data = true;
    if (type === 'IEND')
      return end === b.length && data ? { contentType: 'image/png', width, height } : broken;
    at = end;
  }
  return broken;
}

/**
 * A WebP: a RIFF container of the file's exact size holding `WEBP`, whose first chunk is a
 * lossy (VP8, a key frame with its start code), lossless (VP8L, its signature byte) or extended
 * (VP8X) image header that fits the file; the size is read from that header.
 */
function readWebp(b: Uint8Array): Image | string | undefined {
  if (b.length < 12 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const broken = 'Not a valid WebP file';
  const riffSize = u32le(b, 4);
  if (b.length < 30 || riffSize + 8 !== b.length) return broken;
  const chunk = ascii(b, 12, 4);
  const size = u32le(b, 16);
  if (20 + size > b.length) return broken;
  const image = (width: number, height: number): Image => ({ contentType: 'image/webp', width, height });
  if (chunk === 'VP8 ') {
    const keyFrame = (b[20]! & 1) === 0;
    if (size < 10 || !keyFrame || b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return broken;
    return image((b[26]! | (b[27]! << 8)) & 0x3fff, (b[28]! | (b[29]! << 8)) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (size < 5 || b[20] !== 0x2f) return broken;
    const bits = u32le(b, 21);
    if (bits >>> 29 !== 0) return broken; // the version, 3 bits, is 0
    return image((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    if (size < 10) return broken;
    return image(u24le(b, 24) + 1, u24le(b, 27) + 1);
  }
  return broken;
}
