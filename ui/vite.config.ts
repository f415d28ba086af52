import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is served only from the app bundle: no dev server URL is configured in Tauri, every
// asset is emitted into dist/ and loaded from 'self' under the app's strict CSP.
export default defineConfig({
  plugins: [svelte()],
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
