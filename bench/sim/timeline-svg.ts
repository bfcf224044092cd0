import type { WireRecord } from './network.ts'
import type { SessionResult } from './session.ts'

const COLORS = {
  POST: '#2563eb',
  GET: '#ea580c',
  lost: '#dc2626',
  fresh: '#16a34a',
  edit: '#64748b',
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;')

/** Packs overlapping requests into rows, first fit, so concurrency shows as height. */
function rows(requests: WireRecord[], end: number): number[] {
  const free: number[] = []
  return requests.map((r) => {
    let row = free.findIndex((until) => until <= r.sentAt)
    if (row < 0) row = free.push(0) - 1
    free[row] = r.endAt ?? end
    return row
  })
}

/** A hand-written SVG of the editing session: one lane per contender, one bar per request. */
export function timelineSvg(results: SessionResult[], title: string, gap: number): string {
  const left = 150
  const width = 960
  const plot = width - left - 20
  const last = results[0]!.lastEdit
  const end =
    Math.ceil(
      Math.max(
        ...results.flatMap((r) => [r.freshAt ?? 0, ...r.requests.map((q) => q.endAt ?? 0)]),
        last + 600,
      ) / 500,
    ) * 500
  const x = (t: number) => left + (t / end) * plot
  const bar = 3
  const out: string[] = []
  let y = 48
  // Edits: one tick each.
  out.push(`<text x="${left - 8}" y="${y + 8}" text-anchor="end" class="lane">edits</text>`)
  for (let t = 0; t <= last; t += gap)
    out.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 10}" stroke="${COLORS.edit}" stroke-width="0.6"/>`,
    )
  y += 24
  const top = y
  for (const r of results) {
    const row = rows(r.requests, end)
    const height = Math.max(24, (Math.max(0, ...row) + 1) * (bar + 1) + 8)
    out.push(
      `<rect x="${left}" y="${y}" width="${plot}" height="${height}" fill="#f8fafc" stroke="#e2e8f0"/>`,
    )
    out.push(
      `<text x="${left - 8}" y="${y + 14}" text-anchor="end" class="lane">${esc(r.name)}</text>`,
    )
    out.push(
      `<text x="${left - 8}" y="${y + 27}" text-anchor="end" class="small">${r.sent} requests</text>`,
    )
    r.requests.forEach((q, i) => {
      const color =
        q.outcome === 'lost' ? COLORS.lost : q.method === 'GET' ? COLORS.GET : COLORS.POST
      const x1 = x(q.sentAt)
      const w = Math.max(0.8, x(q.endAt ?? end) - x1)
      const opacity = q.outcome === 'aborted' ? 0.35 : 0.9
      out.push(
        `<rect x="${x1.toFixed(1)}" y="${y + 4 + row[i]! * (bar + 1)}" width="${w.toFixed(1)}" height="${bar}" fill="${color}" fill-opacity="${opacity}"/>`,
      )
    })
    if (r.freshAt !== undefined) {
      const fx = x(r.freshAt).toFixed(1)
      out.push(
        `<line x1="${fx}" x2="${fx}" y1="${y}" y2="${y + height}" stroke="${COLORS.fresh}" stroke-width="2"/>`,
      )
      out.push(
        `<text x="${(x(r.freshAt) + 4).toFixed(1)}" y="${y + height - 4}" class="fresh">fresh +${r.freshAt - r.lastEdit} ms</text>`,
      )
    } else {
      out.push(
        `<text x="${(x(last) + 6).toFixed(1)}" y="${y + height - 4}" class="never">never fresh${r.finalCorrect ? '' : ', save lost'}</text>`,
      )
    }
    y += height + 6
  }
  const lx = x(last).toFixed(1)
  out.push(
    `<line x1="${lx}" x2="${lx}" y1="${top - 30}" y2="${y}" stroke="#0f172a" stroke-dasharray="4 3"/>`,
  )
  out.push(`<text x="${lx}" y="${top - 34}" text-anchor="middle" class="small">last edit</text>`)
  for (let t = 0; t <= end; t += 500) {
    out.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 4}" stroke="#334155"/>`,
    )
    out.push(
      `<text x="${x(t).toFixed(1)}" y="${y + 16}" text-anchor="middle" class="small">${t / 1000} s</text>`,
    )
  }
  y += 30
  const legend = [
    [COLORS.POST, 'POST (save)'],
    [COLORS.GET, 'GET (statistics)'],
    [COLORS.lost, 'lost (offline)'],
    [COLORS.fresh, 'panel shows the final state'],
  ]
  legend.forEach(([color, label], i) => {
    const lx2 = left + i * 190
    out.push(`<rect x="${lx2}" y="${y - 8}" width="14" height="8" fill="${color}"/>`)
    out.push(`<text x="${lx2 + 20}" y="${y}" class="small">${label}</text>`)
  })
  out.push(`<text x="${left + 4 * 190 - 20}" y="${y}" class="small">faded: aborted</text>`)
  y += 14
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${y}" width="${width}" height="${y}" font-family="system-ui, sans-serif" role="img" aria-label="${esc(title)}">`,
    '<style>.lane{font-size:13px;fill:#0f172a}.small{font-size:11px;fill:#334155}.fresh{font-size:11px;fill:#15803d;font-weight:600}.never{font-size:11px;fill:#b91c1c;font-weight:600}.title{font-size:15px;font-weight:600;fill:#0f172a}</style>',
    `<rect width="${width}" height="${y}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" class="title">${esc(title)}</text>`,
    ...out,
    '</svg>',
    '',
  ].join('\n')
}
