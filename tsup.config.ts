import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', watch: 'src/watch/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
  sourcemap: true,
})
