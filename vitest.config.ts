import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

// React 18 lives in its own workspace (see test/bindings/react-18/package.json): the React tests
// run once against the root's React 19 and once with react and react-dom pointed there.
const react18 = fileURLToPath(new URL('./test/bindings/react-18/node_modules/', import.meta.url))
const testingLibrary = fileURLToPath(
  new URL(
    './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
    import.meta.url,
  ),
)

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/browser/**', 'test/bindings/**'],
          environment: 'node',
          setupFiles: ['test/setup.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        plugins: [svelte({ configFile: false })],
        // Svelte, Vue and Solid export their DOM builds under the browser condition.
        resolve: { conditions: ['browser'] },
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'bindings',
          include: ['test/bindings/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/setup.ts'],
        },
      },
      {
        esbuild: { jsx: 'automatic' },
        resolve: {
          alias: [
            { find: /^(react|react-dom)(\/.*)?$/, replacement: `${react18}$1$2` },
            // Its ES build, inlined below, so its own imports of react and react-dom take the
            // alias too (Node would resolve its CommonJS build's requires to the root's React 19).
            { find: /^@testing-library\/react$/, replacement: testingLibrary },
          ],
        },
        test: {
          name: 'bindings-react-18',
          include: ['test/bindings/react*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/setup.ts'],
          server: { deps: { inline: [/@testing-library\/react/] } },
        },
      },
    ],
  },
})
