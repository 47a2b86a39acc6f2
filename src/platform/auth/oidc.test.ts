import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { establishmentFrom, identityFromClaims, rolesFrom, scopeForRoles, usernameFrom } from './oidc.ts'

describe('claims from a single sign-on provider', () => {
  it('reads Entra ID app roles as they are named, ignoring values that are no Portcullis role', () => {
    assert.deepEqual(rolesFrom(['analyst', 'Head-Of-Security', 'Directory.Read'], ''), ['analyst', 'head-of-security'])
  })

  it('reads HMPPS Auth authorities without their prefix, with _ for -', () => {
    const authorities = ['ROLE_PORTCULLIS_HEAD_OF_SECURITY', 'ROLE_PORTCULLIS_PIO', 'ROLE_GLOBAL_SEARCH', 'ROLE_PIO']
    assert.deepEqual(rolesFrom(authorities, 'ROLE_PORTCULLIS_'), ['head-of-security', 'pio'])
    assert.deepEqual(rolesFrom(['ADMIN', 'analyst'], 'ROLE_PORTCULLIS_'), [], 'only values with the prefix count')
  })

  it('reads a space- or comma-separated string, and nothing from other shapes', () => {
    assert.deepEqual(rolesFrom('reporter analyst,auditor', ''), ['reporter', 'analyst', 'auditor'])
    assert.deepEqual(rolesFrom({ analyst: true }, ''), [])
    assert.deepEqual(rolesFrom([42, null, 'admin'], ''), ['admin'])
    assert.deepEqual(rolesFrom(undefined, ''), [])
  })

  it('makes a Portcullis username from the provider’s, or none', () => {
    assert.equal(usernameFrom('JSMITH_GEN'), 'jsmith_gen')
    assert.equal(usernameFrom('Jane.Smith@justice.gov.uk'), 'jane.smith')
    assert.equal(usernameFrom('jané'), null)
    assert.equal(usernameFrom('x'), null)
    assert.equal(usernameFrom(null), null)
  })

  it('takes an establishment code of three letters, as NOMIS spells it', () => {
    assert.equal(establishmentFrom('mdi'), 'MDI')
    assert.equal(establishmentFrom('Moorland'), null)
    assert.equal(establishmentFrom(null), null)
  })

  it('gives a new user the widest scope their roles have by default', () => {
    assert.equal(scopeForRoles(['reporter']), 'establishment')
    assert.equal(scopeForRoles(['analyst', 'pgd']), 'group')
    assert.equal(scopeForRoles(['reporter', 'socu', 'pgd']), 'region')
  })

  it('maps the configured claims into an identity', () => {
    const identity = identityFromClaims(
      {
        iss: 'https://idp',
        sub: 's-1',
        user_name: 'JSMITH_GEN',
        name: ' Jo Smith ',
        authorities: ['ROLE_PORTCULLIS_REPORTER'],
      },
      {
        claims: { username: 'user_name', name: 'name', roles: 'authorities', establishment: 'active_caseload' },
        rolePrefix: 'ROLE_PORTCULLIS_',
      },
    )
    assert.deepEqual(identity, {
      issuer: 'https://idp',
      subject: 's-1',
      username: 'jsmith_gen',
      displayName: 'Jo Smith',
      roles: ['reporter'],
      establishmentCode: null,
    })
  })
})
