// The same declarations seen from an ES module (`import` condition of package.json `exports`).
import outboundToken, { DEFAULT_HEADER, Keyring, Token, verifyAsync, type Verification } from 'outbound-token'

export async function usage(message: Uint8Array): Promise<Verification> {
  const keyring = new Keyring()
  keyring.addTenant('acme')
  keyring.addToken('acme', Token.generate())
  const stripped: Buffer = outboundToken.strip(message, DEFAULT_HEADER)
  return verifyAsync(stripped, keyring, { acceptRetiring: true })
}
