import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDirSync } from '../../fixtures/temp.js'

export interface TestPki {
  dir: string
  /** The CA's certificate (PEM) and the file that holds it. */
  caPem: string
  caFile: string
  /** The server's key and certificate, signed by the CA, for the names below. */
  key: string
  cert: string
  /** A CA that signed nothing here: trusting it must not help. */
  otherCaPem: string
}

/** Names the server certificate is valid for; `platform.corp.invalid` is reached only through the test proxy. */
export const SERVER_NAMES = ['localhost', 'platform.corp.invalid']
export const SERVER_IPS = ['127.0.0.1', '127.0.0.2']

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

function openssl(dir: string, ...args: string[]): void {
  execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' })
}

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    ...EC,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=Enterprise Deploy ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign'
  )
}

/** A throwaway CA and a server certificate it signed, made with the openssl CLI. */
export function makeTestPki(): TestPki {
  const dir = tempDirSync('ed-pki-')
  makeCa(dir, 'ca')
  makeCa(dir, 'other-ca')
  openssl(dir, 'req', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
  const altNames = [...SERVER_NAMES.map(name => `DNS:${name}`), ...SERVER_IPS.map(ip => `IP:${ip}`)]
  writeFileSync(
    path.join(dir, 'server.ext'),
    `subjectAltName=${altNames.join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`
  )
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext'
  )
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8')
  return {
    dir,
    caPem: read('ca.pem'),
    caFile: path.join(dir, 'ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    otherCaPem: read('other-ca.pem')
  }
}
