// The package loads with `import` and `require` alike, and both give the same objects.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as named from 'outbound-token'
import outboundToken from 'outbound-token'

const require = createRequire(import.meta.url)

test('import and require load the same binding', () => {
  const required = require('outbound-token')
  const names = Object.keys(required).sort()
  assert.deepEqual(
    names,
    [
      'DEFAULT_HEADER',
      'Keyring',
      'MasterKey',
      'Token',
      '__napiBindingTarget',
      'find',
      'inspect',
      'setHeader',
      'strip',
      'stripAsync',
      'verify',
      'verifyAsync',
    ],
  )
  for (const name of names) {
    assert.equal(named[name], required[name], name)
    assert.equal(outboundToken[name], required[name], name)
  }
  assert.equal(named.__napiBindingTarget, 'native')
})

test('import works end to end', async () => {
  const message = Buffer.from('X-Vipre-Tenant-Key: otk_test_7Qm2VwXr9LpZ4sKd\r\nTo: b@example.org\r\n\r\nHi\r\n')
  assert.equal(named.strip(message).toString(), 'To: b@example.org\r\n\r\nHi\r\n')
  assert.equal((await named.stripAsync(message)).toString(), 'To: b@example.org\r\n\r\nHi\r\n')
  assert.equal(named.DEFAULT_HEADER, 'X-Vipre-Tenant-Key')
})
