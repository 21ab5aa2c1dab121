import path from 'node:path'
import type { InputProblem } from './problems.js'
import { readSmallTextFile } from './small-file.js'
import { errorFields } from '../errors.js'

/** `ca-certificate` holds PEM text, or the path of a PEM file relative to the workspace. */
export function readCaCertificate(
  value: string | undefined,
  workspace: string,
  problems: InputProblem[]
): string | undefined {
  if (value === undefined || value.includes('-----BEGIN CERTIFICATE-----')) return value
  const file = path.resolve(workspace, value.trim())
  try {
    const text = readSmallTextFile(file)
    if (text.includes('-----BEGIN CERTIFICATE-----')) return text
    problems.push({
      input: 'ca-certificate',
      value,
      problem: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
    })
  } catch (error) {
    const reason = !/ENOENT|EACCES/.test(errorFields(error).message) ? ` (${errorFields(error).message})` : ''
    problems.push({
      input: 'ca-certificate',
      value,
      problem: `is neither PEM text nor the path of a readable PEM file${reason}`
    })
  }
  return undefined
}
