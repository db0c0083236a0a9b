import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build goes to web/dist, which medchaind serves at / (medchain dev --web-root).
// `npm run dev` proxies the API to a node on MEDCHAIN_NODE (default http://127.0.0.1:8080).
const node = process.env.MEDCHAIN_NODE ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  server: {
    proxy: { '/v1': { target: node, ws: true }, '/healthz': node, '/readyz': node },
  },
  test: { include: ['src/**/*.test.{js,jsx}'], environment: 'node', testTimeout: 30000 },
});
