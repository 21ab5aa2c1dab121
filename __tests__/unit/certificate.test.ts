import { describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { readCaCertificate } from '../../src/inputs/certificate.js'
import type { InputProblem } from '../../src/inputs/problems.js'
import { tempDirSync } from '../fixtures/temp.js'

const workspace = tempDirSync('ed-certificate-')
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
mkdirSync(path.join(workspace, 'certs'))
writeFileSync(path.join(workspace, 'certs', 'ca.pem'), `# the company CA\n${PEM}`)
writeFileSync(path.join(workspace, 'certs', 'key.pem'), '-----BEGIN PRIVATE KEY-----\nMIIE\n')

function read(value: string | undefined): { value: string | undefined; problems: InputProblem[] } {
  const problems: InputProblem[] = []
  return { value: readCaCertificate(value, workspace, problems), problems }
}

describe('readCaCertificate', () => {
  it('takes no value as none', () => {
    expect(read(undefined)).toEqual({ value: undefined, problems: [] })
  })

  it('takes PEM text as it is, wherever the certificate starts', () => {
    expect(read(PEM)).toEqual({ value: PEM, problems: [] })
    expect(read(` subject=CN=ca\n${PEM}`)).toEqual({ value: ` subject=CN=ca\n${PEM}`, problems: [] })
  })

  it('reads a PEM file named relative to the workspace, or by its absolute path', () => {
    const text = `# the company CA\n${PEM}`
    expect(read('certs/ca.pem')).toEqual({ value: text, problems: [] })
    expect(read('  certs/ca.pem\n')).toEqual({ value: text, problems: [] })
    expect(read(path.join(workspace, 'certs', 'ca.pem'))).toEqual({ value: text, problems: [] })
  })

  it('refuses a file that holds no certificate, naming the file', () => {
    expect(read('certs/key.pem')).toEqual({
      value: undefined,
      problems: [
        {
          input: 'ca-certificate',
          value: 'certs/key.pem',
          problem: `${path.join(workspace, 'certs', 'key.pem')} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
        }
      ]
    })
  })

  it('refuses a value that is neither PEM text nor a file, without the error code of a missing file', () => {
    expect(read('MIIB-not-a-path')).toEqual({
      value: undefined,
      problems: [
        {
          input: 'ca-certificate',
          value: 'MIIB-not-a-path',
          problem: 'is neither PEM text nor the path of a readable PEM file'
        }
      ]
    })
  })

  it('says why a path that is there cannot be read', () => {
    expect(read('certs')).toEqual({
      value: undefined,
      problems: [
        {
          input: 'ca-certificate',
          value: 'certs',
          problem: `is neither PEM text nor the path of a readable PEM file (${path.join(workspace, 'certs')} is not a regular file)`
        }
      ]
    })
  })

  it('adds its problem to those found before', () => {
    const problems: InputProblem[] = [{ input: 'wait', value: 'maybe', problem: 'use true or false' }]
    readCaCertificate('nowhere.pem', workspace, problems)
    expect(problems.map(problem => problem.input)).toEqual(['wait', 'ca-certificate'])
  })
})
