import { cpus, loadavg } from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  node: string
  date: string
  /** 1-minute load average when the bench started: other work sharing the machine. */
  load: number
}

export function machine(): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    load: loadavg()[0]!,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  }
}
