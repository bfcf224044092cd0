import type { WireRecord } from './network.ts'
import type { SessionResult } from './session.ts'

const COLORS = {
  POST: '#2563eb',
  GET: '#ea580c',
  lost: '#dc2626',
  fresh: '#16a34a',
  edit: '#64748b',
}
const LEFT = 150
const WIDTH = 960
const PLOT = WIDTH - LEFT - 90
const BAR = 3

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;')

/** Packs requests into rows, first fit; back-to-back requests go to different rows so each shows. */
function rows(requests: WireRecord[], end: number, gap: number): number[] {
  const free: number[] = []
  return requests.map((r) => {
    let row = free.findIndex((until) => until + gap < r.sentAt)
    if (row < 0) row = free.push(0) - 1
    free[row] = r.endAt ?? end
    return row
  })
}

/** One panel: a time axis from `from` to `to`, one lane per contender. */
function panel(
  results: SessionResult[],
  from: number,
  to: number,
  gap: number,
  top: number,
  title: string,
): { out: string[]; height: number } {
  const x = (t: number) => LEFT + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * PLOT
  const last = results[0]!.lastEdit
  const out: string[] = [`<text x="${LEFT}" y="${top + 14}" class="title">${esc(title)}</text>`]
  let y = top + 34
  out.push(`<text x="${LEFT - 8}" y="${y + 8}" text-anchor="end" class="lane">edits</text>`)
  for (let t = 0; t <= last; t += gap)
    if (t >= from && t <= to)
      out.push(
        `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 10}" stroke="${COLORS.edit}" stroke-width="0.6"/>`,
      )
  y += 22
  const lanesTop = y
  // A gap of 1.5 px between two requests in one row, in milliseconds.
  const pxMs = (1.5 * (to - from)) / PLOT
  for (const r of results) {
    const visible = r.requests.filter((q) => (q.endAt ?? to) >= from && q.sentAt <= to)
    const row = rows(visible, to, pxMs)
    const height = Math.max(28, (Math.max(0, ...row) + 1) * (BAR + 1) + 8)
    out.push(
      `<rect x="${LEFT}" y="${y}" width="${PLOT}" height="${height}" fill="#f8fafc" stroke="#e2e8f0"/>`,
    )
    out.push(
      `<text x="${LEFT - 8}" y="${y + 14}" text-anchor="end" class="lane">${esc(r.name)}</text>`,
    )
    out.push(
      `<text x="${LEFT - 8}" y="${y + 27}" text-anchor="end" class="small">${r.sent} requests</text>`,
    )
    visible.forEach((q, i) => {
      const color =
        q.outcome === 'lost' ? COLORS.lost : q.method === 'GET' ? COLORS.GET : COLORS.POST
      const x1 = x(q.sentAt)
      const w = Math.max(0.8, x(q.endAt ?? to) - x1)
      const opacity = q.outcome === 'aborted' ? 0.35 : 0.95
      out.push(
        `<rect x="${x1.toFixed(1)}" y="${y + 4 + row[i]! * (BAR + 1)}" width="${w.toFixed(1)}" height="${BAR}" fill="${color}" fill-opacity="${opacity}"/>`,
      )
    })
    if (r.freshAt !== undefined && r.freshAt <= to) {
      const fx = x(r.freshAt).toFixed(1)
      out.push(
        `<line x1="${fx}" x2="${fx}" y1="${y}" y2="${y + height}" stroke="${COLORS.fresh}" stroke-width="2"/>`,
      )
      out.push(
        `<text x="${(x(r.freshAt) + 4).toFixed(1)}" y="${y + height - 4}" class="fresh">fresh +${(r.freshAt - r.lastEdit).toLocaleString('en-US')} ms</text>`,
      )
    } else if (r.freshAt === undefined) {
      out.push(
        `<text x="${(x(last) + 6).toFixed(1)}" y="${y + height - 4}" class="never">never fresh${r.finalCorrect ? '' : ', save lost'}</text>`,
      )
    }
    y += height + 6
  }
  const lx = x(last).toFixed(1)
  out.push(
    `<line x1="${lx}" x2="${lx}" y1="${lanesTop - 26}" y2="${y}" stroke="#0f172a" stroke-dasharray="4 3"/>`,
  )
  out.push(
    `<text x="${lx}" y="${lanesTop - 30}" text-anchor="middle" class="small">last edit</text>`,
  )
  const step = to - from > 2000 ? 500 : 100
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    out.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 4}" stroke="#334155"/>`,
    )
    out.push(
      `<text x="${x(t).toFixed(1)}" y="${y + 16}" text-anchor="middle" class="small">${t / 1000} s</text>`,
    )
  }
  return { out, height: y + 24 - top }
}

/**
 * A hand-written SVG of the editing session: one lane per contender, one bar per request from
 * send to response. The whole session, then the last second enlarged.
 */
export function timelineSvg(results: SessionResult[], title: string, gap: number): string {
  const last = results[0]!.lastEdit
  const end =
    Math.ceil(
      Math.max(
        ...results.flatMap((r) => [(r.freshAt ?? 0) + 300, ...r.requests.map((q) => q.endAt ?? 0)]),
        last + 600,
      ) / 500,
    ) * 500
  const whole = panel(results, 0, end, gap, 10, title)
  const zoom = panel(
    results,
    last - 400,
    last + 700,
    gap,
    10 + whole.height + 10,
    'The last edit, enlarged',
  )
  let y = 20 + whole.height + zoom.height + 10
  const out = [...whole.out, ...zoom.out]
  const legend = [
    [COLORS.POST, 'POST (save)', 1],
    [COLORS.GET, 'GET (statistics)', 1],
    [COLORS.GET, 'aborted (superseded)', 0.35],
    [COLORS.lost, 'cut by the outage', 1],
    [COLORS.fresh, 'panel shows the final state', 1],
  ] as const
  legend.forEach(([color, label, opacity], i) => {
    const lx = LEFT + i * 150
    out.push(
      `<rect x="${lx}" y="${y - 8}" width="14" height="8" fill="${color}" fill-opacity="${opacity}"/>`,
    )
    out.push(`<text x="${lx + 19}" y="${y}" class="small">${label}</text>`)
  })
  y += 14
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}" font-family="system-ui, sans-serif" role="img" aria-label="${esc(title)}">`,
    '<style>.lane{font-size:13px;fill:#0f172a}.small{font-size:11px;fill:#334155}.fresh{font-size:11px;fill:#15803d;font-weight:600}.never{font-size:11px;fill:#b91c1c;font-weight:600}.title{font-size:15px;font-weight:600;fill:#0f172a}</style>',
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n')
}
