import { defineConfig } from 'vite';

/**
 * The web app (web/): a static SPA. `base: './'` makes every asset URL relative, so one build
 * works under /app/ on the local server and at the root of the CloudFront site in AWS.
 * Build: `npm run build:web` (or `npm start`, which builds when web/ changed).
 */
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
