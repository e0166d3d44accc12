/**
 * A client program as a user would write it against the client generated from
 * /openapi.json (openapi-typescript types + openapi-fetch). The test writes it
 * beside the generated `ledger-api.d.ts`, type-checks both strictly and runs it.
 * `known(value, true)` does not compile when the value's type is `never` or
 * `unknown`, i.e. when the document does not describe that answer.
 *
 * It prints one JSON object with every answer, for the test to check against
 * the document's schemas.
 */
export const README_FLOW_PROGRAM = String.raw`
import createClient from 'openapi-fetch';
import type { paths, components } from './ledger-api';

type Known<T> = [T] extends [never] ? false : unknown extends T ? false : true;
function known<T>(value: T, _described: Known<T>): T {
  return value;
}

const [baseUrl, key] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + key } });

async function main(): Promise<void> {
  // The README's flow: create an account, add a number, acquire it, read its history.
  const account = await client.POST('/v1/accounts', { body: { id: 'acme-typed', name: 'Acme typed', reseller: true } });
  if (!account.data) throw new Error('create account: ' + JSON.stringify(account.error));
  const acme: components['schemas']['Account'] = known(account.data, true);

  const added = await client.POST('/v1/numbers', { body: { number: '4155550190', state: 'available', carrierModule: 'knm_inventory' } });
  if (!added.data) throw new Error('add number: ' + JSON.stringify(added.error));
  const e164: string = known(added.data, true).number;
  const position = added.response.headers.get('x-ledger-position');

  const acquired = await client.POST('/v1/numbers/{number}/acquire', { params: { path: { number: e164 } }, body: { accountId: acme.id } });
  if (!acquired.data) throw new Error('acquire: ' + JSON.stringify(acquired.error));
  const state: 'in_service' | 'reserved' | 'available' | string = known(acquired.data, true).state;

  const history = await client.GET('/v1/numbers/{number}/history', { params: { path: { number: e164 } } });
  if (!history.data) throw new Error('history: ' + JSON.stringify(history.error));
  const eventTypes: string[] = known(history.data, true).data.map((event) => event.type);

  // A bulk import: the CSV goes as text/csv, then the task is polled until it ends.
  const csv = 'e164\n+14155550191\n+14155550192\n';
  const submitted = await client.POST('/v1/tasks', {
    params: { query: { action: 'import' } },
    body: csv,
    bodySerializer: (body) => body,
    headers: { 'content-type': 'text/csv' },
  });
  if (!submitted.data) throw new Error('submit task: ' + JSON.stringify(submitted.error));
  const taskId = known(submitted.data, true).id;
  let task: components['schemas']['Task'] | undefined;
  for (let i = 0; i < 400; i++) {
    const polled = await client.GET('/v1/tasks/{id}', { params: { path: { id: taskId } } });
    if (!polled.data) throw new Error('get task: ' + JSON.stringify(polled.error));
    task = known(polled.data, true);
    if (['success', 'partial', 'failure'].includes(task.status)) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  const output = await client.GET('/v1/tasks/{id}/output', { params: { path: { id: taskId } }, parseAs: 'text' });
  if (output.data === undefined) throw new Error('task output: ' + JSON.stringify(output.error));
  const outputCsv: string = known(output.data, true);

  // An error case: an available number cannot be released; the problem body is typed.
  const refused = await client.POST('/v1/numbers/{number}/release', { params: { path: { number: '+14155550191' } }, body: {} });
  if (!refused.error) throw new Error('release of an available number succeeded');
  const problem = known(refused.error, true);
  const code: string = problem.code;
  const detail: string = problem.detail;

  console.log(JSON.stringify({
    account: account.data, added: added.data, position, acquired: acquired.data, state, history: history.data, eventTypes,
    submitted: { status: submitted.response.status, location: submitted.response.headers.get('location'), body: submitted.data },
    task, outputCsv,
    refused: { status: refused.response.status, contentType: refused.response.headers.get('content-type'), body: problem, code, detail },
  }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;
