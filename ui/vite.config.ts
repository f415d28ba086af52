import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** Emits pdf.js's character maps and standard font data into dist/pdfjs/, so pages whose
 * fonts are not embedded (Chinese in STSong-Light, Helvetica) render from the bundle, never
 * from the network or the reader's system. pdf.js loads them by URL, relative to the page. */
function pdfjsData(): Plugin {
  const root = join(import.meta.dirname, 'node_modules', 'pdfjs-dist');
  return {
    name: 'vetted-pdfjs-data',
    apply: 'build',
    generateBundle() {
      for (const folder of ['cmaps', 'standard_fonts']) {
        for (const name of readdirSync(join(root, folder)).sort()) {
          const source = readFileSync(join(root, folder, name));
          this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source });
        }
      }
    },
  };
}

// The UI is served only from the app bundle: no dev server URL is configured in Tauri, every
// asset is emitted into dist/ and loaded from 'self' under the app's strict CSP.
export default defineConfig({
  plugins: [svelte(), pdfjsData()],
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari15',
    // Fonts stay separate files instead of base64 data: URLs inside the CSS.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
