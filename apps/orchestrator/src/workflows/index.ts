// The workflow bundle's entry: deterministic code only (Temporal replays it).
export { ping } from './ping.workflow';
