import { describe, expect, it } from '@jest/globals'
import { serviceMessage } from '../../src/drivers/mobilefirst/errors.js'
import {
  DeployResultSchema,
  MobileFirstParametersSchema,
  TransactionSchema
} from '../../src/drivers/mobilefirst/schemas.js'
import { mapTransaction } from '../../src/drivers/mobilefirst/status.js'
import { normalizeXml } from '../../src/drivers/mobilefirst/xml.js'
import { parseXml } from '../../src/http/body.js'

const transaction = (status: string, extra: Record<string, unknown> = {}) =>
  TransactionSchema.parse({ id: 7, status, project: { name: 'mfp' }, ...extra })

describe('transaction status mapping', () => {
  it.each([
    ['PENDING', 'running', 'pending'],
    ['PREPARING', 'running', 'preparing'],
    ['COMMITTING', 'running', 'committing'],
    ['REJECTING', 'running', 'rolling back'],
    ['SUCCESS', 'succeeded', 'succeeded'],
    ['FAILURE', 'failed', 'failed'],
    ['CANCELED', 'canceled', 'canceled'],
    ['SOMETHING_NEW', 'running', "unknown status 'SOMETHING_NEW'"]
  ])('%s is %s', (status, state, label) => {
    expect(mapTransaction(transaction(status))).toMatchObject({ state, code: status, label })
  })

  it('puts every error detail of a failure in the message', () => {
    const mapped = mapTransaction(
      transaction('FAILURE', { errors: [{ details: 'first' }, { details: 'second' }, { details: ' ' }, {}] })
    )
    expect(mapped.message).toBe('Transaction 7 failed with 2 errors: (1) first; (2) second')
    expect(mapTransaction(transaction('FAILURE', { errors: [{ details: 'only' }] })).message).toBe(
      'Transaction 7 failed: only'
    )
    expect(mapTransaction(transaction('FAILURE')).message).toMatch(/gave no error details/)
  })

  it('says what was deployed, and keeps the transaction as details', () => {
    const multi = transaction('SUCCESS', {
      description: { name: 'multi', contentNames: ['a.adapter', 'b.json'] }
    })
    expect(mapTransaction(multi).message).toBe('Transaction 7 deployed a.adapter, b.json to runtime mfp')
    expect(mapTransaction(multi).details).toMatchObject({
      id: '7',
      description: { contentNames: ['a.adapter', 'b.json'] }
    })
  })
})

describe('XML answers read as their JSON shape', () => {
  it('reads the Deploy (POST) XML example, several errors', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><deploy-result ok="false" productVersion="8.0">' +
      '<transaction appServerId="Tomcat" id="1" status="FAILURE" timeCreated="2014-04-13T00:18:36.979Z" ' +
      'timeUpdated="2014-04-14T00:18:36.979Z" type="UPLOAD_ARTIFACT" userName="demouser">' +
      '<description name="myname" type="mytype"/><errors><error details="An internal error occured."/>' +
      '<error details="Second &amp; last &lt;2&#62;."/></errors><project name="myproject"/></transaction></deploy-result>'
    const result = DeployResultSchema.parse(normalizeXml(parseXml(xml)))
    expect(result.ok).toBe(false)
    expect(result.transaction).toMatchObject({
      id: '1',
      status: 'FAILURE',
      userName: 'demouser',
      description: { name: 'myname', type: 'mytype' },
      project: { name: 'myproject' },
      errors: [{ details: 'An internal error occured.' }, { details: 'Second & last <2>.' }]
    })
  })

  it('reads the Transaction (GET) XML example: one error, empty description, the root is the transaction', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><transaction appServerId="Tomcat" id="1" productVersion="8.0" ' +
      'status="SUCCESS" type="UPLOAD_ARTIFACT" userName="demouser"><description/><errors/>' +
      '<project name="myproject"/></transaction>'
    const result = TransactionSchema.parse(normalizeXml(parseXml(xml)))
    expect(result).toMatchObject({
      id: '1',
      status: 'SUCCESS',
      description: {},
      errors: [],
      productVersion: '8.0'
    })
  })

  it('reads contentNames in any plausible XML form', () => {
    for (const inner of [
      '<contentNames>a.adapter</contentNames><contentNames>b.json</contentNames>',
      '<contentNames><contentName>a.adapter</contentName><contentName>b.json</contentName></contentNames>'
    ]) {
      const xml = `<transaction id="2" status="SUCCESS"><description name="multi">${inner}</description><errors><error details="x"/></errors></transaction>`
      const result = TransactionSchema.parse(normalizeXml(parseXml(xml)))
      expect(result.description?.contentNames).toEqual(['a.adapter', 'b.json'])
      expect(result.errors).toEqual([{ details: 'x' }])
    }
    const attribute = TransactionSchema.parse(
      normalizeXml(
        parseXml('<transaction id="3" status="SUCCESS"><description contentNames="a, b"/></transaction>')
      )
    )
    expect(attribute.description?.contentNames).toEqual(['a', 'b'])
  })
})

describe('service error messages', () => {
  it.each([
    [{ errorCode: 'X', errorMsg: 'Runtime not running' }, 'Runtime not running'],
    [{ error: { errorCode: 'X', errorMsg: 'From XML' } }, 'From XML'],
    [{ errors: [{ details: 'a' }, { details: 'b' }] }, 'a; b'],
    [{ message: 'plain' }, 'plain'],
    [
      '<html><head><title>Error 401</title></head><body>Error 401: denied</body></html>',
      'Error 401 Error 401: denied'
    ],
    [undefined, 'HTTP 500']
  ])('reads %j', (body, expected) => {
    expect(serviceMessage(body, 'HTTP 500')).toBe(expected)
  })
})

describe('parameters', () => {
  it('takes locale and synchronous, and nothing else', () => {
    expect(MobileFirstParametersSchema.parse({ locale: 'de_DE', synchronous: true })).toEqual({
      locale: 'de_DE',
      synchronous: true
    })
    expect(MobileFirstParametersSchema.safeParse({ locale: 'de DE' }).success).toBe(false)
    expect(MobileFirstParametersSchema.safeParse({ synchronous: 'yes' }).success).toBe(false)
    expect(MobileFirstParametersSchema.safeParse({ async: true }).success).toBe(false)
  })
})
