// Copies the Simplified Chinese face of Noto Sans CJK out of the system font collection
// (Debian's fonts-noto-cjk ships only .ttc collections) into public/fonts/ as a standalone
// OpenType file, so the app bundles its CJK font and never depends on the reader's system.
// The font (about 16 MB) is generated at build time, never committed.
//
// A collection is a header listing several fonts whose tables may be shared; a standalone font
// is one table directory followed by its tables. This writes the chosen font's directory with
// new offsets and copies each table's bytes unchanged (so each table checksum still holds),
// then recomputes the whole-font checksum adjustment in `head`.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.env.VETTED_CJK_TTC ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const FAMILY = 'Noto Sans CJK SC';
const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'public', 'fonts', 'NotoSansCJKsc-Regular.otf');

function fail(message) {
  console.error(`bundle-cjk-font: ${message}`);
  process.exit(1);
}

if (!existsSync(SOURCE)) fail(`${SOURCE} is missing: install the Debian package fonts-noto-cjk (scripts/setup-system.sh)`);
const ttc = readFileSync(SOURCE);
if (ttc.toString('latin1', 0, 4) !== 'ttcf') fail(`${SOURCE} is not a font collection`);

function tables(offset) {
  const count = ttc.readUInt16BE(offset + 4);
  const list = [];
  for (let i = 0; i < count; i++) {
    const at = offset + 12 + i * 16;
    list.push({
      tag: ttc.toString('latin1', at, at + 4),
      checksum: ttc.readUInt32BE(at + 4),
      offset: ttc.readUInt32BE(at + 8),
      length: ttc.readUInt32BE(at + 12),
    });
  }
  return list;
}

/** The full names (name ID 4) a font declares, from its Windows Unicode name records. */
function fullNames(offset) {
  const name = tables(offset).find((t) => t.tag === 'name');
  if (!name) return [];
  const count = ttc.readUInt16BE(name.offset + 2);
  const strings = name.offset + ttc.readUInt16BE(name.offset + 4);
  const names = [];
  for (let i = 0; i < count; i++) {
    const r = name.offset + 6 + i * 12;
    const [platform, , , nameId, length, at] = [0, 2, 4, 6, 8, 10].map((d) => ttc.readUInt16BE(r + d));
    if (platform !== 3 || nameId !== 4) continue;
    const bytes = Buffer.from(ttc.subarray(strings + at, strings + at + length));
    names.push(bytes.swap16().toString('utf16le'));
  }
  return names;
}

const fontCount = ttc.readUInt32BE(8);
let chosen = null;
for (let i = 0; i < fontCount && chosen === null; i++) {
  const offset = ttc.readUInt32BE(12 + i * 4);
  if (fullNames(offset).some((n) => n === `${FAMILY} Regular` || n === FAMILY)) chosen = offset;
}
if (chosen === null) fail(`${SOURCE} has no "${FAMILY}" face`);

const list = tables(chosen).sort((a, b) => (a.tag < b.tag ? -1 : 1));
const headerLength = 12 + list.length * 16;
let size = headerLength;
const placed = list.map((t) => {
  const at = size;
  size += (t.length + 3) & ~3;
  return { ...t, newOffset: at };
});
const out = Buffer.alloc(size);
ttc.copy(out, 0, chosen, chosen + 12); // sfnt version, table count, search fields
placed.forEach((t, i) => {
  const at = 12 + i * 16;
  out.write(t.tag, at, 'latin1');
  out.writeUInt32BE(t.checksum, at + 4);
  out.writeUInt32BE(t.newOffset, at + 8);
  out.writeUInt32BE(t.length, at + 12);
  ttc.copy(out, t.newOffset, t.offset, t.offset + t.length);
});
const head = placed.find((t) => t.tag === 'head');
if (!head) fail('the font has no head table');
out.writeUInt32BE(0, head.newOffset + 8);
let sum = 0;
for (let i = 0; i < out.length; i += 4) sum = (sum + out.readUInt32BE(i)) >>> 0;
out.writeUInt32BE((0xb1b0afba - sum) >>> 0, head.newOffset + 8);

mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, out);
console.log(`bundle-cjk-font: ${FAMILY} → ${target} (${(out.length / 1e6).toFixed(1)} MB)`);
