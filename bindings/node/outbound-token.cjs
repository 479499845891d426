'use strict'
// The package's CommonJS entry point: the addon as napi-rs loads it (`index.js`, generated) with
// argument type checks in front of every export. napi-rs's own conversions throw a plain `Error`
// whose message can quote the value (a token passed in the wrong place, say); these checks throw
// a `TypeError` (or a `RangeError`) with code `ERR_INVALID_ARG_TYPE` (`ERR_OUT_OF_RANGE`) that
// names the argument and the type received, never the value. Nothing else happens here: the
// types are declared by the generated `index.d.ts`, everything else is in Rust.

const { types } = require('node:util')
const native = require('./index.js')

const { Keyring, MasterKey, Token } = native

/** The type of `value`, for a message that never shows the value itself. */
function received(value) {
  if (value === null) return 'null'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') {
    const name = value.constructor && value.constructor.name
    return name ? `an instance of ${name}` : 'an object'
  }
  return `type ${typeof value}`
}

function invalid(name, expected, value) {
  const error = new TypeError(`The "${name}" argument must be ${expected}; received ${received(value)}`)
  error.code = 'ERR_INVALID_ARG_TYPE'
  return error
}

function outOfRange(name, expected) {
  const error = new RangeError(`The "${name}" argument must be ${expected}`)
  error.code = 'ERR_OUT_OF_RANGE'
  return error
}

// Each check takes an argument's name and value, and throws unless the value fits.
const bytes = (name, value) => {
  if (!types.isUint8Array(value)) throw invalid(name, 'a Buffer or Uint8Array', value)
}
const string = (name, value) => {
  if (typeof value !== 'string') throw invalid(name, 'a string', value)
}
const boolean = (name, value) => {
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value)
}
const number = (name, value) => {
  if (typeof value !== 'number') throw invalid(name, 'a number', value)
}
const uint32 = (name, value) => {
  number(name, value)
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw outOfRange(name, 'an integer from 0 to 4294967295')
  }
}
// The instants napi-rs can convert (chrono's range): a valid JavaScript Date can lie beyond it.
const MIN_TIME = -8334601228800000 // -262143-01-01T00:00:00.000Z
const MAX_TIME = 8210266876799999 // +262142-12-31T23:59:59.999Z
const date = (name, value) => {
  if (!types.isDate(value)) throw invalid(name, 'a Date', value)
  const time = value.getTime()
  if (Number.isNaN(time) || time < MIN_TIME || time > MAX_TIME) {
    throw outOfRange(name, 'a valid Date between the years -262143 and 262142')
  }
}
// `instanceof` alone lets `Object.create(Keyring.prototype)` through, which napi-rs then fails
// to unwrap with a plain `Error`. A cheap native method without side effects, called on the
// value, throws a `TypeError` ("Illegal invocation") unless it is a genuine instance.
const brands = new Map([
  [Keyring, (value) => nativeMethod(Keyring.prototype, 'tenant').call(value, '')],
  [MasterKey, (value) => nativeMethod(MasterKey.prototype, 'toString').call(value)],
  [Token, (value) => Object.getOwnPropertyDescriptor(Token.prototype, 'isNative').get.call(value)],
])
const instance = (type) => (name, value) => {
  const expected = `an instance of ${type.name}`
  if (!(value instanceof type)) throw invalid(name, expected, value)
  try {
    brands.get(type)(value)
  } catch {
    const error = invalid(name, expected, value)
    error.message = `The "${name}" argument must be ${expected}; received an object that only inherits from ${type.name}.prototype`
    throw error
  }
}
const optional = (check) => (name, value) => {
  if (value !== undefined && value !== null) check(name, value)
}
const object = (name, value) => {
  if (typeof value !== 'object' || types.isDate(value) || Array.isArray(value)) {
    throw invalid(name, 'an object', value)
  }
}
// An options field may be left out, but not set to `null`: napi-rs reads `null` as a value.
const omissible = (check) => (name, value) => {
  if (value !== undefined) check(name, value)
}
const verifyOptions = (name, value) => {
  object(name, value)
  omissible(string)(`${name}.header`, value.header)
  omissible(boolean)(`${name}.acceptRetiring`, value.acceptRetiring)
  omissible(boolean)(`${name}.rejectElsewhere`, value.rejectElsewhere)
  omissible(date)(`${name}.now`, value.now)
}
const inspectOptions = (name, value) => {
  object(name, value)
  omissible(instance(Keyring))(`${name}.keyring`, value.keyring)
  omissible(string)(`${name}.header`, value.header)
  omissible(date)(`${name}.now`, value.now)
}

