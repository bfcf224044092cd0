// `node --import ./scripts/svelte-register.mjs`: lets Node import .svelte files (see svelte-loader.mjs).
import { register } from 'node:module'

register('./svelte-loader.mjs', import.meta.url)
