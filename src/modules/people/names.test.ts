import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fullName, listName, titleCase } from './names.ts'

describe('names', () => {
  it('titleCase keeps apostrophes, hyphens and spaces as word starts', () => {
    assert.equal(titleCase("O'NEILL"), "O'Neill")
    assert.equal(titleCase('SMITH-JONES'), 'Smith-Jones')
    assert.equal(titleCase('MARY ANN'), 'Mary Ann')
    assert.equal(titleCase('hussain'), 'Hussain')
  })

  it('listName is surname first, title-cased', () => {
    assert.equal(listName({ firstName: 'MOHAMMED', lastName: 'HUSSAIN' }), 'Hussain, Mohammed')
    assert.equal(listName({ firstName: 'CIARAN', lastName: "O'NEILL" }), "O'Neill, Ciaran")
  })

  it('fullName leaves out missing middle names', () => {
    assert.equal(fullName({ firstName: 'DANIEL', middleNames: null, lastName: 'OKAFOR' }), 'DANIEL OKAFOR')
    assert.equal(fullName({ firstName: 'LIAM', middleNames: 'JAMES', lastName: 'WARD' }), 'LIAM JAMES WARD')
  })
})
