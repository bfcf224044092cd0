/** The demo server's knobs (latency, outages, failures), so you can watch the queue cope. */
export function bindControls(panel: HTMLElement, project: string) {
  const knobs = (body: object) =>
    fetch('/__control/knobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ project, ...body }),
    })
  const latency = panel.querySelector<HTMLSelectElement>('[data-testid="knob-latency"]')!
  const down = panel.querySelector<HTMLInputElement>('[data-testid="knob-down"]')!
  latency.addEventListener('change', () => knobs({ latency: Number(latency.value) }))
  down.addEventListener('change', () => knobs({ down: down.checked }))
  panel
    .querySelector('[data-testid="knob-drop-streams"]')!
    .addEventListener('click', () => knobs({ dropStreams: true }))
  for (const button of panel.querySelectorAll<HTMLButtonElement>('[data-fail]')) {
    button.addEventListener('click', () =>
      knobs({ fail: { mode: button.dataset.fail, retryAfter: 3 } }),
    )
  }
}
