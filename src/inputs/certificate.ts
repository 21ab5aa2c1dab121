import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { InputProblem } from './problems.js'

/** `ca-certificate` holds PEM text, or the path of a PEM file relative to the workspace. */
export function readCaCertificate(
  value: string | undefined,
  workspace: string,
  problems: InputProblem[]
): string | undefined {
  if (value === undefined || value.includes('-----BEGIN CERTIFICATE-----')) return value
  const file = path.resolve(workspace, value.trim())
  try {
    const text = readFileSync(file, 'utf8')
    if (text.includes('-----BEGIN CERTIFICATE-----')) return text
    problems.push({
      input: 'ca-certificate',
      value,
      problem: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
    })
  } catch {
    problems.push({
      input: 'ca-certificate',
      value,
      problem: 'is neither PEM text nor the path of a readable PEM file'
    })
  }
  return undefined
}
