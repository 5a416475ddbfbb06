/**
 * `npm test` lists the operations of the specs the stub does not implement yet (their tests skip
 * against the stub, naming the operation), so an operation added to a spec without its handler is
 * visible, not silent. Exits 0: an operation waiting for its handler is not a failure.
 */
import { PRODUCTS } from '../src/config/index.ts';
import { createStub } from '../src/stub/index.ts';

let missing = 0;
for (const product of PRODUCTS) {
  const stub = createStub(product);
  const ops = stub.operations();
  for (const id of stub.unimplemented) {
    const op = ops.find((o) => o.operationId === id)!;
    console.log(`${product}: ${op.method} ${op.path} (${id}) has no stub handler yet: its tests skip against the stub (src/stub/${product}/)`);
  }
  missing += stub.unimplemented.length;
  console.log(`${product}: ${ops.length - stub.unimplemented.length} of ${ops.length} operations implemented by the stub`);
}
if (missing === 0) console.log('every operation of the specs has a stub handler');
