// Draws the app and tray icons into build/ with nothing but Node (zlib for PNG compression):
// the outputs are committed, this script is how they were made and how to change them.
//   node scripts/make-icons.mjs [--out=<dir>]
// Tray: idle (blue disc, white play arrow), running (green disc, arrow and progress ring gap),
// failure (red disc, white "!"), as 16/32 px PNGs (Linux; `@2x` is picked up on HiDPI) and
// ICOs (Windows); macOS Template images are black shapes on transparency that the menu bar tints.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `--out=<dir>` writes elsewhere (the test compares a fresh run with the committed files).
const outArgument = process.argv.find((arg) => arg.startsWith('--out='));
const outDir = outArgument
  ? outArgument.slice('--out='.length)
  : join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

// --- PNG and ICO encoding -------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** An ICO holding PNG images (supported by Windows since Vista). */
function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

// --- Drawing: shapes as coverage functions over the unit square, 4x4 supersampled ------------
const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r1, r2) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= r2 * r2 && d >= r1 * r1;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
function triangle(ax, ay, bx, by, cx, cy) {
  const side = (px, py, qx, qy, x, y) => (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}
const playArrow = triangle(0.4, 0.29, 0.4, 0.71, 0.73, 0.5);
const exclamation = (x, y) => rect(0.44, 0.22, 0.56, 0.6)(x, y) || disc(0.5, 0.74, 0.075)(x, y);

/** Paints layers (shape + colour, later ones on top) into an RGBA buffer. */
function paint(size, layers) {
  const samples = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const { shape, color } of layers) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy += 1) {
          for (let sx = 0; sx < samples; sx += 1) {
            if (shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) {
              hits += 1;
            }
          }
        }
        const coverage = (hits / (samples * samples)) * (color[3] ?? 1);
        if (coverage === 0) continue;
        // Source-over compositing, straight alpha.
        const outA = coverage + a * (1 - coverage);
        r = (color[0] * coverage + r * a * (1 - coverage)) / outA;
        g = (color[1] * coverage + g * a * (1 - coverage)) / outA;
        b = (color[2] * coverage + b * a * (1 - coverage)) / outA;
        a = outA;
      }
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(r);
      rgba[i + 1] = Math.round(g);
      rgba[i + 2] = Math.round(b);
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}
/** Cuts `cut` out of `shape` (for template images, which are one colour). */
const minus = (shape, cut) => (x, y) => shape(x, y) && !cut(x, y);

const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];
const BLUE = [37, 99, 235];
const GREEN = [22, 163, 74];
const RED = [220, 38, 38];
const body = disc(0.5, 0.5, 0.47);

const trayStates = {
  idle: [
    { shape: body, color: BLUE },
    { shape: playArrow, color: WHITE },
  ],
  running: [
    { shape: body, color: GREEN },
    { shape: ring(0.5, 0.5, 0.3, 0.37), color: WHITE },
    { shape: triangle(0.43, 0.36, 0.43, 0.64, 0.65, 0.5), color: WHITE },
  ],
  failure: [
    { shape: body, color: RED },
    { shape: exclamation, color: WHITE },
  ],
};
const templateStates = {
  tray: [{ shape: minus(body, playArrow), color: BLACK }],
  trayRunning: [
    {
      shape: minus(
        body,
        (x, y) =>
          ring(0.5, 0.5, 0.3, 0.37)(x, y) || triangle(0.43, 0.36, 0.43, 0.64, 0.65, 0.5)(x, y),
      ),
      color: BLACK,
    },
  ],
  trayFailure: [{ shape: minus(body, exclamation), color: BLACK }],
};

function write(name, bytes) {
  writeFileSync(join(outDir, name), bytes);
  console.log(`${join(outDir, name)} (${bytes.length} bytes)`);
}

mkdirSync(outDir, { recursive: true });
for (const [state, layers] of Object.entries(trayStates)) {
  const images = [16, 32].map((size) => ({ size, png: encodePng(size, paint(size, layers)) }));
  write(`tray-${state}.png`, images[0].png);
  write(`tray-${state}@2x.png`, images[1].png);
  write(`tray-${state}.ico`, encodeIco(images));
}
for (const [name, layers] of Object.entries(templateStates)) {
  // macOS menu bar icons are 16 pt (16 px and 32 px @2x) and must be named *Template.
  write(`${name}Template.png`, encodePng(16, paint(16, layers)));
  write(`${name}Template@2x.png`, encodePng(32, paint(32, layers)));
}
const appIcon = [
  { shape: roundedRect(0.06, 0.06, 0.94, 0.94, 0.2), color: BLUE },
  { shape: triangle(0.38, 0.25, 0.38, 0.75, 0.78, 0.5), color: WHITE },
];
write('icon.png', encodePng(512, paint(512, appIcon)));
write(
  'icon.ico',
  encodeIco(
    [16, 32, 48, 256].map((size) => ({ size, png: encodePng(size, paint(size, appIcon)) })),
  ),
);
