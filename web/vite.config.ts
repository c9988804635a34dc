// Dev server proxies the cloud API and the Socket.IO stream so the app stays same-origin (cookie auth).
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const cloudOrigin = 'http://127.0.0.1:8080';
// Pin the root to this folder so `vite build --config web/vite.config.ts` from the workspace also writes web/dist.
const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: webRoot,
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: cloudOrigin, changeOrigin: true },
      '/socket.io': { target: cloudOrigin, ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: cloudOrigin, changeOrigin: true },
      '/socket.io': { target: cloudOrigin, ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
