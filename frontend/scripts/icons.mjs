// Draws Attune's icons into static/icons/ (committed; run again after changing the drawing: `npm run icons`):
// two interlocking rings on Attune's plum (static/attune.css, --accent), their shared space lit.
//   attune.svg                the icon for browsers that take SVG (the manifest, <link rel="icon">)
//   attune-192.png, -512.png  the manifest's icons: a rounded square
//   attune-maskable-512.png   the manifest's maskable icon: full bleed, the rings inside the central safe circle
//   favicon.ico               /favicon.ico: 16, 32 and 48 pixels (PNG inside ICO)
// No image library: shapes are signed distance functions, shaded with one pixel of anti-aliasing, and the PNGs
// are written by hand (zlib from Node).
import { writeFileSync, mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const OUT = fileURLToPath(new URL("../../static/icons/", import.meta.url));
const PLUM = [0x7a, 0x3e, 0x6e];
const WHITE = [0xff, 0xff, 0xff];
const LENS = [0xd5, 0x9b, 0xc9]; // the dark theme's accent: the couple's shared space

// The drawing, in a unit square: two rings of radius R, centres ±D/2 from the middle, strokes of width W.
const R = 0.2;
const D = 0.23;
const W = 0.07;
const CORNER = 0.2;

function rings(scale) {
  const r = R * scale;
  const half = (D * scale) / 2;
  return { left: [0.5 - half, 0.5], right: [0.5 + half, 0.5], r, w: W * scale };
}

const length = (x, y) => Math.hypot(x, y);

function roundedSquare(x, y, radius) {
  // Signed distance to the unit square with rounded corners (negative inside).
  const qx = Math.abs(x - 0.5) - (0.5 - radius);
  const qy = Math.abs(y - 0.5) - (0.5 - radius);
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function draw(size, { maskable }) {
  const g = rings(maskable ? 0.8 : 1);
  const pixels = new Uint8Array(size * size * 4);
  const aa = 1 / size; // one pixel, in unit-square terms
  const cover = (distance) => Math.min(1, Math.max(0, 0.5 - distance / aa));
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const inLeft = length(x - g.left[0], y - g.left[1]) - g.r;
      const inRight = length(x - g.right[0], y - g.right[1]) - g.r;
      const background = maskable ? 1 : cover(roundedSquare(x, y, CORNER));
      const lens = cover(Math.max(inLeft, inRight));
      const ring = cover(Math.min(Math.abs(inLeft), Math.abs(inRight)) - g.w / 2);
      let colour = PLUM.map((c, i) => c + (LENS[i] - c) * lens);
      colour = colour.map((c, i) => c + (WHITE[i] - c) * ring);
      const at = (py * size + px) * 4;
      pixels.set([...colour.map(Math.round), Math.round(255 * Math.max(background, ring))], at);
    }
  }
  return png(size, pixels);
}

// --- PNG and ICO, by hand ---------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // an icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size, entry);
    header.writeUInt8(size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

function svg() {
  const g = rings(1);
  const n = (v) => +(v * 100).toFixed(2);
  const halfChord = Math.sqrt(g.r ** 2 - (D / 2) ** 2);
  const [top, bottom] = [0.5 - halfChord, 0.5 + halfChord];
  const arc = `A${n(g.r)} ${n(g.r)} 0 0 1`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">`,
    `<title>Attune</title>`,
    `<rect width="100" height="100" rx="${n(CORNER)}" fill="#7a3e6e"/>`,
    `<path d="M50 ${n(top)}${arc} 50 ${n(bottom)}${arc} 50 ${n(top)}Z" fill="#d59bc9"/>`,
    `<g fill="none" stroke="#fff" stroke-width="${n(g.w)}">`,
    `<circle cx="${n(g.left[0])}" cy="50" r="${n(g.r)}"/><circle cx="${n(g.right[0])}" cy="50" r="${n(g.r)}"/>`,
    `</g></svg>`,
    "",
  ].join("\n");
}

mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}attune.svg`, svg());
writeFileSync(`${OUT}attune-192.png`, draw(192, { maskable: false }));
writeFileSync(`${OUT}attune-512.png`, draw(512, { maskable: false }));
writeFileSync(`${OUT}attune-maskable-512.png`, draw(512, { maskable: true }));
writeFileSync(`${OUT}favicon.ico`, ico([16, 32, 48].map((size) => ({ size, data: draw(size, { maskable: false }) }))));
console.log(`icons written to ${OUT}`);
