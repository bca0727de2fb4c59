import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run dev` expects the server (scripts/dev.mjs starts it there). */
const apiTarget = 'http://127.0.0.1:8080';

const config: UserConfig = {
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The server's CSP forbids inline script and style: keep every asset a file.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true, changeOrigin: false },
      // A RegExp key: a plain '/b' prefix would also swallow the viewer's own /bins/... routes.
      '^/b(/|$)': { target: apiTarget, changeOrigin: false },
    },
  },
};

export default defineConfig(({ command }) => {
  // vitest's global setup runs `vite build` with NODE_ENV=test inherited, which would ship React's development
  // build (and JSX compiled for it). Vite decides "production" from NODE_ENV after loading this file.
  if (command === 'build' && process.env.NODE_ENV === 'test') process.env.NODE_ENV = 'production';
  return config;
});
