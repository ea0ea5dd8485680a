import { waitForHttp, type ServiceProcess } from '@xorb/testing';

/**
 * waitForHttp, failing as soon as the app exits, with the tail of its own output when it
 * never answers.
 */
export async function waitUntilServing(
  process: ServiceProcess,
  url: string,
  timeoutMs = 90_000,
): Promise<void> {
  const exited = process.waitForExit(timeoutMs).then(
    (exit) => {
      throw new Error(
        `${process.app} exited (code ${String(exit.code)}, signal ${String(exit.signal)}) before serving`,
      );
    },
    () => new Promise<never>(() => undefined), // still running when the time ran out: waitForHttp reports it
  );
  try {
    await Promise.race([waitForHttp(url, 200, timeoutMs), exited]);
  } catch (error) {
    const output = [...process.lines.slice(-15), ...process.stderr.join('').split('\n').slice(-25)].join(
      '\n',
    );
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${process.app} output:\n${output}`,
    );
  }
}
