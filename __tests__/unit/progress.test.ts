import { describe, expect, it } from '@jest/globals'
import type { RemoteStatus } from '../../src/drivers/driver.js'
import { ProgressNarrator } from '../../src/report/progress.js'

describe('ProgressNarrator', () => {
  it('prints changes of state and message, percent in steps, and a heartbeat — not a line per poll', () => {
    let now = 0
    const lines: string[] = []
    const narrator = new ProgressNarrator(
      line => lines.push(line),
      () => now,
      0
    )
    const running = (percent: number, message = 'Deploying'): RemoteStatus => ({
      state: 'running',
      code: 'R',
      label: 'running',
      percent,
      message
    })
    for (let percent = 0; percent <= 40; percent += 2) {
      now += 2000
      narrator.observe(running(percent))
    }
    expect(lines).toHaveLength(5)
    now += 2000
    narrator.observe(running(41, 'Deploying dimension Entity'))
    expect(lines).toHaveLength(6)
    now += 5 * 60_000
    narrator.observe(running(41, 'Deploying dimension Entity'))
    expect(lines[6]).toMatch(/^\[5m4\d?s\] still running \(R\) 41% — Deploying dimension Entity$/)
    narrator.observe({ state: 'succeeded', code: 'S', label: 'completed', percent: 100 })
    expect(lines.at(-1)).toMatch(/completed \(S\) 100%$/)
  })
})
