// The workflow bundle's entry: deterministic code only (Temporal replays it).
export { ping } from './ping.workflow';
export { scan, progressQuery } from './scan.workflow';
