import type { Stop } from '../../server/route.ts'

// A fixed 800 × 560 view of central Berlin with equal scale on both axes (1° of longitude is
// cos(52.5°) ≈ 0.61 of a degree of latitude there).
const NORTH = 52.545
const SOUTH = 52.505
const WEST = 13.345
const EAST = 13.4388
const W = 800
const H = 560
const SVG = 'http://www.w3.org/2000/svg'

const round6 = (n: number) => Math.round(n * 1e6) / 1e6
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n))

export const toPoint = (s: Pick<Stop, 'lat' | 'lng'>) => ({
  x: ((s.lng - WEST) / (EAST - WEST)) * W,
  y: ((NORTH - s.lat) / (NORTH - SOUTH)) * H,
})

export const toLatLng = (x: number, y: number) => ({
  lat: round6(NORTH - (clamp(y, 0, H) / H) * (NORTH - SOUTH)),
  lng: round6(WEST + (clamp(x, 0, W) / W) * (EAST - WEST)),
})

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const node = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  return node
}

export interface MapHandlers {
  add(lat: number, lng: number): void
  move(id: string, lat: number, lng: number): void
}

export interface RouteMap {
  render(stops: readonly Stop[]): void
}

export function createMap(svg: SVGSVGElement, handlers: MapHandlers): RouteMap {
  const markers = svg.querySelector<SVGGElement>('.markers')!
  const line = svg.querySelector<SVGPolylineElement>('.route')!
  drawBackdrop(svg.querySelector<SVGGElement>('.backdrop')!)

  const local = (e: PointerEvent) => {
    const box = svg.getBoundingClientRect()
    return {
      x: ((e.clientX - box.left) / box.width) * W,
      y: ((e.clientY - box.top) / box.height) * H,
    }
  }

  let dragging: { id: string; pointer: number } | undefined
  // After a drag the browser sends `click` to the svg (the common ancestor under pointer capture).
  let pressedMarker = false
  svg.addEventListener('pointerdown', (e) => {
    const marker = (e.target as Element).closest<SVGGElement>('[data-stop-id]')
    pressedMarker = !!marker
    if (!marker) return
    e.preventDefault()
    dragging = { id: marker.dataset.stopId!, pointer: e.pointerId }
    svg.setPointerCapture(e.pointerId)
    marker.classList.add('dragging')
  })
  // Every pointer move is a save: the queue replaces the pending one, so this costs a few requests.
  svg.addEventListener('pointermove', (e) => {
    if (!dragging || e.pointerId !== dragging.pointer) return
    const { x, y } = local(e)
    const { lat, lng } = toLatLng(x, y)
    handlers.move(dragging.id, lat, lng)
  })
  const end = (e: PointerEvent) => {
    if (!dragging || e.pointerId !== dragging.pointer) return
    svg.releasePointerCapture(e.pointerId)
    dragging = undefined
    for (const m of markers.querySelectorAll('.dragging')) m.classList.remove('dragging')
  }
  svg.addEventListener('pointerup', end)
  svg.addEventListener('pointercancel', end)
  svg.addEventListener('click', (e) => {
    if (pressedMarker || (e.target as Element).closest('[data-stop-id]')) return
    const box = svg.getBoundingClientRect()
    const { lat, lng } = toLatLng(
      ((e.clientX - box.left) / box.width) * W,
      ((e.clientY - box.top) / box.height) * H,
    )
    handlers.add(lat, lng)
  })

  const nodes = new Map<string, SVGGElement>()
  return {
    render(stops) {
      line.setAttribute(
        'points',
        stops
          .map((s) => {
            const p = toPoint(s)
            return `${p.x.toFixed(1)},${p.y.toFixed(1)}`
          })
          .join(' '),
      )
      const seen = new Set<string>()
      stops.forEach((s, i) => {
        seen.add(s.id)
        let g = nodes.get(s.id)
        if (!g) {
          g = el('g', {
            class: 'marker',
            'data-testid': 'stop-marker',
            'data-stop-id': s.id,
            tabindex: -1,
          })
          g.append(
            el('circle', { r: 11 }),
            el('text', { class: 'num', 'text-anchor': 'middle', dy: 4 }),
            el('text', { class: 'name', x: 16, dy: 4 }),
          )
          nodes.set(s.id, g)
        }
        const p = toPoint(s)
        g.setAttribute('transform', `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`)
        g.querySelector('.num')!.textContent = String(i + 1)
        g.querySelector('.name')!.textContent = s.name
        markers.append(g) // keeps DOM order = route order
      })
      for (const [id, g] of nodes) {
        if (!seen.has(id)) {
          g.remove()
          nodes.delete(id)
        }
      }
    },
  }
}

/** A few streets, a river and a park, so the map reads as a map. */
function drawBackdrop(g: SVGGElement) {
  g.append(el('rect', { class: 'land', width: W, height: H }))
  g.append(el('path', { class: 'park', d: 'M40 430 L250 410 L270 520 L60 545 Z' }))
  g.append(el('path', { class: 'park', d: 'M560 40 L700 30 L720 120 L590 140 Z' }))
  g.append(
    el('path', {
      class: 'river',
      d: 'M-10 300 C 80 280, 150 330, 240 320 S 380 260, 470 300 S 620 380, 700 360 S 790 330, 820 345',
    }),
  )
  const streets = [
    'M0 120 L800 90',
    'M0 210 L800 200',
    'M0 400 L800 440',
    'M0 500 L800 470',
    'M120 0 L150 560',
    'M300 0 L280 560',
    'M470 0 L500 560',
    'M650 0 L620 560',
    'M0 0 L420 560',
    'M800 60 L380 560',
  ]
  for (const d of streets) g.append(el('path', { class: 'street', d }))
}
