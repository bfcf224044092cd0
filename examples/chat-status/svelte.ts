/**
 * "Chat status" with Svelte 5: mounts ChatStatus.svelte and plays the session. Run it with
 * `node --conditions=browser --import tsx --import ./scripts/svelte-register.mjs
 * examples/chat-status/svelte.ts` (`npm run examples` does): Svelte's DOM build is its browser
 * export, and Node needs a hook to compile .svelte files, as a bundler's Svelte plugin would.
 */
import './dom.ts'
import { mount, unmount } from 'svelte'
import ChatStatus from './ChatStatus.svelte'
import { runScenario } from './scenario.ts'

await runScenario('Svelte', (root, queue, api) => {
  const app = mount(ChatStatus, { target: root, props: { queue, api } })
  return () => {
    unmount(app)
  }
})
