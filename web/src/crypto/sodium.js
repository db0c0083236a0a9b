// libsodium (compiled to WebAssembly/JS), loaded once. Every crypto function awaits this.
import _sodium from 'libsodium-wrappers';

let ready;
export function sodium() {
  ready ??= _sodium.ready.then(() => _sodium);
  return ready;
}
