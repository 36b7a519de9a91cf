/**
 * No existence oracle: naming another initiative's private outcome, partner or indicator in a request body gets
 * exactly the answer (status, code, message, details) a random id gets, so a caller cannot learn that an id exists.
 */
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';
import { buildWorld } from './world.ts';

const api = await buildTestApp(t);
const world = await buildWorld(api);
const { other, priv } = world;
const RANDOM = '0196f0a2-7c1e-7b3a-9d4e-2f1a3c5b7d9e';

type Probe = [what: string, method: 'POST' | 'PUT' | 'PATCH', url: string, body: (id: string) => object];
const probes: Probe[] = [
  [
    'an indicator under an outcome',
    'POST',
    `/results/${other.ids.result}/indicators`,
    (id) => ({ name: 'Rate', unit: 'percent', polarity: 'lower_is_better', frequency: 'annual', outcomeId: id }),
  ],
  [
    'an indicator owned by a partner',
    'POST',
    `/results/${other.ids.result}/indicators`,
    (id) => ({ name: 'Rate', unit: 'percent', polarity: 'lower_is_better', frequency: 'annual', ownerPartnerId: id }),
  ],
  ['an indicator moved under an outcome', 'PATCH', `/indicators/${other.ids.indicator}`, (id) => ({ outcomeId: id })],
  [
    'an outcome under a parent',
    'POST',
    `/results/${other.ids.result}/outcomes`,
    (id) => ({ title: 'x', parentOutcomeId: id }),
  ],
  ['an outcome moved', 'PATCH', `/outcomes/${other.ids.outcome}`, (id) => ({ parentOutcomeId: id })],
  [
    "an action's owner",
    'POST',
    `/initiatives/${other.ids.initiative}/actions`,
    (id) => ({ title: 'Pledge', start: '2024-01-01', due: '2024-03-01', ownerPartnerId: id }),
  ],
  [
    "an action's indicators",
    'POST',
    `/initiatives/${other.ids.initiative}/actions`,
    (id) => ({ title: 'Pledge', start: '2024-01-01', due: '2024-03-01', indicatorIds: [id] }),
  ],
  [
    "a curve report's partners",
    'PUT',
    `/indicators/${other.ids.indicator}/curve-report`,
    (id) => ({ partners: [{ partnerId: id, role: 'r' }] }),
  ],
];
const foreignIds: Record<string, string> = {
  outcomeId: priv.ids.outcome,
  parentOutcomeId: priv.ids.outcome,
  ownerPartnerId: priv.ids.partner,
  indicatorIds: priv.ids.indicator,
  partners: priv.ids.partner,
};

/** The answer with the id sent replaced, so two answers compare on everything else. */
function normalised(raw: string, id: string): unknown {
  return JSON.parse(raw.split(id).join('<id>'));
}

t.test("another initiative's private id is answered as a random id", async (t) => {
  for (const [what, method, url, body] of probes) {
    const field = Object.keys(body(RANDOM)).find((k) => k in foreignIds)!;
    const foreign = foreignIds[field]!;
    const send = (id: string) =>
      api.request({ method, url: `/api/v1${url}`, payload: body(id), as: other.tokens.editor });
    const [a, b] = [await send(foreign), await send(RANDOM)];
    t.ok([404, 422].includes(a.status), `${what}: refused (${a.status})`);
    t.equal(a.status, b.status, `${what}: same status`);
    t.same(normalised(a.raw, foreign), normalised(b.raw, RANDOM), `${what}: same code, message and details`);
    t.notMatch(a.raw, /another (initiative|result)|belongs/, `${what}: nothing says the id exists`);
  }
});

t.test('a token for a partner of another initiative: same answer as a random partner', async (t) => {
  const send = (id: string) =>
    api.request({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', role: 'contributor', initiativeId: other.ids.initiative, partnerId: id },
    });
  const [a, b] = [await send(priv.ids.partner), await send(RANDOM)];
  t.equal(a.status, 422);
  t.same(normalised(a.raw, priv.ids.partner), normalised(b.raw, RANDOM));
});
