import { hostname } from 'node:os';
import { Context } from '@temporalio/activity';

export interface EchoAnswer {
  message: string;
  handledBy: string;
}

/** Returns its input with the host that ran it, proving an activity really executed. */
export async function echo(message: string): Promise<EchoAnswer> {
  Context.current().heartbeat();
  return { message, handledBy: hostname() };
}