/** `fn` with its arguments checked first; `signature` pairs each argument's name with a check. */
function checked(fn, signature) {
  const run = function (...args) {
    signature.forEach(([name, check], index) => check(name, args[index]))
    return fn.apply(this, args)
  }
  Object.defineProperty(run, 'name', { value: fn.name })
  return run
}

/** The same for a function that returns a promise: a wrong argument rejects it. */
function checkedAsync(fn, signature) {
  const sync = checked(fn, signature)
  const run = async function (...args) {
    return sync.apply(this, args)
  }
  Object.defineProperty(run, 'name', { value: fn.name })
  return run
}

const natives = new Map()
/** The native (unguarded) method `name` of `owner`. */
function nativeMethod(owner, name) {
  return natives.get(owner)?.get(name) ?? owner[name]
}

/** Puts the checks in front of a method (or, with `owner` a class, a static method). */
function guard(owner, name, signature) {
  const descriptor = Object.getOwnPropertyDescriptor(owner, name)
  if (!natives.has(owner)) natives.set(owner, new Map())
  natives.get(owner).set(name, descriptor.value)
  Object.defineProperty(owner, name, { ...descriptor, value: checked(descriptor.value, signature) })
}

const header = ['header', optional(string)]
const now = ['now', optional(date)]

guard(Token, 'parse', [['text', string]])
guard(Token, 'opaque', [['text', string]])
guard(Token, 'import', [['text', string]])
guard(Token, 'derive', [['masterKey', instance(MasterKey)], ['tenantId', string], ['version', optional(uint32)]])
guard(Token.prototype, 'equals', [['other', instance(Token)]])

guard(MasterKey, 'fromHex', [['text', string]])
guard(MasterKey, 'fromBytes', [['bytes', bytes]])

guard(Keyring, 'load', [['path', string]])
guard(Keyring, 'fromToml', [['text', string]])
guard(Keyring.prototype, 'save', [['path', string]])
guard(Keyring.prototype, 'addTenant', [['id', string], ['name', optional(string)]])
guard(Keyring.prototype, 'removeTenant', [['id', string]])
guard(Keyring.prototype, 'addToken', [['tenant', string], ['token', instance(Token)], now])
guard(Keyring.prototype, 'rotate', [['tenant', string], ['token', instance(Token)], now, ['graceHours', optional(number)]])
guard(Keyring.prototype, 'retire', [['tenant', string]])
guard(Keyring.prototype, 'prune', [now])
guard(Keyring.prototype, 'tenant', [['id', string]])

const verifyArgs = [['message', bytes], ['keyring', instance(Keyring)], ['options', optional(verifyOptions)]]

module.exports = {
  // Which artifact the generated loader loaded (`'native'`), declared by `index.d.ts`.
  __napiBindingTarget: native.__napiBindingTarget,
  DEFAULT_HEADER: native.DEFAULT_HEADER,
  find: checked(native.find, [['message', bytes], header]),
  strip: checked(native.strip, [['message', bytes], header]),
  stripAsync: checkedAsync(native.stripAsync, [['message', bytes], header]),
  setHeader: checked(native.setHeader, [['message', bytes], ['value', string], header]),
  verify: checked(native.verify, verifyArgs),
  verifyAsync: checkedAsync(native.verifyAsync, verifyArgs),
  inspect: checked(native.inspect, [['message', bytes], ['options', optional(inspectOptions)]]),
  Token,
  MasterKey,
  Keyring,
}
