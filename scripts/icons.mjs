// Renders the application icon from resources/build/icon.svg into every size the installers need (issue 17):
// icon.png (1024 px, electron-builder's source), icon.ico (Windows and NSIS: 16–256 px) and icons/NxN.png
// (Linux: AppImage, deb, rpm). The outputs are committed, so packaging needs none of the tools this script uses:
// rsvg-convert (Debian: librsvg2-bin) and ImageMagick's convert. Run: node scripts/icons.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'build');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const svg = path.join(dir, 'icon.svg');
const png = (size, out) => execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-o', out, svg]);

png(1024, path.join(dir, 'icon.png'));
fs.mkdirSync(path.join(dir, 'icons'), { recursive: true });
for (const size of LINUX_SIZES) png(size, path.join(dir, 'icons', `${size}x${size}.png`));
const icoParts = ICO_SIZES.map((size) => path.join(dir, 'icons', `${size}x${size}.png`));
execFileSync('convert', [...icoParts, path.join(dir, 'icon.ico')]);
process.stdout.write(`Icons written to ${dir}\n`);
