import { defineConfig } from 'tsup'

export default defineConfig({
  // Each add-on is its own subpath and its own file, so an app bundles only what it imports.
  entry: {
    index: 'src/index.ts',
    react: 'src/react.ts',
    vue: 'src/vue.ts',
    svelte: 'src/svelte.ts',
    testing: 'src/testing/index.ts',
    xhr: 'src/xhr.ts',
    watch: 'src/watch/index.ts',
    jobs: 'src/jobs/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
  sourcemap: true,
  // Internal fields (an item's, an attempt's, a callback one core module hands another) start with
  // `_` and go out as short names: property names are the one thing a user's minifier keeps.
  // Public and stored fields never start with `_`.
  esbuildOptions(options) {
    options.mangleProps = /^_/
    options.reserveProps = /^__.*__$/
  },
  // Optional peers: the app brings its own copy of the framework.
  external: ['react', 'vue', 'svelte'],
})
