import { describe, expect, it } from '@jest/globals'
import { overallStatus, type DeploymentResult } from '../../src/engine/result.js'
import { ActionError } from '../../src/errors.js'
import { inputFailureSummary } from '../../src/report/input-failure.js'
import { errorLines, renderSummary, runLinks, SUMMARY_LIMIT_BYTES } from '../../src/report/summary.js'
import { gfmBlocks, renderGfm, summaryPage, type GfmTable } from '../../scripts/summary-page.js'

function result(overrides: Partial<DeploymentResult> = {}): DeploymentResult {
  return {
    name: 'ASOALL',
    platform: 'epmware',
    operation: 'run',
    target: 'ASOALL',
    status: 'succeeded',
    taskId: '244596',
    message: 'Deployment completed successfully',
    durationSeconds: 95,
    percent: 100,
    remoteCode: 'S',
    remoteLabel: 'completed',
    logTail: ['line 1', 'line 2'],
    warnings: [],
    followUps: [],
    ...overrides
  }
}

/** Five deployments to prod, two failed (one with the real cause only in its log), one skipped. */
function fleet(): DeploymentResult[] {
  return [
    result({ name: 'metadata', logFile: '/home/runner/work/_temp/enterprise-deploy/epmware-1.log' }),
    result({
      name: 'hfm',
      target: 'HFM_PROD',
      status: 'failed',
      taskId: '2',
      message: 'Deployment failed',
      url: 'https://epm.example.com/tasks/2',
      logTail: ['step 1 ok', 'ERROR Connection to the target application timed out', 'cleanup done'],
      logFile: '/home/runner/work/_temp/enterprise-deploy/epmware-2.log'
    }),
    result({ name: 'planning', target: 'PLANNING' }),
    result({
      name: 'fccs',
      target: 'FCCS',
      status: 'timed-out',
      taskId: '4',
      message: 'still running after 10m',
      logTail: ['step 2 of 3 running']
    }),
    result({
      name: 'consolidation',
      status: 'skipped',
      taskId: undefined,
      message: 'not run: it needs hfm, which failed',
      logTail: []
    })
  ]
}

const tables = (markdown: string) =>
  gfmBlocks(markdown).filter((block): block is GfmTable => block.type === 'table')
const cellText = (cell: { text: string }) => cell.text.replace(/\*\*/g, '')

describe('renderSummary, rendered as GitHub renders it', () => {
  const links = {
    runUrl: 'https://github.com/acme/deploys/actions/runs/42',
    commitUrl: 'https://github.com/acme/deploys/commit/0123456789abcdef',
    sha: '0123456789abcdef'
  }
  const markdown = renderSummary(fleet(), 50, { environment: 'prod', links })
  const html = renderGfm(markdown)
  const blocks = gfmBlocks(markdown)

  it('heads the summary with the outcome in numbers and the environment', () => {
    expect(blocks[0]).toMatchObject({
      type: 'heading',
      depth: 2,
      text: '❌ 1 of 5 failed, 1 timed out, 1 skipped · prod'
    })
  })

  it('puts the reasons first, one list item each, before the table, with the error lines of the log', () => {
    const reasons = blocks.findIndex(block => block.type === 'list')
    const table = blocks.findIndex(block => block.type === 'table')
    expect(reasons).toBeGreaterThan(0)
    expect(reasons).toBeLessThan(table)
    const items = (blocks[reasons] as { items: { text: string }[] }).items.map(item => item.text)
    expect(items).toHaveLength(3)
    expect(items[0]).toMatch(/^❌ \*\*hfm\*\* failed: Deployment failed/)
    expect(items[0]).toContain('<code>ERROR Connection to the target application timed out</code>')
    expect(items[0]).not.toContain('step 1 ok')
    expect(items[1]).toMatch(/^⏱️ \*\*fccs\*\* timed out: still running after 10m/)
    expect(items[2]).toMatch(/^⏭️ \*\*consolidation\*\* skipped: not run: it needs hfm/)
    expect(html.indexOf('ERROR Connection')).toBeLessThan(html.indexOf('<table>'))
  })

  it('has one table of six columns at most, its failed rows first', () => {
    const [table, ...others] = tables(markdown)
    expect(others).toEqual([])
    expect(table?.header.map(cellText)).toEqual([
      'Deployment',
      'Platform · target',
      'Status',
      'Duration',
      'Task',
      'Link'
    ])
    expect(table?.rows.map(row => cellText(row[0] as { text: string }))).toEqual([
      'hfm',
      'fccs',
      'consolidation',
      'metadata',
      'planning'
    ])
    for (const row of table?.rows ?? []) expect(row).toHaveLength(6)
    expect(html).toContain('<a href="https://epm.example.com/tasks/2">open in EPMware</a>')
  })

  it('opens a failure’s log tail and folds a success’s, naming the log file to upload as an artifact', () => {
    expect(html).toMatch(
      /<details open><summary>hfm: last 3 lines of the remote log — log file epmware-2\.log \(upload RUNNER_TEMP\/enterprise-deploy with actions\/upload-artifact to keep it\)<\/summary>/
    )
    expect(html).toMatch(/<details open><summary>fccs: last 1 lines/)
    expect(html).toMatch(
      /<details><summary>metadata: last 2 lines of the remote log — log file epmware-1\.log/
    )
    expect(html).not.toContain('/home/runner')
  })

  it('links the workflow run and the commit', () => {
    expect(html).toContain('<a href="https://github.com/acme/deploys/actions/runs/42">workflow run</a>')
    expect(html).toContain(
      'commit <a href="https://github.com/acme/deploys/commit/0123456789abcdef"><code>0123456</code></a>'
    )
  })
})

