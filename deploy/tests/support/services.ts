import { waitForHttp, type ServiceProcess } from '@xorb/testing';

/** waitForHttp, with the tail of the app's own output when it never answers. */
export async function waitUntilServing(
  process: ServiceProcess,
  url: string,
  timeoutMs = 90_000,
): Promise<void> {
  try {
    await waitForHttp(url, 200, timeoutMs);
  } catch (error) {
    const output = [...process.lines.slice(-15), ...process.stderr.join('').split('\n').slice(-25)].join(
      '\n',
    );
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n${process.app} output:\n${output}`,
    );
  }
}
