/** The demo's domain: a bus route is an ordered list of stops. Pure functions, shared by server and page. */

export interface Stop {
  id: string
  name: string
  lat: number
  lng: number
}

export interface RouteStats {
  stopCount: number
  /** One way, along the stops in order. */
  lengthKm: number
  /** Euros per day: 48 round trips at 3.10 €/km, plus 12 € per stop. */
  costPerDay: number
  /** The editor's revision that produced this state. */
  rev: number
}

export const MAX_STOPS = 200

const EARTH_KM = 6371

function distanceKm(a: Stop, b: Stop): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)))
}

export function routeStats(stops: readonly Stop[], rev: number): RouteStats {
  let km = 0
  for (let i = 1; i < stops.length; i++) km += distanceKm(stops[i - 1]!, stops[i]!)
  const lengthKm = Math.round(km * 1000) / 1000
  const costPerDay = Math.round(lengthKm * 2 * 48 * 3.1 + stops.length * 12)
  return { stopCount: stops.length, lengthKm, costPerDay, rev }
}

/** Validates an untrusted `{ stops, rev }` body. Returns an error message, or the parsed value. */
export function parseStopsBody(value: unknown): { stops: Stop[]; rev: number } | string {
  if (typeof value !== 'object' || value === null) return 'body must be an object'
  const { stops, rev } = value as { stops?: unknown; rev?: unknown }
  if (!Number.isSafeInteger(rev) || (rev as number) < 0) return '`rev` must be an integer ≥ 0'
  if (!Array.isArray(stops)) return '`stops` must be an array'
  if (stops.length > MAX_STOPS) return `at most ${MAX_STOPS} stops`
  const ids = new Set<string>()
  const out: Stop[] = []
  for (const [i, s] of stops.entries()) {
    const { id, name, lat, lng } = (s ?? {}) as Partial<Stop>
    if (typeof id !== 'string' || id.length === 0 || id.length > 64)
      return `stops[${i}].id must be a short string`
    if (ids.has(id)) return `stops[${i}].id is a duplicate`
    if (typeof name !== 'string' || name.length > 80) return `stops[${i}].name must be a string`
    if (typeof lat !== 'number' || !(lat >= -90 && lat <= 90))
      return `stops[${i}].lat must be in [-90, 90]`
    if (typeof lng !== 'number' || !(lng >= -180 && lng <= 180))
      return `stops[${i}].lng must be in [-180, 180]`
    ids.add(id)
    out.push({ id, name, lat, lng })
  }
  return { stops: out, rev: rev as number }
}

/** The route every new project starts with, so the demo opens on something to edit. */
export const SEED_STOPS: readonly Stop[] = [
  { id: 's1', name: 'Hauptbahnhof', lat: 52.5251, lng: 13.3694 },
  { id: 's2', name: 'Invalidenpark', lat: 52.5289, lng: 13.3785 },
  { id: 's3', name: 'Nordbahnhof', lat: 52.5318, lng: 13.3886 },
  { id: 's4', name: 'Rosenthaler Platz', lat: 52.5296, lng: 13.4015 },
  { id: 's5', name: 'Alexanderplatz', lat: 52.5219, lng: 13.4132 },
]
