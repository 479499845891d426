// The package's ES module entry point: the same exports as the CommonJS one.
import binding from './outbound-token.cjs'

export const {
  __napiBindingTarget,
  DEFAULT_HEADER,
  find,
  strip,
  stripAsync,
  setHeader,
  verify,
  verifyAsync,
  inspect,
  Token,
  MasterKey,
  Keyring,
} = binding

export default binding
