/**
 * Renders build/icon.svg, the one source image, into every icon the
 * installers need, and writes them beside it (they are committed, so
 * packaging needs no image tools):
 *
 *   build/icon.png             1024×1024, what electron-builder falls back to
 *   build/icons/NxN.png        16…1024, the Linux icon theme sizes (AppImage, deb, rpm)
 *   build/icon.ico             Windows: 16, 24, 32, 48, 64, 128, 256 (PNG entries)
 *   build/icon.icns            macOS: 16…1024 with @2x (PNG entries)
 *
 * Each size is rendered from the vector at that size (not scaled down from
 * the largest), in Chromium through Playwright. Run: `npx tsx scripts/make-icons.ts`.
 */
import { chromium } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from '../test/support/chromium.ts';

const buildDir = fileURLToPath(new URL('../build/', import.meta.url));
const source = path.join(buildDir, 'icon.svg');

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types holding PNG data, by pixel size (the @2x types share sizes with the larger 1x ones). */
const ICNS_TYPES: Array<[type: string, size: number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic13', 256], // 128@2x
  ['ic14', 512], // 256@2x
];

/** A Windows .ico whose entries are PNG images (Vista and later read them at every size). */
export function icoFile(images: ReadonlyMap<number, Buffer>): Buffer {
  const entries = [...images].sort(([a], [b]) => a - b);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(entries.length, 4);
  const directory = Buffer.alloc(16 * entries.length);
  let offset = header.length + directory.length;
  entries.forEach(([size, png], i) => {
    const at = 16 * i;
    directory.writeUInt8(size >= 256 ? 0 : size, at); // width, 0 means 256
    directory.writeUInt8(size >= 256 ? 0 : size, at + 1); // height
    directory.writeUInt8(0, at + 2); // no palette
    directory.writeUInt8(0, at + 3); // reserved
    directory.writeUInt16LE(1, at + 4); // colour planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(png.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...entries.map(([, png]) => png)]);
}

/** A macOS .icns of PNG entries: 'icns', total length, then (type, length, data) per entry, lengths big-endian. */
export function icnsFile(images: ReadonlyMap<number, Buffer>): Buffer {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const png = images.get(size);
    if (!png) throw new Error(`no ${size}px image for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((sum, c) => sum + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

async function renderSizes(svg: string, sizes: readonly number[]): Promise<Map<number, Buffer>> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const rendered = new Map<number, Buffer>();
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent"><img src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      rendered.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return rendered;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const svg = await readFile(source, 'utf8');
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, size]) => size)])].sort((a, b) => a - b);
  const images = await renderSizes(svg, sizes);

  await mkdir(path.join(buildDir, 'icons'), { recursive: true });
  await writeFile(path.join(buildDir, 'icon.png'), images.get(1024)!);
  for (const size of LINUX_SIZES) await writeFile(path.join(buildDir, 'icons', `${size}x${size}.png`), images.get(size)!);
  await writeFile(path.join(buildDir, 'icon.ico'), icoFile(new Map(ICO_SIZES.map((size) => [size, images.get(size)!]))));
  await writeFile(path.join(buildDir, 'icon.icns'), icnsFile(images));
  console.log(`Wrote build/icon.png, build/icons/{${LINUX_SIZES.join(',')}}, build/icon.ico and build/icon.icns from build/icon.svg`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
