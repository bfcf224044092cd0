import type { ChatMessage } from '../../server/chat.ts'
import { createQueue, localStorageSpool, watch } from './fetch-queue.ts'
import { conversation, type Outgoing, outgoing, type Row } from './view.ts'
import './style.css'

// ?room=ID picks the room; ?user=NAME the author (default: one per tab); ?baseDelay=&maxDelay=
// (ms) shorten the retry backoff for tests.
const params = new URLSearchParams(location.search)
const valid = (v: string | null) => (v && /^[\w-]{1,40}$/.test(v) ? v : undefined)
const room = valid(params.get('room')) ?? 'lobby'
const me =
  valid(params.get('user')) ??
  sessionStorage.getItem('chat:user') ??
  `guest-${crypto.randomUUID().slice(0, 4)}`
sessionStorage.setItem('chat:user', me)
const num = (name: string, fallback: number) => {
  const v = Number(params.get(name))
  return params.has(name) && Number.isFinite(v) && v >= 0 ? v : fallback
}

// One lane for this room: messages go out one at a time, in the order they were written. A
// rejected one parks the lane (onFailure: 'pause') until the user retries it or gives up on it,
// so nothing written after it can overtake it. The spool keeps the outbox across reloads.
const queue = createQueue({
  spool: localStorageSpool({ key: `chat:${me}:${room}` }),
  onFailure: 'pause',
  retry: { baseDelay: num('baseDelay', 1000), maxDelay: num('maxDelay', 10_000) },
  beforeSend(request) {
    request.headers.set('x-tab', me)
  },
})
const base = `/rooms/${encodeURIComponent(room)}`

// Everyone's messages, pushed by the server. The watch reconnects by itself with Last-Event-ID,
// so a dropped connection neither loses a message nor shows one twice. It has a queue of its own:
// in the outbox's queue a reconnect would wait behind a message parked as "not sent", and other
// people's messages would stop arriving until the user answered. (Once the queue has lanes, this
// is `lane: 'feed'` on the one queue.)
const incoming = createQueue({ retry: { baseDelay: num('baseDelay', 1000) } })
const feed = watch<ChatMessage[]>(incoming, `${base}/events`, {
  reduce: (all = [], event) => (event.type === 'message' ? [...all, JSON.parse(event.data)] : all),
})

// Sent, but not echoed by the stream yet: without this the message would blink out of view.
const delivered: Outgoing[] = []
queue.on('sent', ({ item }) => {
  const m = outgoing(item)
  if (m) delivered.push(m)
  render()
})

function send(text: string) {
  const message: Outgoing = { id: crypto.randomUUID(), author: me, text }
  queue.fetch(`${base}/messages`, {
    method: 'POST',
    json: message,
    // The message's id is its idempotency key: a resend after a lost answer is applied once.
    idempotencyKey: message.id,
    meta: { chat: { ...message } },
  })
  render()
}

const root = document.querySelector<HTMLElement>('[data-testid="chat"]')!
const list = root.querySelector<HTMLOListElement>('[data-testid="messages"]')!
const status = root.querySelector<HTMLElement>('[data-testid="outbox-status"]')!
const feedStatus = root.querySelector<HTMLElement>('[data-testid="feed-status"]')!
root.querySelector('[data-testid="room"]')!.textContent = room
root.querySelector('[data-testid="me"]')!.textContent = me
// A new tab would copy this tab's sessionStorage, and so its user: give it a name of its own.
root.querySelector<HTMLAnchorElement>('[data-testid="other-tab"]')!.href =
  `?room=${room}&user=guest-${crypto.randomUUID().slice(0, 4)}`

function row(r: Row): HTMLLIElement {
  const li = document.createElement('li')
  li.dataset.testid = 'message'
  li.dataset.id = r.id
  li.dataset.state = r.state
  li.className = `${r.mine ? 'mine' : 'theirs'} ${r.state}`
  const label = { sending: 'sending…', sent: 'sent', 'not-sent': 'not sent' }[r.state]
  li.innerHTML = `<span class="author"></span><span class="text" data-testid="message-text"></span><span class="state" data-testid="message-state"></span>`
  li.querySelector('.author')!.textContent = r.mine ? 'you' : r.author
  li.querySelector('.text')!.textContent = r.text
  li.querySelector('.state')!.textContent = r.mine ? label : ''
  if (r.state === 'not-sent' && r.item) {
    const id = r.item
    const why = document.createElement('span')
    why.className = 'why'
    why.textContent = r.error ?? ''
    const actions = document.createElement('span')
    actions.className = 'actions'
    actions.append(
      button('Retry', 'retry', () => queue.retry(id)),
      button('Give up', 'give-up', () => queue.discard(id), 'secondary'),
    )
    li.append(why, actions)
  }
  return li
}

function button(text: string, testid: string, onClick: () => void, kind = '') {
  const b = document.createElement('button')
  b.type = 'button'
  b.textContent = text
  b.dataset.testid = testid
  b.className = kind
  b.addEventListener('click', onClick)
  return b
}

function render() {
  const snapshot = queue.getSnapshot()
  const { data = [], status: live, error } = feed.getSnapshot()
  const rows = conversation(data, delivered, snapshot.items, me)
  list.replaceChildren(...rows.map(row))
  const waiting = rows.filter((r) => r.state !== 'sent').length
  status.textContent = !snapshot.online
    ? `Offline — ${waiting} message${waiting === 1 ? '' : 's'} will be sent when you are back`
    : rows.some((r) => r.state === 'not-sent')
      ? 'A message was not sent: retry it or give up on it; later ones wait behind it'
      : ''
  feedStatus.dataset.status = live
  feedStatus.textContent = live === 'live' ? 'live' : error ? `${live}: ${error.message}` : live
  if (live === 'live') root.dataset.loaded = 'true'
  list.lastElementChild?.scrollIntoView({ block: 'nearest' })
}

queue.subscribe(render)
feed.subscribe(render)

const form = root.querySelector<HTMLFormElement>('[data-testid="compose"]')!
const input = root.querySelector<HTMLInputElement>('[data-testid="compose-text"]')!
form.addEventListener('submit', (e) => {
  e.preventDefault()
  const text = input.value.trim()
  if (!text) return
  send(text)
  input.value = ''
})

// The demo server's knobs, to see the outbox at work.
const knobs = (body: object) =>
  fetch('/__control/knobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ project: room, ...body }),
  })
const down = root.querySelector<HTMLInputElement>('[data-testid="knob-down"]')!
down.addEventListener('change', () => knobs({ down: down.checked }))
root
  .querySelector('[data-testid="knob-drop-streams"]')!
  .addEventListener('click', () => knobs({ dropStreams: true }))
for (const b of root.querySelectorAll<HTMLButtonElement>('[data-fail]'))
  b.addEventListener('click', () => knobs({ fail: { mode: b.dataset.fail, retryAfter: 2 } }))

render()
