import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The demo imports the library from its source, so it runs on a fresh clone without a build.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: { 'fetch-queue': fileURLToPath(new URL('../../src/index.ts', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
})
