import { describe, expect, it } from 'vitest'
import { API } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { flush } from '../support/tick.ts'
import { openPage } from './support/page.ts'
import { fakeApi } from './support/server.ts'
import { fakeStorage } from './support/storage.ts'

const url = (path: string) => `${API}${path}`

const SECRETS = {
  Authorization: 'Bearer SECRET-auth-7f3a',
  Cookie: 'session=SECRET-cookie-91bd',
  'X-CSRF-Token': 'SECRET-csrf-55e0',
  'X-XSRF-Token': 'SECRET-xsrf-0c1d',
  'Proxy-Authorization': 'Basic SECRET-proxy-2222',
}

describe('2.7 secrets', () => {
  it('2.7 credential headers never reach storage, in any form', async () => {
    const storage = fakeStorage()
    const page = openPage({ storage, online: fakeOnline(false) })
    page.queue.fetch(url('/stops'), { method: 'POST', headers: SECRETS, json: { a: 1 } })
    page.queue.fetch(url('/stops'), {
      method: 'PUT',
      headers: new Headers({ ...SECRETS, 'content-type': 'text/plain' }),
      body: 'b',
    })
    page.queue.fetch(new Request(url('/stops'), { method: 'PATCH', headers: SECRETS, body: 'c' }))
    await page.queue.ready
    await flush()
    expect(storage.data.size).toBe(3)
    const raw = [...storage.data].flat().join('\n')
    for (const value of Object.values(SECRETS)) expect(raw).not.toContain(value)
    expect(raw).not.toMatch(/SECRET/)
    // Non-secret headers are kept.
    expect(raw).toContain('text/plain')
  })

  it('2.7 redactHeaders extends the list', async () => {
    const storage = fakeStorage()
    const page = openPage({
      storage,
      spool: { redactHeaders: ['X-Api-Key'] },
      online: fakeOnline(false),
    })
    page.queue.fetch(url('/a'), { method: 'POST', headers: { 'x-api-key': 'SECRET-key' } })
    await page.queue.ready
    await flush()
    expect(storage.data.size).toBe(1)
    expect([...storage.data.values()].join()).not.toContain('SECRET')
  })

  it('2.7 beforeSend adds credentials at send time: the server sees them after a reload', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const first = openPage({ storage, online: fakeOnline(false) })
    first.queue.fetch(url('/stops'), { method: 'POST', headers: SECRETS, body: 'x' })
    await first.queue.ready
    first.queue.dispose()

    let token = 'fresh-token-1'
    const second = openPage({
      storage,
      queue: {
        beforeSend(request) {
          request.headers.set('authorization', `Bearer ${token}`)
          request.headers.set('x-csrf-token', 'csrf-now')
        },
      },
    })
    await second.queue.ready
    await second.queue.whenIdle()
    expect(api.received).toHaveLength(1)
    const { headers } = api.received[0]!
    expect(headers.authorization).toBe('Bearer fresh-token-1')
    expect(headers['x-csrf-token']).toBe('csrf-now')
    expect(headers.cookie).toBeUndefined()
    expect(headers['proxy-authorization']).toBeUndefined()

    // What beforeSend added is not stored either, even while the item is retried.
    token = 'SECRET-later'
    second.queue.fetch(url('/more'), { method: 'POST', body: 'y' })
    await flush()
    expect([...storage.data.values()].join()).not.toContain('SECRET')
  })
})
