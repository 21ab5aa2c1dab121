import { describe, expect, it } from '@jest/globals'
import { checkReport, fileScore, GATED_FILES, targetFor } from '../../scripts/mutation-targets.js'

const mutants = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })))

describe('mutation targets (the CI gate of issue 19)', () => {
  it('scores killed and timed-out over all but errors and ignored mutants', () => {
    expect(fileScore(mutants({ Killed: 6, Timeout: 2, Survived: 1, NoCoverage: 1 }))).toBe(80)
    expect(fileScore(mutants({ Killed: 1, CompileError: 5, RuntimeError: 2, Ignored: 3 }))).toBe(100)
    expect(fileScore(mutants({ Ignored: 3 }))).toBeUndefined()
  })

  it('holds retry, redirect and secrets to 90 %, every other file to 85 %', () => {
    expect(['src/http/retry.ts', 'src/http/redirect.ts', 'src/secrets.ts'].map(targetFor)).toEqual([
      90, 90, 90
    ])
    expect(targetFor('src\\secrets.ts')).toBe(90)
    expect(['src/secrets/encodings.ts', 'src/engine/batch.ts'].map(targetFor)).toEqual([85, 85])
  })

  it('fails a file just under its target and passes one at it', () => {
    const report = {
      files: {
        'src/engine/batch.ts': { mutants: mutants({ Killed: 17, Survived: 3 }) },
        'src/inputs/graph.ts': { mutants: mutants({ Killed: 16, Survived: 3 }) },
        'src/secrets.ts': { mutants: mutants({ Killed: 89, Survived: 11 }) }
      }
    }
    expect(checkReport(report, false)).toEqual({
      lines: [
        'ok    85.0 % (target 85 %)  src/engine/batch.ts',
        'FAIL  84.2 % (target 85 %)  src/inputs/graph.ts',
        'FAIL  89.0 % (target 90 %)  src/secrets.ts'
      ],
      failed: 2
    })
  })

  it('gated, fails each gated file the report lacks', () => {
    const report = { files: { [GATED_FILES[0]]: { mutants: mutants({ Killed: 1 }) } } }
    expect(checkReport(report, false).failed).toBe(0)
    const { lines, failed } = checkReport(report, true)
    expect(failed).toBe(GATED_FILES.length - 1)
    expect(lines.slice(1)).toEqual(
      GATED_FILES.slice(1).map(file => `FAIL   not in the report (a gated file must be mutated)  ${file}`)
    )
  })
})