describe('renderSummary', () => {
  it('heads one deployment with its outcome and what it was, and shows its row and log tail', () => {
    const text = renderSummary([result()], 50)
    expect(gfmBlocks(text)[0]).toMatchObject({ type: 'heading', text: '✅ Succeeded · EPMware run ASOALL' })
    expect(text).toContain(
      '| **ASOALL** | EPMware · ASOALL (run) | ✅ succeeded<br><sub>100% completed (S)</sub> | 1m35s | <code>244596</code> | — |'
    )
    expect(text).toContain('<details><summary>ASOALL: last 2 lines')
    expect(text).toContain('<pre>\nline 1\nline 2\n</pre>')
  })

  it('says a single failure’s reason once, before the table, and its hint', () => {
    const text = renderSummary(
      [
        result({
          status: 'failed',
          message: 'HTTP 401',
          hint: 'Check the token',
          logTail: ['HTTP 401 refused']
        })
      ],
      50
    )
    expect(gfmBlocks(text)[0]).toMatchObject({ type: 'heading', text: '❌ Failed · EPMware run ASOALL' })
    expect(text.match(/HTTP 401(?! refused)/g)).toHaveLength(1)
    expect(text).toContain('- ❌ **ASOALL** failed: HTTP 401 — _Hint:_ Check the token')
    expect(text).toContain('<details open><summary>ASOALL')
  })

  it('escapes what the server sent, so a message cannot break the table, format or inject HTML', () => {
    const text = renderSummary(
      [result({ status: 'failed', message: 'bad | <script>x</script>\nnext *bold* [link](http://x)' })],
      50
    )
    expect(text).toContain('bad \\| &lt;script&gt;x&lt;/script&gt; next \\*bold\\* \\[link\\](http://x)')
    const html = renderGfm(text)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<strong>bold')
    expect(html).not.toContain('>link</a>')
  })

  it('says a dry run deployed nothing and how many were checked', () => {
    const checks = [{ check: 'credentials accepted', ok: true, detail: 'accepted' }]
    const passed = renderSummary(
      [1, 2, 3, 4, 5].map(index => result({ name: `d${index}`, checks, logTail: [] })),
      5,
      { environment: 'prod' }
    )
    expect(gfmBlocks(passed)[0]).toMatchObject({
      type: 'heading',
      text: '✅ Dry run · nothing was deployed · 5 checked · prod'
    })
    expect(passed).toContain('✅ checks passed')
    expect(passed).not.toMatch(/succeeded/)
    const failed = renderSummary(
      [
        result({ name: 'a', checks, logTail: [] }),
        result({
          name: 'b',
          status: 'failed',
          logTail: [],
          checks: [{ check: 'credentials accepted', ok: false, detail: 'HTTP 401' }]
        })
      ],
      5
    )
    expect(gfmBlocks(failed)[0]).toMatchObject({
      text: '❌ Dry run · nothing was deployed · 1 of 2 failed their checks'
    })
    expect(failed).toContain('- ❌ **b** failed its checks: credentials accepted ✗ HTTP 401')
    expect(failed).toMatch(/<details open><summary>b: 1 dry run checks, a check failed/)
    expect(failed).toMatch(/<details><summary>a: 1 dry run checks, all passed/)
  })

  it('stays under GitHub’s 1 MiB summary limit, however long the log lines', () => {
    const huge = Array.from({ length: 1000 }, (_, index) => `${index} ${'x'.repeat(5000)}`)
    const many = Array.from({ length: 30 }, (_, index) => result({ name: `D${index}`, logTail: huge }))
    const text = renderSummary(many, 1000)
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
    expect(text).toContain('| **D0** | EPMware · ASOALL (run) |')
  })

  it('heads several deployments with the worst outcome', () => {
    expect(overallStatus([result(), result({ status: 'timed-out' }), result({ status: 'skipped' })])).toBe(
      'timed-out'
    )
    expect(renderSummary([result(), result({ name: 'B', status: 'failed' })], 5)).toMatch(
      /^## ❌ 1 of 2 failed\n/
    )
    expect(renderSummary([result(), result({ name: 'B' })], 5)).toMatch(/^## ✅ 2 of 2 succeeded\n/)
  })

  it('lists warnings in one alert, each with its deployment', () => {
    const text = renderSummary([result({ warnings: ['slow server'] }), result({ name: 'B' })], 5)
    expect(text).toContain('> [!WARNING]\n> - **ASOALL:** slow server')
  })
})

describe('errorLines', () => {
  it('keeps the last lines that look like errors, not the message again', () => {
    const tail = [
      'ok',
      'Error: one',
      'fine',
      'FATAL two',
      'Exception three',
      'E1234 four',
      'done',
      'Deployment failed'
    ]
    expect(errorLines(tail, 'Deployment failed')).toEqual(['FATAL two', 'Exception three', 'E1234 four'])
    expect(errorLines(['all good', 'completed'])).toEqual([])
  })
})

describe('runLinks', () => {
  it('links the run and the commit from the runner’s variables, and nothing it cannot trust', () => {
    expect(
      runLinks({
        GITHUB_SERVER_URL: 'https://github.example.com/',
        GITHUB_REPOSITORY: 'acme/deploys',
        GITHUB_RUN_ID: '42',
        GITHUB_SHA: 'abcdef0123'
      })
    ).toEqual({
      runUrl: 'https://github.example.com/acme/deploys/actions/runs/42',
      commitUrl: 'https://github.example.com/acme/deploys/commit/abcdef0123',
      sha: 'abcdef0123'
    })
    expect(runLinks({})).toEqual({})
    expect(runLinks({ GITHUB_REPOSITORY: 'a/b"><x', GITHUB_RUN_ID: '1' })).toEqual({})
    expect(runLinks({ GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '1; x' }).runUrl).toBeUndefined()
  })
})

describe('inputFailureSummary', () => {
  it('lists every problem as a list item, whole, with the hint', () => {
    const long = `input 'base-url' 'not a url${'x'.repeat(300)}': is not a URL`
    const error = new ActionError('The inputs have 2 problems:\n  - a\n  - b', {
      hint: 'Nothing was sent to any server.',
      items: [
        { text: long },
        {
          text: "deployments[1] 'hfm' field 'target' (deploy.yml:4:13): is <required>",
          file: 'deploy.yml',
          line: 4,
          column: 13
        }
      ]
    })
    const html = renderGfm(inputFailureSummary(error))
    expect(html).not.toContain('<pre>')
    expect(html.match(/<li>/g)).toHaveLength(2)
    expect(html).toContain(`<li>${long.replace(/'/g, "'")}</li>`)
    expect(html).toContain('is &lt;required&gt;</li>')
    expect(html).toMatch(/<h2>❌ The inputs are not valid · nothing was sent<\/h2>/)
    expect(html).toContain('<strong>Hint:</strong> Nothing was sent to any server.')
  })
})

describe('summaryPage', () => {
  it('is a page of its own: titled, styled, the summary rendered inside', () => {
    const page = summaryPage(renderSummary(fleet(), 5, { environment: 'prod' }), 'A <demo> run')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('<title>A &lt;demo> run</title>')
    expect(page).toMatch(/<style>[^<]*table \{/)
    expect(page).toContain('<h2>❌ 1 of 5 failed, 1 timed out, 1 skipped · prod</h2>')
    expect(page.match(/<table>/g)).toHaveLength(1)
  })
})
