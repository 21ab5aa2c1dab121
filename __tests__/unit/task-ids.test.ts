import { describe, expect, it } from '@jest/globals'
import { parseTaskIds } from '../../src/inputs/task-ids.js'

const notPair = (pair: string) =>
  `'${pair}' is not name=id; with config, give the results output of the step that started the jobs, or name=id pairs`
const NOT_RESULTS = 'must be the results output: a list of objects with name and task-id'
const NOT_JSON = 'looks like JSON but is not valid JSON; pass the results output unchanged'

describe('parseTaskIds', () => {
  it('reads the results output: ids as strings, names as given, other fields ignored', () => {
    expect(
      parseTaskIds(' \n[{"name":"a","task-id":"11","status":"running"},{"name":"b c","task-id":22}]\n')
    ).toEqual({
      ids: new Map([
        ['a', '11'],
        ['b c', '22']
      ])
    })
  })

  it('leaves out a deployment of the results whose task-id is empty (it started no job)', () => {
    expect(parseTaskIds('[{"name":"a","task-id":""},{"name":"b","task-id":0}]')).toEqual({
      ids: new Map([['b', '0']])
    })
  })

  it('refuses a list that is not the results output', () => {
    expect(parseTaskIds('[{"x":1}]')).toEqual({ ids: new Map(), problem: NOT_RESULTS })
    expect(parseTaskIds('[{"name":"a","task-id":true}]')).toEqual({ ids: new Map(), problem: NOT_RESULTS })
    expect(parseTaskIds('[{"name":1,"task-id":"1"}]')).toEqual({ ids: new Map(), problem: NOT_RESULTS })
    expect(parseTaskIds('["a=1"]')).toEqual({ ids: new Map(), problem: NOT_RESULTS })
  })

  it('refuses text that starts like JSON but is not', () => {
    expect(parseTaskIds('[{"name":"a",}]')).toEqual({ ids: new Map(), problem: NOT_JSON })
  })

  it('reads name=id pairs separated by commas or new lines, spaces around them ignored', () => {
    expect(parseTaskIds('a=1, b = 2\n\n c =3 ,\r\nd= id 4 \n,')).toEqual({
      ids: new Map([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
        ['d', 'id 4']
      ])
    })
    expect(parseTaskIds('a=b=c')).toEqual({ ids: new Map([['a', 'b=c']]) })
    expect(parseTaskIds('deploy-a=17, flex.b_2 = 18')).toEqual({
      ids: new Map([
        ['deploy-a', '17'],
        ['flex.b_2', '18']
      ])
    })
  })

  it('reads nothing from empty text', () => {
    expect(parseTaskIds('')).toEqual({ ids: new Map() })
    expect(parseTaskIds(' ,\n ')).toEqual({ ids: new Map() })
  })

  it('refuses the first item that is not name=id, naming it, with the pairs read before it', () => {
    expect(parseTaskIds('a=1, 12345, b=2')).toEqual({ ids: new Map([['a', '1']]), problem: notPair('12345') })
    expect(parseTaskIds('a=')).toEqual({ ids: new Map(), problem: notPair('a=') })
    expect(parseTaskIds('=1')).toEqual({ ids: new Map(), problem: notPair('=1') })
    expect(parseTaskIds('a b=1')).toEqual({ ids: new Map(), problem: notPair('a b=1') })
    expect(parseTaskIds('x a=1')).toEqual({ ids: new Map(), problem: notPair('x a=1') })
    // a lone CR is no separator: the pair is refused whole, not read as a=1 with b=2 lost
    expect(parseTaskIds('a=1\rb=2')).toEqual({ ids: new Map(), problem: notPair('a=1\rb=2') })
  })
})
