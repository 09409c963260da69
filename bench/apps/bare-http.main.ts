import { DECISION_ANSWER, DECISION_HEADERS } from './answers';
import { serveDecisions } from './json-route';

// The bare route: token check, body parsed, the decision's answer and headers serialized; no decision.
const reply = { body: DECISION_ANSWER, headers: DECISION_HEADERS };
serveDecisions(Number(process.env.BENCH_PORT), () => reply);
