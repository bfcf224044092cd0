import type { Knobs, ServerRecord } from '../../examples/server/server.ts'

/** The demo API's control endpoints, served by the same Vite server as the tests. */
export async function knobs(body: Knobs) {
  const response = await fetch('/__control/knobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`knobs: ${response.status}`)
}

export async function record(project: string): Promise<ServerRecord> {
  return (await fetch(`/__control/record?project=${project}`)).json()
}

let n = 0
export const newProject = (label: string) => `${label}-${Date.now().toString(36)}-${++n}`

export const body = (rev: number) => ({
  rev,
  stops: [{ id: `s${rev}`, name: `Stop ${rev}`, lat: 52.52, lng: 13.4 }],
})
