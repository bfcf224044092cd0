import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// Served at /chat/ beside the route editor: `npm start` builds it into the editor's dist folder.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/chat/',
  build: { outDir: '../route-editor/dist/chat', emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
})
